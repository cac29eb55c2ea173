/**
 * foldAnyText (tokens.ts) in one pass: the same words, without its seven whole-text regex and
 * normalisation passes. Each code point is classified and folded once (NFKD, marks but the kana
 * voicing marks dropped, lower case) and remembered; a sentence is then one loop over its
 * characters that applies foldAnyText's splits and cuts words as it goes. foldAnyText stays the
 * definition: the few texts this cannot fold exactly are handed back to it (see foldWords).
 */

// What foldAnyText's splits see of a code point before folding.
const LOWER = 1; // \p{Ll}: a camelCase split falls between it and an UPPER
const UPPER = 2; // \p{Lu}
const LETTER = 4; // \p{L}: a letter/digit split falls between it and a NUMBER
const NUMBER = 8; // \p{N}
const DROPPED = 16; // zero-width characters and soft hyphens, removed before any split
const WORD = 32; // ASCII letter or digit: part of a word as it is, lower-cased

/** Classes of ASCII, which needs no lookup: most feed text is ASCII. */
const ASCII = new Uint8Array(128);
for (let c = 0; c < 26; c++) (ASCII[0x61 + c] = LOWER | LETTER | WORD), (ASCII[0x41 + c] = UPPER | LETTER | WORD);
for (let c = 0x30; c <= 0x39; c++) ASCII[c] = NUMBER | WORD;

/**
 * A folded code point as pieces of words: pieces[0] continues the word being cut; with more than
 * one piece, that word ends, the middle pieces are words of their own, and the last one starts the
 * next word. "é" → ["e"], "½" → ["1", "2"] (⁄ cuts), "続" → ["", "続", ""], "—" → ["", ""],
 * a combining mark → [""] (it joins the letters around it).
 */
type Pieces = readonly string[];

interface Folded {
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
const CJK_CHARACTER = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\u30FC\u3005]/u;
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

function folded(cp: number): Folded {
  let f = remembered.get(cp);
  if (f === undefined) {
    if (remembered.size >= MAX_REMEMBERED) remembered = new Map();
    f = foldCodePoint(cp);
    remembered.set(cp, f);
  }
  return f;
}

/**
 * Appends the words of `text` exactly as foldAnyText gives them, or appends nothing and returns
 * false for a text only foldAnyText folds exactly (NFC joining across code points, a capital Σ).
 */
export function foldWords(text: string, words: string[]): boolean {
  const start = words.length;
  let result = cut(text, words, false);
  if (result === 'composed') {
    // A voicing mark is left: foldAnyText puts the whole text through NFC, which also rebuilds
    // Hangul syllables the NFKD fold took apart. Found early in most Japanese text: start again.
    words.length = start;
    result = cut(text, words, true);
  }
  if (result === 'done') return true;
  words.length = start;
  return false;
}

function cut(text: string, words: string[], composing: boolean): 'done' | 'composed' | 'slow' {
  // Slices of the text that fold to themselves are cut from it lower-cased. Lower-casing keeps
  // every character's place but İ's (test/tokens-fast.test.ts checks), and changes Σ by context,
  // which the loop hands back anyway.
  const lower = text.toLowerCase();
  if (lower.length !== text.length) return 'slow';
  const end = text.length;
  let word = ''; // the word being cut, as far as it is folded
  let run = -1; // start of a slice of `lower` that continues the word, -1 if none
  let previous = 0; // class of the code point before (after zero-width removal): camelCase split
  let pairable = 0; // class of the element a letter/digit split pairs with: 0 after a split (see below)
  for (let i = 0; i < end; ) {
    const code = text.charCodeAt(i);
    let f: Folded | undefined;
    let cls: number;
    let size = 1;
    if (code < 0x80) cls = ASCII[code]!;
    else {
      let cp = code;
      if (code >= 0xd800 && code < 0xdc00 && i + 1 < end) {
        const low = text.charCodeAt(i + 1);
        if (low >= 0xdc00 && low < 0xe000) {
          cp = (code - 0xd800) * 0x400 + (low - 0xdc00) + 0x10000;
          size = 2;
        }
      }
      f = folded(cp);
      cls = f.before;
      if (cls & DROPPED) {
        // Removed before the splits: the letters around it meet, but the slice has a gap.
        if (run >= 0) word += lower.slice(run, i);
        run = -1;
        i += size;
        continue;
      }
      if (f.sigma || (composing && f.joins)) return 'slow';
      if (!composing && f.voiced) return 'composed';
    }
    // foldAnyText's splits, as its global regexes find them: a space between a lower-case and
    // an upper-case letter, then between a letter and a number, where the regex, having matched
    // a pair, resumes after it: "a1b" → "a 1b", the 1 pairs with nothing more.
    const camel = (previous & LOWER) !== 0 && (cls & UPPER) !== 0;
    const before = camel ? 0 : pairable;
    const split = ((before & LETTER) !== 0 && (cls & NUMBER) !== 0) || ((before & NUMBER) !== 0 && (cls & LETTER) !== 0);
    pairable = split ? 0 : cls;
    previous = cls;
    const same = f === undefined ? (cls & WORD) !== 0 : composing ? f.sameComposed : f.same;
    if (camel || split || !same) {
      if (run >= 0) word += lower.slice(run, i);
      run = -1;
      if (camel || split) {
        if (word) words.push(word);
        word = '';
      }
    }
    i += size;
    if (same) {
      if (run < 0) run = i - size;
      if (f === undefined) {
        // More ASCII of the same class (a-z, A-Z or 0-9) splits nowhere: skip it.
        const to = sameAscii(text, i, end, cls);
        if (to > i) pairable = cls;
        i = to;
      }
    } else if (f === undefined) {
      // ASCII that is no letter or digit: ends the word.
      if (word) words.push(word);
      word = '';
    } else {
      const pieces = composing ? f.composed : f.pieces;
      word += pieces[0]!;
      const last = pieces.length - 1;
      if (last > 0) {
        if (word) words.push(word);
        for (let p = 1; p < last; p++) if (pieces[p]) words.push(pieces[p]!);
        word = pieces[last]!;
      }
    }
  }
  if (run >= 0) word += lower.slice(run);
  if (word) words.push(word);
  return 'done';
}

/**
 * Where a run of ASCII of class `cls` ends. Its own function: inlined in cut, the loop ran 1.5×
 * slower once cut had folded Japanese and accented text (the topic's terms do that first).
 */
function sameAscii(text: string, i: number, end: number, cls: number): number {
  while (i < end) {
    const c = text.charCodeAt(i);
    if (c >= 0x80 || ASCII[c] !== cls) break;
    i++;
  }
  return i;
}
