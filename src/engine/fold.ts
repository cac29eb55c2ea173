/**
 * Each code point as foldAnyText (tokens.ts) treats it, worked out once and remembered: its class
 * for the camelCase and letter/digit splits, and its folded form (NFKD, marks but the kana voicing
 * marks dropped, lower case) cut into pieces of words. foldWords (tokens.ts) folds a sentence in
 * one loop over these instead of foldAnyText's seven whole-text passes.
 */

// What foldAnyText's splits see of a code point before folding.
export const LOWER = 1; // \p{Ll}: a camelCase split falls between it and an UPPER
export const UPPER = 2; // \p{Lu}
export const LETTER = 4; // \p{L}: a letter/digit split falls between it and a NUMBER
export const NUMBER = 8; // \p{N}
export const DROPPED = 16; // zero-width characters and soft hyphens, removed before any split
export const WORD = 32; // ASCII letter or digit: part of a word as it is, lower-cased

/** Classes of ASCII, which needs no lookup: most feed text is ASCII. */
export const ASCII = new Uint8Array(128);
for (let c = 0; c < 26; c++) (ASCII[0x61 + c] = LOWER | LETTER | WORD), (ASCII[0x41 + c] = UPPER | LETTER | WORD);
for (let c = 0x30; c <= 0x39; c++) ASCII[c] = NUMBER | WORD;

/**
 * A folded code point as pieces of words: pieces[0] continues the word being cut; with more than
 * one piece, that word ends, the middle pieces are words of their own, and the last one starts the
 * next word. "é" → ["e"], "½" → ["1", "2"] (⁄ cuts), "続" → ["", "続", ""], "—" → ["", ""],
 * a combining mark → [""] (it joins the letters around it).
 */
export type Pieces = readonly string[];

export interface Folded {
  readonly before: number;
  /** Pieces when the text goes through NFKD only, and when it goes through NFC (kana voicing marks). */
  readonly pieces: Pieces;
  readonly composed: Pieces;
  /** Folds to itself, a letter or digit that is no CJK word: can stay in a slice of the text. */
  readonly same: boolean;
  readonly sameComposed: boolean;
  /** Leaves a kana voicing mark (バ, ｶﾞ): the text goes through NFC. */
  readonly voiced: boolean;
  /** Begins with what NFC joins to the character before (ﾞ, a Hangul vowel): NFC spans code points. */
  readonly joins: boolean;
  /** Σ, lower-cased by the letters around it (ς at a word's end). */
  readonly sigma: boolean;
}

const MARKS = /(?![\u3099\u309A])\p{M}/gu;
const ZERO_WIDTH = /[\u200B-\u200F\u2060-\u2064\uFEFF\u00AD]/;
const WORD_CHARACTER = /[\p{L}\p{N}]/u;
/** One character of a script written without spaces (each is a word of its own); vocabulary.ts reads it too. */
export const CJK_CHARACTER = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\u30FC\u3005]/u;
/**
 * Characters that canonically compose with the character before them and are no mark dropped by
 * folding (test/tokens-fast.test.ts checks this list against every code point of the runtime).
 */
export const COMPOSES_WITH_PREVIOUS = /^[\u3099\u309A\u1161-\u1175\u11A8-\u11C2\u{16D67}]/u;

function toPieces(folded: string): Pieces {
  const pieces = [''];
  for (const ch of folded) {
    if (!WORD_CHARACTER.test(ch)) pieces.push('');
    // Japanese and Chinese write words without spaces: each character is a word (see foldAnyText).
    else if (CJK_CHARACTER.test(ch)) pieces.push(ch, '');
    else pieces[pieces.length - 1] += ch;
  }
  return pieces;
}

function foldCodePoint(cp: number): Folded {
  const ch = String.fromCodePoint(cp);
  const before =
    (ZERO_WIDTH.test(ch) ? DROPPED : 0) |
    (/\p{Ll}/u.test(ch) ? LOWER : 0) |
    (/\p{Lu}/u.test(ch) ? UPPER : 0) |
    (/\p{L}/u.test(ch) ? LETTER : 0) |
    (/\p{N}/u.test(ch) ? NUMBER : 0);
  const stripped = ch.normalize('NFKD').replace(MARKS, '');
  const pieces = toPieces(stripped.toLowerCase());
  const recomposed = stripped.normalize('NFC');
  const composed = recomposed === stripped ? pieces : toPieces(recomposed.toLowerCase());
  const same = (p: Pieces) => p.length === 1 && p[0] === ch;
  return {
    before,
    pieces,
    composed,
    same: same(pieces),
    sameComposed: same(composed),
    voiced: /[\u3099\u309A]/.test(stripped),
    joins: COMPOSES_WITH_PREVIOUS.test(stripped),
    sigma: stripped.includes('Σ'),
  };
}

/**
 * Folded code points seen so far. A cache of Unicode data, not state: shared by every caller.
 * Bounded, so a hostile feed that lists all of Unicode cannot grow it past the heap's budget.
 */
const MAX_REMEMBERED = 20_000;
let remembered = new Map<number, Folded>();

export function folded(cp: number): Folded {
  let f = remembered.get(cp);
  if (f === undefined) {
    if (remembered.size >= MAX_REMEMBERED) remembered = new Map();
    f = foldCodePoint(cp);
    remembered.set(cp, f);
  }
  return f;
}
