import type { CompiledPair, CompiledTerm } from './topic.ts';
import { buildTrie, findAll, walk, type Ending, type TermTrie } from './term-trie.ts';
import { BREAK } from './tokens.ts';

/** Where a term (or a pair of terms) was found in an item's token stream: [start, end). */
export interface Match {
  label: string;
  start: number;
  end: number;
}

/**
 * The first-listed term a forward walk finds. firstAt is asked at every place a pair may go on, so
 * it keeps one of these per list rather than making a function per call: a walk never calls
 * firstAt itself, so one is never used twice at once.
 */
class FirstListed {
  best: Ending | undefined = undefined;
  readonly visit = (ends: Ending[]): void => {
    for (const end of ends) if (!this.best || end.order < this.best.order) this.best = end;
  };
}

interface Forward {
  trie: TermTrie;
  first: FirstListed;
}

/** Each list's tries, built on first use: a list is searched in every item, built once. */
const forward = new WeakMap<CompiledTerm[], Forward>();
const backward = new WeakMap<CompiledTerm[], TermTrie>();

function forwardOf(terms: CompiledTerm[]): Forward {
  let found = forward.get(terms);
  if (!found) forward.set(terms, (found = { trie: buildTrie([terms]), first: new FirstListed() }));
  return found;
}

function backwardOf(terms: CompiledTerm[]): TermTrie {
  let trie = backward.get(terms);
  if (!trie) backward.set(terms, (trie = buildTrie([terms], true)));
  return trie;
}

export function findTerms(tokens: string[], terms: CompiledTerm[]): Match[] {
  const matches = findAll(tokens, forwardOf(terms).trie, 1)[0] ?? [];
  return matches.map(({ order: _order, ...match }) => match);
}

/** The first listed of `terms` that starts at `i` (a break or either end of the item included). */
export function firstAt(tokens: string[], i: number, terms: CompiledTerm[]): CompiledTerm | undefined {
  const { trie, first } = forwardOf(terms);
  first.best = undefined;
  walk(trie, tokens, i, first.visit);
  return (first.best as Ending | undefined)?.term;
}

/** A walk that stops at its first ending: endsAt needs only one. */
const STOP = (): boolean => true;

/** Whether one of `terms` ends just before `i`: its words, last to first, from token i - 1 back. */
export function endsAt(tokens: string[], i: number, terms: CompiledTerm[]): boolean {
  return walk(backwardOf(terms), tokens, i - 1, STOP);
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
