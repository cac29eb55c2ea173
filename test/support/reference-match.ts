/**
 * The term search as it was before the trie (src/engine/term-trie.ts), kept word for word as the
 * reference the trie must agree with (test/scan-equivalence.test.ts): a term's first word looked up,
 * then each candidate tried word by word. Slow on long items, and plainly right.
 */
import type { Match } from '../../src/engine/match.ts';
import type { CompiledTerm } from '../../src/engine/topic.ts';
import { BREAK } from '../../src/engine/tokens.ts';

function wordMatches(token: string | undefined, word: { text: string; prefix: boolean }): boolean {
  // "<end>" and "<start>" in the rule: a sentence or field boundary, or either end of the item.
  if (word.text === BREAK) return token === undefined || token === BREAK;
  if (token === undefined || token === BREAK) return false;
  return word.prefix ? token.startsWith(word.text) : token === word.text;
}

function matchAt(tokens: string[], i: number, term: CompiledTerm): boolean {
  return term.words.every((word, k) => wordMatches(tokens[i + k], word));
}

/**
 * A term list by its terms' lengths and first words, each with its place in the list: built once
 * per list, so only terms whose first word fits a token are tried (long articles, hundreds of terms).
 */
interface Entry {
  term: CompiledTerm;
  order: number;
}

interface Lookup {
  /** Terms by length, then by exact first word; `prefixed`: first word ending in *, tried everywhere. */
  byLength: Map<number, { exact: Map<string, Entry[]>; prefixed: Entry[] }>;
}

const lookups = new WeakMap<CompiledTerm[], Lookup>();
const NONE: never[] = [];

function lookupOf(terms: CompiledTerm[]): Lookup {
  let lookup = lookups.get(terms);
  if (!lookup) {
    lookup = { byLength: new Map() };
    terms.forEach((term, order) => {
      const length = term.words.length;
      let group = lookup!.byLength.get(length);
      if (!group) lookup!.byLength.set(length, (group = { exact: new Map(), prefixed: [] }));
      const first = term.words[0]!;
      if (first.prefix) group.prefixed.push({ term, order });
      else group.exact.set(first.text, [...(group.exact.get(first.text) ?? []), { term, order }]);
    });
    lookups.set(terms, lookup);
  }
  return lookup;
}

export function referenceFindTerms(tokens: string[], terms: CompiledTerm[]): Match[] {
  const matches: Array<Match & { order: number }> = [];
  const groups = [...lookupOf(terms).byLength.values()];
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i]!;
    if (token === BREAK) continue;
    for (const { exact, prefixed } of groups) {
      for (const c of exact.get(token) ?? NONE) if (matchAt(tokens, i, c.term)) matches.push({ label: c.term.source, start: i, end: i + c.term.words.length, order: c.order });
      for (const c of prefixed) if (matchAt(tokens, i, c.term)) matches.push({ label: c.term.source, start: i, end: i + c.term.words.length, order: c.order });
    }
  }
  // Callers rely on list order for ties (the first listed term speaks for equal spans).
  return matches.sort((a, b) => a.start - b.start || a.order - b.order).map(({ order: _order, ...match }) => match);
}

/** The first listed of `terms` that starts at `i` (only terms whose first word fits are tried). */
export function referenceFirstAt(tokens: string[], i: number, terms: CompiledTerm[]): CompiledTerm | undefined {
  const key = tokens[i] ?? BREAK;
  let best: Entry | undefined;
  for (const { exact, prefixed } of lookupOf(terms).byLength.values()) {
    for (const c of exact.get(key) ?? NONE) if ((!best || c.order < best.order) && matchAt(tokens, i, c.term)) best = c;
    for (const c of prefixed) if ((!best || c.order < best.order) && matchAt(tokens, i, c.term)) best = c;
  }
  return best?.term;
}

/** Whether one of `terms` ends just before `i`. */
export function referenceEndsAt(tokens: string[], i: number, terms: CompiledTerm[]): boolean {
  for (const [length, { exact, prefixed }] of lookupOf(terms).byLength) {
    const start = i - length;
    const key = tokens[start] ?? BREAK;
    for (const c of exact.get(key) ?? NONE) if (matchAt(tokens, start, c.term)) return true;
    for (const c of prefixed) if (matchAt(tokens, start, c.term)) return true;
  }
  return false;
}

// src/engine/scan.ts: many lists in one index, found in one pass.

type Found = Match & { order: number };

interface ScanEntry {
  term: CompiledTerm;
  list: number;
  order: number;
}

/** Prefix terms (sequel*) are looked up by their first letters, not tried on every word. */
const STEM = 3;

/** Many term lists indexed together: by a term's exact first word, or the stem of a prefix word. */
interface Index {
  lists: CompiledTerm[][];
  position: Map<CompiledTerm[], number>;
  exact: Map<string, ScanEntry[]>;
  stems: Map<string, ScanEntry[]>;
  /** Prefix words shorter than a stem: tried on every word. */
  short: ScanEntry[];
}

function add(map: Map<string, ScanEntry[]>, key: string, entry: ScanEntry): void {
  const entries = map.get(key);
  if (entries) entries.push(entry);
  else map.set(key, [entry]);
}

function scanIndexOf(lists: CompiledTerm[][]): Index {
  const index: Index = { lists, position: new Map(), exact: new Map(), stems: new Map(), short: [] };
  lists.forEach((terms, list) => {
    if (!index.position.has(terms)) index.position.set(terms, list);
    terms.forEach((term, order) => {
      const entry = { term, list, order };
      const first = term.words[0]!;
      if (!first.prefix) add(index.exact, first.text, entry);
      else if (first.text.length >= STEM) add(index.stems, first.text.slice(0, STEM), entry);
      else index.short.push(entry);
    });
  });
  return index;
}

const indexes = new WeakMap<CompiledTerm[][], Index>();

/** Every list's matches, as Scan found them (undefined: the list matched nothing). */
export function referenceScan(tokens: string[], lists: CompiledTerm[][]): Array<Found[] | undefined> {
  let index = indexes.get(lists);
  if (!index) indexes.set(lists, (index = scanIndexOf(lists)));
  const found: Array<Found[] | undefined> = new Array(index.lists.length);
  const attempt = (i: number, { term, list, order }: ScanEntry): void => {
    if (matchAt(tokens, i, term)) (found[list] ??= []).push({ label: term.source, start: i, end: i + term.words.length, order });
  };
  const { exact, stems, short } = index;
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i]!;
    if (token === BREAK) continue;
    const candidates = exact.get(token);
    if (candidates) for (const entry of candidates) attempt(i, entry);
    const stemmed = token.length >= STEM ? stems.get(token.slice(0, STEM)) : undefined;
    if (stemmed) for (const entry of stemmed) attempt(i, entry);
    for (const entry of short) attempt(i, entry);
  }
  // In token order, and of two matches at one place the first listed first: callers rely on it.
  for (const matches of found) if (matches && matches.length > 1) matches.sort((a, b) => a.start - b.start || a.order - b.order);
  return found;
}
