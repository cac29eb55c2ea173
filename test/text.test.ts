/** Plain text from feed fields (src/engine/text.ts): what readers and the topic filter see. */
import { describe, expect, it } from 'vitest';
import { foldWhitespace, htmlToText, truncateAtWord } from '../src/engine/text.ts';
import { seededRandom } from './support/random.ts';

/** The definition foldWhitespace's faster passes must keep. */
const reference = (text: string) =>
  text.replace(/[\u200B-\u200F\u202A-\u202E\u2060-\u2064\u2066-\u2069\uFEFF\u00AD]/g, '').replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F]/g, ' ').replace(/\s+/g, ' ').trim();

describe('foldWhitespace', () => {
  it('drops invisible characters, turns controls and whitespace runs into one space, trims', () => {
    expect(foldWhitespace('  Alita\u200B 2:\t\n the\u00a0 sequel\u0007news \uFEFF')).toBe('Alita 2: the sequel news');
    expect(foldWhitespace('one space stays')).toBe('one space stays');
  });

  it('gives what the plain definition gives on 20,000 random strings', () => {
    const random = seededRandom(42);
    const alphabet = ['a', 'b', ' ', ' ', '\t', '\n', '\r', '\u00a0', '\u2003', '\u3000', '\u200B', '\u00AD', '\u0007', '\u0085', '\uFEFF', '\u2028', 'é'];
    for (let n = 0; n < 20_000; n++) {
      let text = '';
      for (let i = Math.floor(random() * 16); i > 0; i--) text += alphabet[Math.floor(random() * alphabet.length)];
      expect(foldWhitespace(text), JSON.stringify(text)).toBe(reference(text));
    }
  });
});

describe('htmlToText', () => {
  it('keeps words apart across block elements and drops scripts', () => {
    expect(htmlToText('<p>Alita</p><p>2</p><script>alert(1)</script><b>news</b> &amp; more')).toBe('Alita 2 news & more');
  });

  it('undoes HTML escaped twice', () => {
    expect(htmlToText('&lt;p&gt;Rodriguez &amp;amp; Cameron&lt;/p&gt;')).toBe('Rodriguez & Cameron');
  });

  it('keeps paragraphs as single newlines when asked, and no other line break', () => {
    expect(htmlToText('<p>Salazar answered:</p>\n\n<p>“Of course,\n  I am ready.”</p><br><br><div> Next </div>', { paragraphs: true })).toBe('Salazar answered:\n“Of course, I am ready.”\nNext');
    expect(htmlToText('&lt;p&gt;One&lt;/p&gt;&lt;p&gt;Two &amp;amp; three&lt;/p&gt;', { paragraphs: true })).toBe('One\nTwo & three');
    expect(htmlToText('First line\nstill the first paragraph.\n\nSecond.', { paragraphs: true })).toBe('First line still the first paragraph.\nSecond.');
  });
});

describe('truncateAtWord', () => {
  it('cuts at a word boundary with an ellipsis, and leaves short text alone', () => {
    expect(truncateAtWord('Alita sequel news today', 15)).toBe('Alita sequel…');
    expect(truncateAtWord('short', 15)).toBe('short');
  });
});
