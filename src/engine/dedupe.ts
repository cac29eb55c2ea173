import { hash } from 'node:crypto';
import { titleKey } from './identity.ts';
import type { NewsItem, Verdict } from './types.ts';
import type { ExtractedQuote } from './quotes/extract.ts';

/** A story already seen, under its normalised title, for the cross-feed 48-hour check. */
export interface StoryMark {
  id: string;
  /** Published date, else the time it was first seen. */
  at: string;
}

export const STORY_WINDOW_MS = 48 * 60 * 60 * 1000;

export interface Judged {
  item: NewsItem;
  verdict: Verdict;
  /** Known people's quotations in the item (see quotes/extract.ts), when they were looked for. */
  quotes?: ExtractedQuote[];
}

export interface Candidate extends Judged {
  /** When the story happened for the 48-hour rule: published date, else first seen. */
  at: string;
  /** Hash of the normalised title; empty when the title has no words. */
  titleHash: string;
}

export function storyTitleHash(title: string): string {
  const key = titleKey(title);
  return key ? hash('sha256', key, 'hex').slice(0, 32) : '';
}

export function toCandidate(judged: Judged, now: Date): Candidate {
  return { ...judged, at: judged.item.published ?? now.toISOString(), titleHash: storyTitleHash(judged.item.title) };
}

function near(a: string, b: string): boolean {
  return Math.abs(Date.parse(a) - Date.parse(b)) <= STORY_WINDOW_MS;
}

/**
 * Splits unseen candidates into new stories and re-runs of a story already known under the
 * same normalised title within 48 hours (the same news through another feed). Pure: `known`
 * holds the marks already stored for each candidate's title hash.
 */
export function splitNewStories(
  candidates: Candidate[],
  known: Map<string, StoryMark[]>,
): { fresh: Candidate[]; repeats: Candidate[]; marks: Map<string, StoryMark[]>; originals: Map<string, string> } {
  const marks = new Map<string, StoryMark[]>();
  const fresh: Candidate[] = [];
  const repeats: Candidate[] = [];
  /** Each repeat's item id → the id of the story it repeats. */
  const originals = new Map<string, string>();
  const ids = new Set<string>();
  for (const candidate of candidates) {
    if (ids.has(candidate.item.id)) continue;
    ids.add(candidate.item.id);
    const hash = candidate.titleHash;
    const existing = hash ? (marks.get(hash) ?? known.get(hash) ?? []) : [];
    const original = existing.find((mark) => near(mark.at, candidate.at));
    if (original) {
      repeats.push(candidate);
      originals.set(candidate.item.id, original.id);
      continue;
    }
    fresh.push(candidate);
    // A title recurs rarely (weekly columns); the last few marks are all the rule needs.
    if (hash) marks.set(hash, [...existing, { id: candidate.item.id, at: candidate.at }].slice(-20));
  }
  return { fresh, repeats, marks, originals };
}

/**
 * Which new on-topic stories to announce, oldest first. A feed's first poll announces none
 * (no flood when a feed is added) unless `backfill` asks for its newest N.
 */
export function chooseAnnouncements(fresh: Candidate[], options: { firstPoll: boolean; backfill: number }): NewsItem[] {
  // Feeds list newest first; for equal dates keep that order's reverse (older first).
  const ordered = fresh
    .map((candidate, index) => ({ candidate, index }))
    .filter(({ candidate }) => candidate.verdict.relevant)
    .sort((a, b) => Date.parse(a.candidate.at) - Date.parse(b.candidate.at) || b.index - a.index)
    .map(({ candidate }) => candidate.item);
  if (!options.firstPoll) return ordered;
  return options.backfill > 0 ? ordered.slice(-options.backfill) : [];
}
