/**
 * needsNoPreparing decides, piece by piece, that a document goes to the parser as it is: it must
 * say so only where prepareXml would change nothing, and for every DOCTYPE whatever its case.
 */
import { describe, expect, it } from 'vitest';
import { needsNoPreparing, prepareXml } from '../src/engine/xml-prepare.ts';
import { seededRandom } from './support/random.ts';

const ATOMS = ['<item>', 'text ', '&amp;', '&AMP;', '&lt;', '&gt;', '&quot;', '&apos;', '&am', 'p;', '&ampx;', '&#38;', '&#x26;', '&#xAf;', '&#X26;', '&#;', '&#x;', '&#xZZ;', '&#', '1', 'a', ';', '&nbsp;', '& ', '&', 'AT&T', '<!DOCTYPE rss>', '<!doctype html>', '<!DocType x>', '<!DOCTYP', '<!', 'D', 'OCTYPE', '<!-- c -->', '<![CDATA[a & b]]>', 'é', '\n'];

describe('needsNoPreparing', () => {
  it('says a text needs nothing exactly when it has neither an ampersand to fix nor a DOCTYPE in any case', () => {
    const random = seededRandom(7);
    for (let n = 0; n < 20_000; n++) {
      let text = '';
      for (let k = Math.floor(random() * 6); k >= 0; k--) text += ATOMS[Math.floor(random() * ATOMS.length)];
      const before = !/&(?!(?:#\d+|#x[\da-fA-F]+|amp|lt|gt|quot|apos);)/.test(text) && !/<!DOCTYPE/i.test(text);
      expect(needsNoPreparing(text), JSON.stringify(text)).toBe(before);
      if (needsNoPreparing(text)) expect(prepareXml(`<rss>${text}</rss>`)).toBe(`<rss>${text}</rss>`);
    }
  });

  it('finds an ampersand to fix after many that need nothing (HTML escaped in descriptions)', () => {
    const escaped = '&lt;p&gt;Alita &amp;amp; Rodriguez&#8217;s &#x2014;&lt;/p&gt;'.repeat(20);
    expect(needsNoPreparing(escaped)).toBe(true);
    for (const stray of ['AT&T', '&nbsp;', '&#x;']) {
      expect(needsNoPreparing(`${escaped}${stray}${escaped}`), stray).toBe(false);
      expect(needsNoPreparing(`${escaped}${escaped}${stray}`), stray).toBe(false);
      expect(needsNoPreparing(`${stray}${escaped}`), stray).toBe(false);
    }
    expect(needsNoPreparing(`${escaped}<!DocType rss>`)).toBe(false);
  });

  it('finds a DOCTYPE written in any case, and an ampersand that is no entity', () => {
    expect(needsNoPreparing('<rss><title>A &amp; B</title></rss>')).toBe(true);
    for (const text of ['<!doctype rss>', '<!DOCTYPE rss>', '<!dOcTyPe rss>', 'AT&T', '&AMP;', '&nbsp;']) expect(needsNoPreparing(text), text).toBe(false);
  });
});
