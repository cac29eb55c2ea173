import { CJK_CHARACTER } from './fold.ts';
import type { CompiledTerm, Topic } from './topic.ts';
import { BREAK } from './tokens.ts';

/**
 * Every word a topic's terms can match, as a letter trie walked one folded character at a time
 * (topic-tokens.ts walks it while it cuts a word): a word of an item that is none of them and
 * starts none of its prefix words ("sequel*") can match nothing, so judge reads it as a
 * placeholder and never cuts it out of the text or looks it up. Nodes are numbered, edges kept in
 * one table by node and letter: a step is two array reads.
 */
export interface Vocabulary {
  /** Letters the trie's words use, as 1..alphabet-1 by UTF-16 unit (0: no word has it). */
  letters: Uint8Array;
  alphabet: number;
  /** next[node * alphabet + letter]: the child, or -1. Node 0 is the root. */
  next: Int32Array;
  /** The word ending at a node, as the topic spells it (the same string every time), or ''. */
  words: string[];
  /** Whether a prefix word ends at a node or above it: a word reaching it must be spelled out. */
  prefixed: Uint8Array;
  /**
   * Japanese and Chinese words, one character each (fold.ts), by UTF-16 unit; topic-tokens.ts adds
   * what it reads any other one-character word as. A table, not a Map: Japanese text is a word a
   * character, and the Map's look-up was a twelfth of folding it.
   */
  characters: Array<string | undefined>;
  /** What topic-tokens.ts learned of each UTF-16 unit, with its letter here (0: not yet met). */
  units: Int32Array;
  /**
   * itemTokens' work array, reused from item to item (judge reads one item at a time on a thread,
   * and itemTokens hands back a copy of what it wrote): an array grown token by token for every
   * item was a tenth of what the parse worker allocated on long items, and its collections.
   */
  tokens: string[];
  /** Where foldTopicRange's last sentence ended (-1: at the end of its range). */
  end: number;
}

/** A word judge need not spell: it matches no term. */
export const OTHER_WORD = '\u0001';
/** The same, for a word that starts with a digit (other-works.ts tells numbers apart). */
export const OTHER_NUMBER = '0\u0001';

/**
 * Words the rules compare tokens with as such, not through a term: the Reddit user-name guard
 * (tokens.ts, mentions.ts) and a bare "Alita" (relevance.ts). They must keep their spelling.
 */
export const SPELLED_WORDS = ['submitted', 'by', 'u', 'alita', 'alitas'];

const vocabularies = new WeakMap<Topic, Vocabulary>();

/** Whether the vocabulary of `topic` is built. */
export function hasVocabulary(topic: Topic): boolean {
  return vocabularies.has(topic);
}

/** The vocabulary of every term anywhere in `topic`, built on first use. */
export function vocabularyOf(topic: Topic): Vocabulary {
  let vocabulary = vocabularies.get(topic);
  if (!vocabulary) vocabularies.set(topic, (vocabulary = buildVocabulary(termWords(topic))));
  return vocabulary;
}

/**
 * The words of every compiled term found in `topic`, however deep: a section added to topic.ts
 * later is covered without a list to keep in step.
 */
function termWords(topic: Topic): Array<{ text: string; prefix: boolean }> {
  const words = SPELLED_WORDS.map((text) => ({ text, prefix: false }));
  const seen = new Set<object>();
  const visit = (value: unknown): void => {
    if (!value || typeof value !== 'object' || seen.has(value)) return;
    seen.add(value);
    if (Array.isArray(value)) for (const v of value) visit(v);
    else if (isTerm(value)) for (const word of value.words) words.push(word);
    else for (const v of Object.values(value)) visit(v);
  };
  visit(topic);
  // Each word once, in the order first met (the trie numbers letters and nodes by it, so the
  // vocabulary is the same): a topic's terms share their words (13,460 words, 3,567 distinct),
  // and a fresh worker built the trie from every copy (some 40 ms, against 27 from each once).
  const distinct = new Set<string>();
  return words.filter((word) => {
    const key = word.prefix ? `${word.text}*` : word.text;
    if (word.text === BREAK || word.text === '' || distinct.has(key)) return false;
    distinct.add(key);
    return true;
  });
}

function isTerm(value: object): value is CompiledTerm {
  return typeof (value as CompiledTerm).source === 'string' && Array.isArray((value as CompiledTerm).words);
}

export function buildVocabulary(list: Array<{ text: string; prefix: boolean }>): Vocabulary {
  // Filled, so that V8 keeps it a flat array (a sparse one would be a dictionary).
  const characters = new Array<string | undefined>(65536).fill(undefined);
  const trieWords = list.filter((word) => {
    if (word.prefix || word.text.length !== 1 || !CJK_CHARACTER.test(word.text)) return true;
    characters[word.text.charCodeAt(0)] = word.text;
    return false;
  });
  const letters = new Uint8Array(65536);
  let alphabet = 1;
  for (const { text } of trieWords) {
    for (let k = 0; k < text.length; k++) {
      const code = text.charCodeAt(k);
      if (letters[code] === 0) {
        if (alphabet === 255) throw new Error('vocabulary: more than 254 letters');
        letters[code] = alphabet++;
      }
    }
  }
  // Children as maps while building; the table once the size is known.
  const children: Array<Map<number, number>> = [new Map()];
  const words: string[] = [''];
  const prefixEnds: boolean[] = [false];
  for (const { text, prefix } of trieWords) {
    let node = 0;
    for (let k = 0; k < text.length; k++) {
      const letter = letters[text.charCodeAt(k)]!;
      let child = children[node]!.get(letter);
      if (child === undefined) {
        child = children.length;
        children[node]!.set(letter, child);
        children.push(new Map());
        words.push('');
        prefixEnds.push(false);
      }
      node = child;
    }
    if (prefix) prefixEnds[node] = true;
    else if (words[node] === '') words[node] = text;
  }
  const next = new Int32Array(children.length * alphabet).fill(-1);
  const prefixed = new Uint8Array(children.length);
  // Parents come before children (a child is numbered when first reached), so one pass in order.
  children.forEach((map, node) => {
    if (prefixEnds[node]) prefixed[node] = 1;
    for (const [letter, child] of map) {
      next[node * alphabet + letter] = child;
      if (prefixed[node]) prefixed[child] = 1;
    }
  });
  return { letters, alphabet, next, words, prefixed, characters, units: new Int32Array(65536), tokens: [], end: -1 };
}

/** What judge reads for a word of an item: the word itself if a term may match it, else a placeholder. */
export function projectWord(vocabulary: Vocabulary, word: string): string {
  if (word === BREAK) return word;
  const character = word.length === 1 ? vocabulary.characters[word.charCodeAt(0)] : undefined;
  if (character !== undefined) return character;
  let node = 0;
  for (let k = 0; k < word.length && node >= 0; k++) {
    if (vocabulary.prefixed[node]) return word;
    node = vocabulary.next[node * vocabulary.alphabet + vocabulary.letters[word.charCodeAt(k)]!]!;
  }
  if (node >= 0 && (vocabulary.words[node] !== '' || vocabulary.prefixed[node])) return vocabulary.words[node] || word;
  return isDigit(word.charCodeAt(0)) ? OTHER_NUMBER : OTHER_WORD;
}

export function isDigit(code: number): boolean {
  return code >= 0x30 && code <= 0x39;
}
