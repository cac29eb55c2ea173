import { ASCII, DROPPED, folded, LETTER, LOWER, NUMBER, UPPER, WORD, type Folded } from './fold.ts';
import { dropInvisible, htmlToText } from './text.ts';
import { sentenceEnd } from './sentences.ts';
import { foldTopicRange } from './topic-tokens.ts';
import { projectWord, type Vocabulary } from './vocabulary.ts';

/**
 * Text → words for matching: HTML and entities removed, camelCase and letter/digit runs split
 * (#AlitaArmy, Alita2), accents and case folded, punctuation dropped.
 */
export function foldForMatching(text: string): string[] {
  // One pass over the text (foldWords); foldAnyText for the rare texts it hands back.
  const words: string[] = [];
  return foldWords(text, words) ? words : foldAnyText(text);
}

/**
 * What foldForMatching gives, spelled as the regex passes that define it: foldWords does the same
 * in one pass and hands back to this the texts it cannot fold exactly (a capital Σ, İ, NFC across
 * characters).
 */
export function foldAnyText(text: string): string[] {
  return foldCharacters(
    text
      .replace(/[\u200B-\u200F\u2060-\u2064\uFEFF\u00AD]/g, '')
      .replace(/(\p{Ll})(\p{Lu})/gu, '$1 $2')
      .replace(/(\p{L})(\p{N})|(\p{N})(\p{L})/gu, (_m, a, b, c, d) => (a ? `${a} ${b}` : `${c} ${d}`)),
  )
    // Japanese and Chinese write words without spaces: each character is a token, so a term
    // matches as a substring of the run (続編 inside 『アリータ』続編に), never across a break.
    .replace(CJK, ' $& ')
    .split(/[^\p{L}\p{N}]+/u)
    .filter(Boolean);
}

/**
 * Appends the words of `text` exactly as foldAnyText gives them, or appends nothing and returns
 * false for a text only foldAnyText folds exactly (NFC joining across code points, a capital Σ, İ).
 */
export function foldWords(text: string, words: string[]): boolean {
  // Lower-casing keeps every character's place but İ's (test/tokens-fast.test.ts checks), and
  // changes Σ by context, which cut hands back anyway.
  const lower = text.toLowerCase();
  return lower.length === text.length && foldRange(text, lower, 0, text.length, words);
}

/** foldWords for text[from, to), with `lower` the whole text lower-cased (as long as the text). */
function foldRange(text: string, lower: string, from: number, to: number, words: string[]): boolean {
  const start = words.length;
  let result = cut(text, lower, from, to, words, false);
  if (result === 'composed') {
    // A voicing mark is left: foldAnyText puts the whole text through NFC, which also rebuilds
    // Hangul syllables the NFKD fold took apart. Found early in most Japanese text: start again.
    words.length = start;
    result = cut(text, lower, from, to, words, true);
  }
  if (result === 'done') return true;
  words.length = start;
  return false;
}

function cut(text: string, lower: string, from: number, end: number, words: string[], composing: boolean): 'done' | 'composed' | 'slow' {
  // Slices of the text that fold to themselves are cut from it lower-cased.
  let word = ''; // the word being cut, as far as it is folded
  let run = -1; // start of a slice of `lower` that continues the word, -1 if none
  let previous = 0; // class of the code point before (after zero-width removal): camelCase split
  let pairable = 0; // class of the element a letter/digit split pairs with: 0 after a split (see below)
  for (let i = from; i < end; ) {
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
  if (run >= 0) word += lower.slice(run, end);
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

/** Han, kana and the marks that belong to them (ー, 々): the scripts written without spaces. */
export const CJK = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\u30FC\u3005]/gu;

/**
 * Compatibility forms folded (full-width letters, Ⅱ → II), accents dropped, lower case. The
 * kana voicing marks are kept (バ is not ハ): they tell Japanese words apart, not accents.
 */
export function foldCharacters(text: string): string {
  const folded = text.normalize('NFKD').replace(/(?![\u3099\u309A])\p{M}/gu, '');
  return (/[\u3099\u309A]/.test(folded) ? folded.normalize('NFC') : folded).toLowerCase();
}

export const NON_ASCII = /[^\x00-\x7f]/;

/** Marker between fields and sentences: matches never span it, and it adds distance. */
export const BREAK = '\u0000';

/**
 * An item's fields as one token stream, with breaks between fields and sentences. With a topic's
 * vocabulary (judge), a word no term can match is a placeholder (topic-tokens.ts). `normalised`:
 * the fields are text as normalize.ts leaves it (see JudgeOptions.normalised), read as they are.
 */
export function itemTokens(fields: string[], vocabulary?: Vocabulary, normalised = false, sentences?: Sentences): string[] {
  // Written by index into judge's work array (Vocabulary.tokens), which keeps its length from item
  // to item: `n` counts this item's tokens, and they go out as a copy of exactly that many.
  const tokens = vocabulary ? vocabulary.tokens : [];
  let n = 0;
  for (const field of fields) {
    // Normalised text is read as it is; other text needs the HTML parser for markup or entities.
    // Words only: runs of whitespace need no folding (the sentence split takes any run), only
    // the invisible characters that would cut a word in two go; the regex that folds them was 4 %
    // of a poll's parse worker.
    const text = normalised ? field.trim() : /[<&]/.test(field) ? htmlToText(field) : dropInvisible(field).trim();
    if (!text) continue;
    tokens[n++] = BREAK;
    tokens[n++] = BREAK;
    const read = sentences ? sentences.texts.push(text) - 1 : 0;
    // Sentence by sentence, as sentenceEnd cuts them, but each folded where it stands
    // in the text, lower-cased once: a copy and a lower-cased copy of every sentence were a good
    // part of judging a long article. (Lower-cased whole, a text keeps its length but for İ.)
    let lower: string | undefined;
    for (let from = 0; ; ) {
      // Brackets end a run too: "(part 2)" is an aside, not a sequel number after the title.
      // The sentence runs on through its end: spaces and marks that make no word, so its words
      // are the same. Judge's fold finds the end as it goes (topic-tokens.ts); else sentenceEnd.
      const first = n;
      const folded = vocabulary ? foldTopicRange(text, from, text.length, vocabulary, tokens, n, true) : -1;
      const end = folded >= 0 ? vocabulary!.end : sentenceEnd(text, from);
      const ended = end >= 0;
      const to = ended ? end : text.length;
      sentences?.marks.push(first, read, from, to);
      if (folded >= 0) n = folded;
      else {
        // The plain fold; for judge, a sentence its fold leaves (topic-tokens.ts), projected word by word.
        lower ??= text.toLowerCase();
        const words: string[] = [];
        foldSentence(text, lower, from, to, words);
        for (const word of words) tokens[n++] = vocabulary ? projectWord(vocabulary, word) : word;
      }
      // "submitted by /u/motorball_addict": a Reddit user's name is no evidence (nor a film word),
      // so the rest of its run is left out (the brackets of "[link]" end it).
      for (let t = first + 2; t < n; t++) {
        if (tokens[t] === 'u' && tokens[t - 1] === 'by' && tokens[t - 2] === 'submitted') {
          n = t + 1;
          break;
        }
      }
      tokens[n++] = BREAK;
      if (!ended) break;
      from = to;
    }
  }
  if (vocabulary) return tokens.slice(0, n);
  tokens.length = n;
  return tokens;
}

/**
 * Where itemTokens found each sentence: the texts it read, and per sentence its first token, its
 * text (an index into `texts`) and its place there [from, to), four numbers a sentence.
 */
export interface Sentences {
  texts: string[];
  marks: number[];
}

/**
 * The word at token `at` as itemTokens spells it without a vocabulary (judge's tokens hold a
 * placeholder for most words): only that word's sentence is folded again, not the whole item.
 * Undefined for a break or past the end.
 */
export function spellAt(sentences: Sentences, at: number): string | undefined {
  const { marks } = sentences;
  // The last sentence starting at or before `at` (an empty one starts where the next one's break is).
  let low = 0;
  let high = marks.length / 4 - 1;
  let found = -1;
  while (low <= high) {
    const middle = (low + high) >> 1;
    if (marks[middle * 4]! <= at) {
      found = middle;
      low = middle + 1;
    } else high = middle - 1;
  }
  if (found < 0) return undefined;
  const text = sentences.texts[marks[found * 4 + 1]!]!;
  // Lower-cased alone, the sentence keeps its length where the whole text does (foldSentence).
  const sentence = text.slice(marks[found * 4 + 2]!, marks[found * 4 + 3]!);
  const words: string[] = [];
  foldSentence(sentence, sentence.toLowerCase(), 0, sentence.length, words);
  return words[at - marks[found * 4]!];
}

/**
 * Appends the plain words of text[from, to), `lower` the text lower-cased: the one-pass fold, or
 * foldAnyText where it hands back (and where lower-casing moved the text's places: İ).
 */
function foldSentence(text: string, lower: string, from: number, to: number, words: string[]): void {
  // A loop, not push(...words): a sentence can run to more words than a call takes arguments.
  if (lower.length !== text.length || !foldRange(text, lower, from, to, words)) for (const word of foldAnyText(text.slice(from, to))) words.push(word);
}
