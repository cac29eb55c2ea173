import { DROPPED, folded, LETTER, LOWER, NUMBER, UPPER } from './fold.ts';
import { endAtMark, SENTENCE_MARKS } from './sentences.ts';
import { isDigit, OTHER_NUMBER, OTHER_WORD, projectWord, type Vocabulary } from './vocabulary.ts';

/**
 * foldRange (tokens.ts) for judge: the same words at the same places, but a word no term of the
 * topic can match comes out as a placeholder (vocabulary.ts), and a word it can match as the
 * topic's own string. The words are never cut out of the text: each character is folded by a
 * table and steps through the vocabulary's trie as the word is cut. Cutting every word out and
 * looking it up was most of judging a long item (issue 16).
 *
 * Code units are learned from fold.ts as they are first met, each as one number (kind, class,
 * letter of the vocabulary, folded character): a step of the loop reads one table. The ones whose
 * folding spans more than one character (½, ﬁ, Σ, İ, a surrogate pair, a mark NFC joins) are
 * SLOW: a sentence with one goes the plain way (test/topic-tokens.test.ts holds the two to each other).
 */

const SEPARATOR = 1; // ends a word
const LETTERS = 2; // continues a word with its folded character
const MARK = 3; // continues a word, adding nothing (a combining accent)
const CHARACTER = 4; // a word of its own (Japanese and Chinese)
const INVISIBLE = 5; // removed before anything else: the letters around it meet
const SLOW = 6;
const ENDS = 7; // a separator at which a sentence may end (sentences.ts): looked at when folding a sentence

// A learned unit: kind (bits 0-2), fold.ts's class (3-6), its letter in the vocabulary (7-14),
// its folded character (15-30).
const kindOf = (unit: number) => unit & 7;
const classOf = (unit: number) => (unit >> 3) & 15;
const letterOf = (unit: number) => (unit >> 7) & 255;
const foldOf = (unit: number) => unit >>> 15;

function learn(vocabulary: Vocabulary, code: number): number {
  const described = describe(code);
  const { cls, fold } = described;
  // A mark that could end a sentence and folds as anything but a separator is read the plain way.
  const kind = SENTENCE_MARKS.includes(code) ? (described.kind === SEPARATOR ? ENDS : SLOW) : described.kind;
  const letter = kind === LETTERS ? vocabulary.letters[fold]! : 0;
  return (vocabulary.units[code] = kind | (cls << 3) | (letter << 7) | (fold << 15));
}

function describe(code: number): { kind: number; cls: number; fold: number } {
  if (code >= 0xd800 && code < 0xe000) return { kind: SLOW, cls: 0, fold: 0 };
  const f = folded(code);
  const cls = f.before & (LOWER | UPPER | LETTER | NUMBER);
  const as = (kind: number, fold = 0) => ({ kind, cls, fold });
  if (f.before & DROPPED) return as(INVISIBLE);
  if (code < 0x80) return cls === 0 ? as(SEPARATOR) : as(LETTERS, String.fromCharCode(code).toLowerCase().charCodeAt(0));
  // İ lower-cases to two units: the reference folds such a text whole, not in place.
  if (f.sigma || f.joins || String.fromCharCode(code).toLowerCase().length !== 1) return as(SLOW);
  // A kana voicing mark makes the reference fold the sentence through NFC (tokens.ts): a voiced
  // kana is then its composed self, and nothing else may fold otherwise once composed.
  const pieces = f.voiced ? f.composed : f.pieces;
  if (!f.voiced && (f.composed.length !== f.pieces.length || f.composed.some((p, i) => p !== f.pieces[i]))) return as(SLOW);
  if (pieces.length === 1) {
    if (pieces[0] === '') return as(MARK);
    return pieces[0]!.length === 1 ? as(LETTERS, pieces[0]!.charCodeAt(0)) : as(SLOW);
  }
  if (pieces.length === 2 && pieces[0] === '' && pieces[1] === '') return as(SEPARATOR);
  if (pieces.length === 3 && pieces[0] === '' && pieces[2] === '' && pieces[1]!.length === 1) return as(CHARACTER, pieces[1]!.charCodeAt(0));
  return as(SLOW);
}

/**
 * Writes the words of text[from, to) as judge reads them into `words` from index `count` on, and
 * returns the count after them; -1 for a sentence with a SLOW character (what it wrote past
 * `count` is then no word). Written in place, not pushed: itemTokens reuses one array (Vocabulary.tokens).
 * With `sentence`, it stops where the sentence that starts at `from` ends (sentences.ts) and sets
 * vocabulary.end there, -1 when it runs to `to`: finding the ends with a regex was another pass
 * over every character judge reads, a twentieth of its time on long items.
 */
export function foldTopicRange(text: string, from: number, to: number, vocabulary: Vocabulary, words: string[], count: number, sentence = false): number {
  const { units, alphabet, next } = vocabulary;
  let n = count;
  let previous = 0; // class of the unit before (invisible ones skipped): camelCase split
  let pairable = 0; // what a letter/digit split pairs with: 0 right after a split (tokens.ts's cut)
  let node = NO_WORD; // the word's place in the trie, -1 once it left it
  let last = 0; // the word's last place in the trie
  let wordStart = 0;
  for (let i = from; i < to; i++) {
    const code = text.charCodeAt(i);
    let unit = units[code]!;
    if (unit === 0) unit = learn(vocabulary, code);
    const kind = kindOf(unit);
    if (kind === INVISIBLE) continue;
    const cls = classOf(unit);
    let split = false;
    if (cls === previous) pairable = cls; // no split between units of one class
    else {
      const camel = (previous & LOWER) !== 0 && (cls & UPPER) !== 0;
      const before = camel ? 0 : pairable;
      split = camel || ((before & LETTER) !== 0 && (cls & NUMBER) !== 0) || ((before & NUMBER) !== 0 && (cls & LETTER) !== 0);
      pairable = split && !camel ? 0 : cls;
      previous = cls;
    }
    if (kind === LETTERS) {
      if (split && node !== NO_WORD) {
        words[n++] = wordOf(vocabulary, text, wordStart, i, node, last);
        node = NO_WORD;
      }
      if (node === NO_WORD) {
        node = 0;
        wordStart = i;
      }
      if (node >= 0) {
        last = node;
        node = next[node * alphabet + letterOf(unit)]!;
      }
      if (code < 0x80) {
        // More ASCII of this class (a-z, A-Z or 0-9) splits nowhere: it only steps the trie.
        const same = unit & 0x7f;
        let j = i + 1;
        for (; j < to; j++) {
          const c = text.charCodeAt(j);
          const u = c < 0x80 ? units[c]! : 0;
          if ((u & 0x7f) !== same) break;
          if (node >= 0) {
            last = node;
            node = next[node * alphabet + letterOf(u)]!;
          }
        }
        if (j > i + 1) pairable = cls;
        i = j - 1;
      }
      continue;
    }
    if (kind === SLOW) return -1;
    // A mark after a split still ends the word before it; a mark otherwise joins the letters around it.
    if (node !== NO_WORD && (kind !== MARK || split)) {
      words[n++] = wordOf(vocabulary, text, wordStart, i, node, last);
      node = NO_WORD;
    }
    if (kind === CHARACTER) words[n++] = character(vocabulary, foldOf(unit));
    else if (kind === ENDS && sentence) {
      const end = endAtMark(text, i, from);
      if (end >= 0) {
        vocabulary.end = end;
        return n;
      }
    }
  }
  if (node !== NO_WORD) words[n++] = wordOf(vocabulary, text, wordStart, to, node, last);
  vocabulary.end = -1;
  return n;
}

const NO_WORD = -2;

/** A word of one character (続, or the 1 of ⑴), as judge reads it; remembered in `characters` (at most one per UTF-16 unit). */
function character(vocabulary: Vocabulary, code: number): string {
  let word = vocabulary.characters[code];
  if (word === undefined) vocabulary.characters[code] = word = projectWord(vocabulary, String.fromCharCode(code));
  return word;
}

/**
 * The word cut from text[from, to), `node` its place in the trie (-1 if it left it after `last`):
 * the topic's string, itself (a prefix word fits it), or a placeholder.
 */
function wordOf(vocabulary: Vocabulary, text: string, from: number, to: number, node: number, last: number): string {
  if (node >= 0 && vocabulary.words[node] !== '') return vocabulary.words[node]!;
  if (vocabulary.prefixed[node >= 0 ? node : last]) return spelled(vocabulary, text, from, to);
  return isDigit(foldOf(vocabulary.units[text.charCodeAt(from)]!)) ? OTHER_NUMBER : OTHER_WORD;
}

function spelled(vocabulary: Vocabulary, text: string, from: number, to: number): string {
  let word = '';
  for (let i = from; i < to; i++) {
    const unit = vocabulary.units[text.charCodeAt(i)]!;
    if (kindOf(unit) === LETTERS) word += String.fromCharCode(foldOf(unit));
  }
  return word;
}
