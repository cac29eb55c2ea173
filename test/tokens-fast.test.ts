/**
 * The one-pass fold (foldWords in src/engine/tokens.ts, over src/engine/fold.ts) gives exactly
 * the words of the regex tokenizer it replaced (test/support/reference-tokens.ts), on every
 * labelled text and on random text built from the characters where folding has quirks.
 */
import { describe, expect, it } from 'vitest';
import { COMPOSES_WITH_PREVIOUS } from '../src/engine/fold.ts';
import { foldForMatching, foldWords, itemTokens } from '../src/engine/tokens.ts';
import { referenceFold, referenceItemTokens } from './support/reference-tokens.ts';
import { FOLD_ATOMS } from './support/fold-atoms.ts';
import { labelledFiles, labelledItems } from './support/labelled-items.ts';
import { seededRandom } from './support/random.ts';

const files = labelledFiles();
const items = labelledItems();

/** Where a fast fold takes the slow path: those texts compare foldAnyText with the reference only. */
function fast(text: string): string[] | undefined {
  const words: string[] = [];
  return foldWords(text, words) ? words : undefined;
}

describe('the one-pass fold', () => {
  it('gives the reference tokens for every item of the labelled sets', () => {
    expect(files.length).toBeGreaterThan(70);
    expect(items.length).toBeGreaterThan(2000);
    for (const item of items) {
      const fields = [item.title, item.summary, item.description, item.content].map((f) => f ?? '');
      expect(itemTokens(fields), fields[0]).toEqual(referenceItemTokens(fields));
      for (const field of fields) expect(foldForMatching(field), field).toEqual(referenceFold(field));
    }
  });

  it('folds the labelled sets itself, Japanese (NFC) and Korean included', () => {
    const texts = items.flatMap((i) => [i.title, i.summary, i.description, i.content]).filter((t): t is string => !!t);
    expect(texts.filter((t) => fast(t) === undefined)).toEqual([]);
    expect(fast('アリータ：バトル・エンジェル 2 が決定')).toEqual(['ア', 'リ', 'ー', 'タ', 'バ', 'ト', 'ル', 'エ', 'ン', 'ジ', 'ェ', 'ル', '2', 'が', '決', '定']);
    expect(fast('알리타 배틀 엔젤 속편')).toEqual(referenceFold('알리타 배틀 엔젤 속편'));
    expect(fast('알리타 2 バトル')).toEqual(['알리타', '2', 'バ', 'ト', 'ル']);
  });

  it('keeps the quirks of the regex passes', () => {
    const cases: [string, string[]][] = [
      ['a1b', ['a', '1b']],
      ['1aB2', ['1', 'a', 'b', '2']],
      ['Al\u200Bita2\u00ADx', ['alita', '2x']],
      ['e\u03011', ['e1']],
      ['ＡＬＩＴＡⅡ ½ ﬁlm', ['alita', 'ii', '1', '2', 'film']],
      ['ｶﾞﾝﾑ', ['ガ', 'ン', 'ム']],
      ['ΟΔΟΣ ΟΔΟΣ\u2019Α', ['οδος', 'οδοσ', 'α']],
    ];
    for (const [text, words] of cases) {
      expect(foldForMatching(text), text).toEqual(words);
      expect(referenceFold(text), text).toEqual(words);
    }
  });

  it('equals the reference on 30,000 seeded random texts of the characters folding treats specially', () => {
    const random = seededRandom(20261130);
    let fastCount = 0;
    for (let n = 0; n < 30_000; n++) {
      let text = '';
      const length = Math.floor(random() * 16);
      for (let i = 0; i < length; i++) text += FOLD_ATOMS[Math.floor(random() * FOLD_ATOMS.length)];
      const expected = referenceFold(text);
      const words = fast(text);
      if (words) {
        fastCount++;
        expect(words, JSON.stringify(text)).toEqual(expected);
      }
      expect(foldForMatching(text), JSON.stringify(text)).toEqual(expected);
      if (n % 3 === 0) expect(itemTokens([text, text]), JSON.stringify(text)).toEqual(referenceItemTokens([text, text]));
    }
    // The comparison is of the fast path, not of the fallback to the reference.
    expect(fastCount).toBeGreaterThan(15_000);
  });

  it('cuts sentences where the reference split does, on 50,000 seeded random texts of marks and spaces', () => {
    // Dense in what the split reads: a mark right after another end's spaces ("Fin. – Y",
    // ", – "), spaces before brackets, abbreviations before a full stop (after a letter or not),
    // spaces outside ASCII.
    const random = seededRandom(20261202);
    const pieces = [' ', '  ', '\n', '\t', '.', '. ', ',', ', ', '–', ' – ', '—', '|', ' | ', '(', ')', '[', ']', '（', '）', '!', '?', ';', '。', '、', 'Dr', 'Mr', 'vs', 'St', 'a', 'Alita', '2', 'x', '\u00a0', '\u3000', ', – ', 'éDr', 'ADr', 'Prof', 'Mme', 'Sra', 'Jr', 's', '_Dr', '！', '？'];
    for (let n = 0; n < 50_000; n++) {
      let text = '';
      const length = 1 + Math.floor(random() * 12);
      for (let i = 0; i < length; i++) text += pieces[Math.floor(random() * pieces.length)];
      expect(itemTokens([text]), JSON.stringify(text)).toEqual(referenceItemTokens([text]));
    }
  });

  it('knows every character NFC joins to the one before it that folding keeps', () => {
    // The fast path folds code point by code point; under NFC that is exact unless a character
    // composes with the one before it. Checked against this runtime's Unicode data.
    const kept = /^(?:[\u3099\u309A]|\P{M})$/u;
    const joining: string[] = [];
    for (let cp = 0; cp < 0x110000; cp++) {
      if (cp >= 0xd800 && cp < 0xe000) continue;
      const ch = String.fromCodePoint(cp);
      const parts = [...ch.normalize('NFD')];
      if (parts.length < 2 || ch.normalize('NFC') !== ch) continue;
      for (const part of parts.slice(1)) if (kept.test(part) && !COMPOSES_WITH_PREVIOUS.test(part)) joining.push(part);
    }
    expect(joining).toEqual([]);
  });

  it('lower-cases every code point but İ to as many UTF-16 units', () => {
    // The fast path cuts words from the lower-cased text at the original's offsets.
    const moved: number[] = [];
    for (let cp = 0; cp < 0x110000; cp++) {
      if (cp >= 0xd800 && cp < 0xe000) continue;
      const ch = String.fromCodePoint(cp);
      if (ch.toLowerCase().length !== ch.length) moved.push(cp);
    }
    expect(moved).toEqual([0x130]);
    expect(foldForMatching('İSTANBUL İstanbul')).toEqual(referenceFold('İSTANBUL İstanbul'));
  });
});
