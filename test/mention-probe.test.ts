/**
 * The mention probe's quick look for any name (Probe.latinAny) only skips its full search where
 * that search finds nothing: the probe answers exactly as it did without it (the frozen
 * reference), on every labelled item and on seeded texts made of the rule's own names.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { mayMention, mayMentionWords } from '../src/engine/mentions.ts';
import { judge } from '../src/engine/relevance.ts';
import { loadTopic } from '../src/engine/topic.ts';
import { referenceMayMention } from './support/reference-mentions.ts';
import { seededRandom } from './support/random.ts';

const topic = loadTopic();
const fixtures = new URL('./fixtures/', import.meta.url);
const files = [
  ...readdirSync(fixtures).filter((f) => /^relevance-.*\.json$/.test(f)).map((f) => new URL(f, fixtures)),
  ...readdirSync(new URL('world/', fixtures)).map((f) => new URL(`world/${f}`, fixtures)),
  new URL('../../shared/relevance/dev-set.json', import.meta.url),
];
const items = files.flatMap((file) => (JSON.parse(readFileSync(file, 'utf8')) as { items: Array<Record<string, string | undefined>> }).items);
const texts = items
  .flatMap((item) => [item.title, item.summary, item.description, item.content])
  .filter((text): text is string => typeof text === 'string' && text !== '');

/** Every word the rule names, in the forms raw text has: capitals, accents, joined, hyphenated. */
const ruleWords = [...topic.anchors, ...topic.characters.terms, ...topic.characters.roles.flatMap((r) => [...r.actor, ...r.character])].flatMap((term) =>
  term.words.map((w) => w.text),
);

function seededText(random: () => number): string {
  const pick = <T,>(list: T[]) => list[Math.floor(random() * list.length)]!;
  const glue = ['', ' ', '-', '_', '#', '.', '\u00a0', '・', 'x', '9', 'é', '\u0301', 'Ａ', 'ß', 'İ', 'Σ', 'ア', '\u3099'];
  const words: string[] = [];
  for (let n = 1 + Math.floor(random() * 8); n > 0; n--) {
    let word = random() < 0.7 ? pick(ruleWords) : pick(['the', 'sequel', 'de', 'ed', 'a', 'ido', 'nova', '2', 'ali']);
    if (random() < 0.2) word = word.slice(0, 1 + Math.floor(random() * word.length));
    if (random() < 0.2) word = word.toUpperCase();
    if (random() < 0.1) word = word.normalize('NFD');
    words.push(word, pick(glue));
  }
  return words.join('');
}

describe('the mention probe', () => {
  it('answers as the reference on every labelled text', () => {
    expect(texts.length).toBeGreaterThan(5000);
    let yes = 0;
    for (const text of texts) {
      const expected = referenceMayMention([text], topic);
      expect(mayMention([text], topic), text).toBe(expected);
      if (expected) yes++;
    }
    expect(yes).toBeGreaterThan(1000);
    expect(texts.length - yes).toBeGreaterThan(500);
  });

  it('answers as the reference on 30,000 seeded texts of the rule’s own names', () => {
    const random = seededRandom(42);
    const answers = { yes: 0, no: 0 };
    for (let i = 0; i < 30_000; i++) {
      const text = seededText(random);
      const expected = referenceMayMention([text], topic);
      expect(mayMention([text], topic), JSON.stringify(text)).toBe(expected);
      // Free of & and <, words are what mayMention probes.
      expect(mayMentionWords([text], topic), JSON.stringify(text)).toBe(expected);
      answers[expected ? 'yes' : 'no']++;
    }
    expect(answers.yes).toBeGreaterThan(1000);
    expect(answers.no).toBeGreaterThan(3000);
  });

  it('answers as the reference after its memo of folded runs has started over (more distinct runs than it keeps)', () => {
    const random = seededRandom(7);
    const letters = ['é', 'ü', 'ß', 'ñ', 'İ', 'Σ', '\u0301', '\u3099', 'ア', 'リ', 'Ａ', 'Ｌ', 'ﬁ', 'Ⅱ', '\u00a0', 'ø'];
    const run = () => Array.from({ length: 1 + Math.floor(random() * 5) }, () => letters[Math.floor(random() * letters.length)]).join('');
    for (let i = 0; i < 12_000; i++) {
      // A name joined by a run of letters outside ASCII, folded (and remembered) as a piece.
      const text = `${seededText(random)}${run()}${seededText(random)}`;
      expect(mayMentionWords([text], topic), JSON.stringify(text)).toBe(referenceMayMention([text], topic));
    }
  });

  it('says no only where the full matcher finds nothing: a judge told the item was probed gives the same verdicts', () => {
    let relevant = 0;
    for (const item of items) {
      const input = { title: item.title ?? '', summary: item.summary ?? item.description ?? '', fullText: item.content ?? '' };
      const verdict = judge(input, topic);
      expect(judge(input, topic, { probed: true }), input.title).toEqual(verdict);
      if (verdict.relevant) relevant++;
    }
    expect(relevant).toBeGreaterThan(1000);
  });

  it('looks field by field, as the full matcher does: a name cut in two by a field\'s end is none, an actor and their part may stand in two fields', () => {
    // The full matcher never matches across fields: "Iron" ends the title, "City" begins the summary.
    const split = ['The long road out of Iron', 'City Lights, a restored print, is back'];
    expect(judge({ title: split[0]!, summary: split[1]! }, topic).reasons).toContain('no mention of Alita');
    expect(mayMentionWords(split, topic)).toBe(false);
    expect(mayMentionWords([split.join(' ')], topic)).toBe(true);
    // Christoph Waltz in the title and Ido in the text name Alita's doctor, as one text would.
    expect(mayMentionWords(['Christoph Waltz talks about his career', 'Playing Dr. Ido was a joy, he says'], topic)).toBe(true);
    expect(mayMentionWords(['Christoph Waltz talks about his career', 'His new western opens in March'], topic)).toBe(false);
    // Searched as written: capitals, and capitals beside folded letters.
    expect(mayMentionWords(['ALITA: BATTLE ANGEL returns'], topic)).toBe(true);
    expect(mayMentionWords(['Café talk', 'ROSA SALAZAR on her CYBORG days'], topic)).toBe(true);
  });

  it('drops every invisible character the full matcher drops, bidi controls too (the frozen reference dropped only zero-width ones)', () => {
    for (const text of ['Ali\u202eta 2 is next', 'Ali\u2066ta 2 is next', 'Iron\u202a City returns', 'Ali\u200bta 2 is next']) {
      expect(mayMention([text], topic), JSON.stringify(text)).toBe(true);
      expect(mayMentionWords([text], topic), JSON.stringify(text)).toBe(true);
      expect(judge({ title: text }, topic).reasons, JSON.stringify(text)).not.toContain('no mention of Alita');
    }
  });

  it('takes an ampersand in words for what it is, where mayMention leaves text with one to the full search', () => {
    expect(mayMention(['Q&A: the week in film'], topic)).toBe(true);
    expect(mayMentionWords(['Q&A: the week in film'], topic)).toBe(false);
    expect(mayMentionWords(['Q&A: Alita'], topic)).toBe(true);
  });
});
