/**
 * The words the topic filter matches on. foldForMatching folds in one pass (fold.ts), which must
 * give exactly what the regex folding (foldAnyText) gives; test/tokens-fast.test.ts has more.
 */
import { describe, expect, it } from 'vitest';
import { foldAnyText, foldForMatching, itemTokens, BREAK } from '../src/engine/tokens.ts';
import { seededRandom } from './support/random.ts';

describe('foldForMatching', () => {
  it('splits camelCase and letter/digit runs, folds case and accents, drops punctuation', () => {
    expect(foldForMatching('#AlitaArmy: Alita2 — “Battle Angel” in Iron-City!')).toEqual(['alita', 'army', 'alita', '2', 'battle', 'angel', 'in', 'iron', 'city']);
    expect(foldForMatching('ALITA 2 Gunnm2019 Cameron’s')).toEqual(['alita', '2', 'gunnm', '2019', 'cameron', 's']);
    expect(foldForMatching('Ángel de Combate, l’Ange de combat')).toEqual(['angel', 'de', 'combate', 'l', 'ange', 'de', 'combat']);
    expect(foldForMatching('Al\u200Bita')).toEqual(['alita']);
  });

  it('equals the regex folding on 20,000 random ASCII strings', () => {
    const random = seededRandom(20261121);
    const alphabet = 'aAbBzZlLiItT019 -_.,:;!?#@&<>/\\\'"()[]{}\t\n\x00\x1f\x7f';
    for (let n = 0; n < 20_000; n++) {
      let text = '';
      const length = Math.floor(random() * 24);
      for (let i = 0; i < length; i++) text += alphabet[Math.floor(random() * alphabet.length)];
      expect(foldForMatching(text), JSON.stringify(text)).toEqual(foldAnyText(text));
    }
  });

  it('itemTokens keeps fields and sentences apart with breaks', () => {
    expect(itemTokens(['Alita 2 news', 'First. Second'])).toEqual([BREAK, BREAK, 'alita', '2', 'news', BREAK, BREAK, BREAK, 'first', BREAK, 'second', BREAK]);
  });

  it('reads normalised text as it reads: an & or a < in it is a character, not markup to read again', () => {
    // What normalize leaves of "AT&amp;T &amp;notice … 3 &lt; 4": read as HTML once more, "&not" became ¬ and "<b …" a tag.
    const text = 'AT&T &notice Alita <b and 3 < 4';
    expect(itemTokens([text], undefined, true)).toEqual([BREAK, BREAK, 'at', 't', 'notice', 'alita', 'b', 'and', '3', '4', BREAK]);
    expect(itemTokens([text])).toEqual([BREAK, BREAK, 'at', 't', 'ice', 'alita', BREAK]);
  });
});
