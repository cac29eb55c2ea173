import type { Match } from './match.ts';
import type { CompiledTerm } from './topic.ts';
import { ShortMemo } from './short-memo.ts';
import { BREAK } from './tokens.ts';
import { OTHER_NUMBER, OTHER_WORD } from './vocabulary.ts';

/**
 * Term lists as one word-level trie, built once per list (or set of lists), so finding terms costs
 * what can match: a common first word ("de", "the", "la") that starts forty terms is one step into
 * the trie, and the walk goes on only while the next token has a child there. Trying each of those
 * forty terms word by word took some 11 % of the bot's CPU on long items (issue 16).
 */

/** A term that ends at a trie node: which list it is in, and its place there (ties go to the first listed). */
export interface Ending {
  term: CompiledTerm;
  list: number;
  order: number;
}

/**
 * Prefix words ("sequel*") by their letters, one UTF-16 unit a step (as startsWith compares): a token
 * walks down as far as its letters go, and every prefix ending on the way fits it. Comparing the token
 * with every prefix word at a node, or its stem with theirs, cost a string and a lookup a token.
 */
interface Letters {
  next: Map<number, Letters> | undefined;
  /** The trie node after a prefix word ending here. */
  node: Node | undefined;
}

interface Node {
  words: Map<string, Node> | undefined;
  prefixes: Letters | undefined;
  /** After "<end>"/"<start>": a BREAK token, or past either end of the stream (as the rule means it). */
  boundary: Node | undefined;
  ends: Ending[] | undefined;
  /** False for a leaf, so the walk does not look at the next token for nothing. */
  inner: boolean;
}

export interface TermTrie {
  root: Node;
  /** Built from the terms' words last to first, for the terms that end at a place (endsAt). */
  reversed: boolean;
  /**
   * The nodes each token leads to from the root, as step finds them: most words of a text are
   * common words met again and again ("the", "film", "de"), and nearly all lead nowhere, so a
   * walk starts with one lookup instead of a word and a few letters' worth of them.
   */
  firstSteps: ShortMemo<Node[]>;
  collector: Collector;
}

/**
 * Tokens remembered per trie before the memo starts over: the words a cycle meets most come
 * back within a few thousand, and the memo stays some hundreds of kilobytes.
 */
const FIRST_STEPS_MAX = 8192;

const node = (): Node => ({ words: undefined, prefixes: undefined, boundary: undefined, ends: undefined, inner: false });

function child(parent: Node, word: { text: string; prefix: boolean }): Node {
  parent.inner = true;
  if (word.text === BREAK) return (parent.boundary ??= node());
  if (!word.prefix) {
    const words = (parent.words ??= new Map());
    let next = words.get(word.text);
    if (!next) words.set(word.text, (next = node()));
    return next;
  }
  let letters = (parent.prefixes ??= { next: undefined, node: undefined });
  for (let k = 0; k < word.text.length; k++) {
    const next = (letters.next ??= new Map());
    const code = word.text.charCodeAt(k);
    let step = next.get(code);
    if (!step) next.set(code, (step = { next: undefined, node: undefined }));
    letters = step;
  }
  return (letters.node ??= node());
}

const NO_LISTS: Array<Found[] | undefined> = [];

/**
 * Where findAll's walks put what they find, one per trie with its visit made once: a visit made
 * per call (a closure over the call's lists) was a function V8 optimised again and again, some
 * five times a cycle. A walk never calls findAll, so one trie's collector is never used twice at once.
 */
class Collector {
  found = NO_LISTS;
  start = 0;
  readonly visit = (ends: Ending[]): void => {
    const { found, start } = this;
    for (let e = 0; e < ends.length; e++) {
      const { term, list, order } = ends[e]!;
      const matches = (found[list] ??= []);
      // Matches come by start; within one start a later-listed term may come first, so it moves up.
      const match = { label: term.source, start, end: start + term.words.length, order };
      let k = matches.length;
      while (k > 0 && matches[k - 1]!.start === start && matches[k - 1]!.order > order) k--;
      if (k === matches.length) matches.push(match);
      else matches.splice(k, 0, match);
    }
  };
}

/** The trie of `lists` (each term with its list's index and its place in it); `reversed` for endsAt. */
export function buildTrie(lists: CompiledTerm[][], reversed = false): TermTrie {
  const root = node();
  lists.forEach((terms, list) =>
    terms.forEach((term, order) => {
      const words = reversed ? [...term.words].reverse() : term.words;
      let at = root;
      for (const word of words) at = child(at, word);
      (at.ends ??= []).push({ term, list, order });
    }),
  );
  return { root, reversed, firstSteps: new ShortMemo((token) => stepsFrom(root, token), FIRST_STEPS_MAX), collector: new Collector() };
}

/** Called with the terms found; returning true stops the walk (endsAt needs only one). */
export type Visit = (ends: Ending[]) => boolean | void;

/**
 * Every term whose words match the tokens from `at` on (backwards in a reversed trie): a word the
 * token itself, a prefix word a token it starts, "<end>" a BREAK or no token at all (past an end).
 */
export function walk(trie: TermTrie, tokens: string[], at: number, visit: Visit): boolean {
  const by = trie.reversed ? -1 : 1;
  const token = tokenAt(tokens, at);
  if (token === undefined || token === BREAK) return step(trie.root, tokens, at, by, visit);
  // Indexed loops here and below: the for-of's iterator steps were a property read V8 had no
  // feedback for when it optimised walk, and it dropped walk's optimised code on long items.
  const nodes = trie.firstSteps.get(token);
  for (let k = 0; k < nodes.length; k++) if (enter(nodes[k]!, tokens, at + by, by, visit)) return true;
  return false;
}

const NO_NODES: Node[] = [];

/** The nodes a word token leads to from `from`: its own word first, then the prefix words it starts, shortest first. */
function stepsFrom(from: Node, token: string): Node[] {
  const nodes: Node[] = [];
  const exact = from.words?.get(token);
  if (exact) nodes.push(exact);
  let letters = from.prefixes;
  for (let k = 0; letters?.next && k < token.length; k++) {
    letters = letters.next.get(token.charCodeAt(k));
    if (letters?.node) nodes.push(letters.node);
  }
  return nodes.length > 0 ? nodes : NO_NODES;
}

/**
 * The token at `at`, undefined past either end. Bounds checked, not read: reading an array out of
 * its bounds (every walk that reaches an end) made V8 drop the optimised code of the walk's callers.
 */
function tokenAt(tokens: string[], at: number): string | undefined {
  return at >= 0 && at < tokens.length ? tokens[at] : undefined;
}

/**
 * stepsFrom's nodes, entered as they are found: a walk's later steps are not remembered, and the
 * array each step made was a tenth of what the parse worker allocated on long items (issue 16).
 */
function step(from: Node, tokens: string[], at: number, by: 1 | -1, visit: Visit): boolean {
  const token = tokenAt(tokens, at);
  if (token === undefined || token === BREAK) return from.boundary !== undefined && enter(from.boundary, tokens, at + by, by, visit);
  const exact = from.words?.get(token);
  if (exact && enter(exact, tokens, at + by, by, visit)) return true;
  let letters = from.prefixes;
  for (let k = 0; letters?.next && k < token.length; k++) {
    letters = letters.next.get(token.charCodeAt(k));
    if (letters?.node && enter(letters.node, tokens, at + by, by, visit)) return true;
  }
  return false;
}

function enter(node: Node, tokens: string[], next: number, by: 1 | -1, visit: Visit): boolean {
  if (node.ends && visit(node.ends)) return true;
  return node.inner && step(node, tokens, next, by, visit);
}

export type Found = Match & { order: number };

/**
 * Every list's matches (per list, made on its first match: most of an item's lists match nothing),
 * in token order, and of two matches at one place the first listed first: callers rely on it.
 */
export function findAll(tokens: string[], trie: TermTrie, lists: number): Array<Found[] | undefined> {
  const collector = trie.collector;
  const found = new Array<Found[] | undefined>(lists);
  collector.found = found;
  // A list's terms are looked for from words only (firstAt, asked about one place, looks from a break too).
  // A placeholder (vocabulary.ts) is a word no term has: no term starts there.
  for (let start = 0; start < tokens.length; start++) {
    const token = tokens[start];
    if (token === BREAK || token === OTHER_WORD || token === OTHER_NUMBER) continue;
    collector.start = start;
    walk(trie, tokens, start, collector.visit);
  }
  collector.found = NO_LISTS;
  return found;
}
