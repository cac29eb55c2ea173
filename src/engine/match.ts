import type { CompiledPair, CompiledTerm } from './topic.ts';
import { BREAK } from './tokens.ts';

/** Where a term (or a pair of terms) was found in an item's token stream: [start, end). */
export interface Match {
  label: string;
  start: number;
  end: number;
}

function wordMatches(token: string | undefined, word: { text: string; prefix: boolean }): boolean {
  // "<end>" and "<start>" in the rule: a sentence or field boundary, or either end of the item.
  if (word.text === BREAK) return token === undefined || token === BREAK;
  if (token === undefined || token === BREAK) return false;
  return word.prefix ? token.startsWith(word.text) : token === word.text;
}

export function matchAt(tokens: string[], i: number, term: CompiledTerm): boolean {
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

export function findTerms(tokens: string[], terms: CompiledTerm[]): Match[] {
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
export function firstAt(tokens: string[], i: number, terms: CompiledTerm[]): CompiledTerm | undefined {
  const key = tokens[i] ?? BREAK;
  let best: Entry | undefined;
  for (const { exact, prefixed } of lookupOf(terms).byLength.values()) {
    for (const c of exact.get(key) ?? NONE) if ((!best || c.order < best.order) && matchAt(tokens, i, c.term)) best = c;
    for (const c of prefixed) if ((!best || c.order < best.order) && matchAt(tokens, i, c.term)) best = c;
  }
  return best?.term;
}

/** Whether one of `terms` ends just before `i`. */
export function endsAt(tokens: string[], i: number, terms: CompiledTerm[]): boolean {
  for (const [length, { exact, prefixed }] of lookupOf(terms).byLength) {
    const start = i - length;
    const key = tokens[start] ?? BREAK;
    for (const c of exact.get(key) ?? NONE) if (matchAt(tokens, start, c.term)) return true;
    for (const c of prefixed) if (matchAt(tokens, start, c.term)) return true;
  }
  return false;
}

/** `first`, then within `gap` words `then`, never across a sentence break (`firsts`: pair.first's matches, when known). */
export function findPairs(tokens: string[], pair: CompiledPair, firsts: Match[] = findTerms(tokens, pair.first)): Match[] {
  const matches: Match[] = [];
  for (const first of firsts) {
    if (endsAt(tokens, first.start, pair.notPrecededBy) || (pair.precededBy && !endsAt(tokens, first.start, pair.precededBy))) continue;
    if (pair.then.length === 0) {
      if (!firstAt(tokens, first.end, pair.notFollowedBy)) matches.push(first);
      continue;
    }
    for (let at = first.end; at <= first.end + pair.gap; at++) {
      if (at > first.end && (tokens[at - 1] === BREAK || (pair.via && !firstAt(tokens, at - 1, pair.via)))) break;
      if (pair.minGap !== undefined && at - first.end < pair.minGap) continue;
      const then = firstAt(tokens, at, pair.then);
      if (!then) continue;
      const end = at + then.words.length;
      if (firstAt(tokens, end, pair.notFollowedBy)) continue;
      matches.push({ label: `${first.label} … ${then.source}`.replace(' … ', at === first.end ? ' ' : ' … '), start: first.start, end });
      break;
    }
  }
  return matches;
}

function within(inner: Match, outer: Match): boolean {
  return inner !== outer && inner.start >= outer.start && inner.end <= outer.end;
}

/** Drops matches lying inside a longer one ("development" inside "in development"). */
export function outermost(matches: Match[], alreadyCounted: Match[] = []): Match[] {
  const same = (a: Match, b: Match) => a.start === b.start && a.end === b.end;
  return matches.filter(
    (m, i) =>
      !alreadyCounted.some((c) => within(m, c) || same(m, c)) &&
      // Of two matches over the same words, the first listed speaks for both.
      !matches.some((o, j) => (same(m, o) ? j < i : within(m, o))),
  );
}

export function distance(a: Match, b: Match): number {
  if (b.start >= a.end) return b.start - a.end + 1;
  if (a.start >= b.end) return a.start - b.end + 1;
  return 0;
}

export function nearest(match: Match, candidates: Match[]): Match | undefined {
  let best: Match | undefined;
  for (const c of candidates) if (!best || distance(match, c) < distance(match, best)) best = c;
  return best;
}

export function distinctLabels(matches: Match[]): Match[] {
  const seen = new Set<string>();
  return matches.filter((m) => !seen.has(m.label) && seen.add(m.label));
}

/** Joins touching or overlapping matches ("alita" + "battle angel") into one span. */
export function mergeAdjacent(matches: Match[]): Match[] {
  const sorted = [...matches].sort((a, b) => a.start - b.start);
  const merged: Match[] = [];
  for (const m of sorted) {
    const last = merged.at(-1);
    if (last && m.start <= last.end) last.end = Math.max(last.end, m.end);
    else merged.push({ ...m });
  }
  return merged;
}
