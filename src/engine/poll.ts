import { createHash } from 'node:crypto';
import type { Analyze } from './analyze.ts';
import { analyzeHere } from './analyze-here.ts';
import { chooseAnnouncements, splitNewStories, toCandidate, type Candidate, type Judged } from './dedupe.ts';
import { fetchFeed, type FetchOptions } from './fetch.ts';
import { afterFailure, clearHoldBack, type Politeness } from './fetch-limiter.ts';
import type { Topic } from './topic.ts';
import type { NewsItem } from './types.ts';
import type { FeedState } from './feed-state.ts';
import type { NewsStore } from '../store/news-store.ts';

export interface PollDeps {
  store: NewsStore;
  topic: Topic;
  clock: () => Date;
  /** How many of a new feed's newest on-topic items its first poll announces. */
  backfill: number;
  fetchOptions?: Omit<FetchOptions, 'validators'>;
  fetch?: typeof fetchFeed;
  /** Parse → normalise → judge; a parse pool's runs it off the main thread. Default in-thread. */
  analyze?: Analyze;
  /** Back-off and pause rules for a failing feed; defaults in fetch-limiter.ts. */
  politeness?: Partial<Politeness>;
  /**
   * Makes announcements durable (the outbox) before their items are marked seen, so a crash
   * between the two repeats the enqueue (idempotent by item id) instead of losing the news.
   */
  enqueue: (announcements: NewsItem[]) => Promise<void>;
  /**
   * Runs the read-decide-record step exclusively. Feeds are fetched and parsed in parallel, but
   * two feeds recording at once would race on shared keys (the archive, story marks, the outbox).
   */
  exclusive?: <T>(work: () => Promise<T>) => Promise<T>;
  /** The feed's state as the caller just read it (null: none yet); otherwise pollFeed reads it. */
  previous?: FeedState | null;
}

export interface PollResult {
  feed: string;
  status: 'unchanged' | 'updated';
  firstPoll: boolean;
  items: number;
  onTopic: number;
  announced: NewsItem[];
}

/** Fetch → parse → normalise → judge → dedupe → record, for one feed. Throws FeedError on failure. */
export async function pollFeed(feed: string, deps: PollDeps): Promise<PollResult> {
  const previous: FeedState = (deps.previous !== undefined ? deps.previous : await deps.store.getFeedState(feed)) ?? {};
  const firstPoll = !previous.initialized;
  const now = deps.clock();
  const fetcher = deps.fetch ?? fetchFeed;
  try {
    const result = await fetcher(feed, { ...deps.fetchOptions, validators: previous.validators });
    const base: FeedState = { ...clearHoldBack(previous), lastAttempt: now.toISOString(), lastSuccess: now.toISOString(), consecutiveFailures: 0, lastError: undefined };
    if (result.kind === 'unchanged') {
      await deps.store.setFeedState(feed, { ...base, validators: result.validators });
      return { feed, status: 'unchanged', firstPoll, items: 0, onTopic: 0, announced: [] };
    }
    // Only the validators outlive parsing: the closure below must not keep the body alive
    // while it waits for the record lock.
    const { validators } = result;
    const judged = await (deps.analyze ?? analyzeHere)(result.body, { feed, documentUrl: result.url, now, topic: deps.topic });
    const exclusive = deps.exclusive ?? ((work) => work());
    return await exclusive(() => record(feed, judged, { ...deps, now, firstPoll, base, validators }));
  } catch (error) {
    const state = afterFailure(previous, error, now, deps.politeness ? { politeness: deps.politeness } : {});
    await deps.store.setFeedState(feed, state).catch(() => undefined);
    throw error;
  }
}

interface RecordContext extends PollDeps {
  now: Date;
  firstPoll: boolean;
  base: FeedState;
  validators: FeedState['validators'];
}

const skipKey = (id: string) => createHash('sha256').update(id).digest('hex').slice(0, 16);

/**
 * Chooses what to announce; on a feed's first poll, first writes down what it skips, so that a
 * crash before the poll is recorded keeps those skipped and announces only what came since.
 */
async function chooseAndNote(feed: string, fresh: Candidate[], deps: RecordContext): Promise<NewsItem[]> {
  const { firstPollSkipped: skippedBefore, ...base } = deps.base;
  if (!deps.firstPoll) return chooseAnnouncements(fresh, { firstPoll: false, backfill: deps.backfill });
  if (skippedBefore) {
    const skipped = new Set(skippedBefore);
    return chooseAnnouncements(fresh.filter((c) => !skipped.has(skipKey(c.item.id))), { firstPoll: false, backfill: deps.backfill });
  }
  const announced = chooseAnnouncements(fresh, { firstPoll: true, backfill: deps.backfill });
  const chosen = new Set(announced.map((item) => item.id));
  const firstPollSkipped = fresh.filter((c) => c.verdict.relevant && !chosen.has(c.item.id)).map((c) => skipKey(c.item.id));
  await deps.store.setFeedState(feed, { ...base, firstPollSkipped });
  return announced;
}

/**
 * Dedupe against the store, enqueue announcements, then remember everything. Each step is safe
 * to cut short by a crash: the next poll redoes the rest and the outbox makes repeats harmless.
 */
async function record(feed: string, judged: Judged[], deps: RecordContext): Promise<PollResult> {
  const { now, firstPoll } = deps;
  const seen = await deps.store.seen(judged.map(({ item }) => item.id));
  const unseen = judged.filter((_, i) => !seen[i]).map((j) => toCandidate(j, now));
  const unseenIds = new Set(unseen.map((c) => c.item.id));
  const hashes = [...new Set(unseen.map((c) => c.titleHash).filter(Boolean))];
  const stored = await deps.store.storyMarks(hashes);
  // An item's own mark (left by a poll that crashed before marking it seen) is not another story.
  const known = new Map(hashes.map((hash, i) => [hash, (stored[i] ?? []).filter((mark) => !unseenIds.has(mark.id))]));
  const { fresh, repeats, marks } = splitNewStories(unseen, known);
  const announced = await chooseAndNote(feed, fresh, deps);

  await deps.enqueue(announced);
  // Story marks before seen marks: an item marked seen without its story mark would let the same
  // story through another feed be announced again.
  await deps.store.setStoryMarks([...marks].map(([titleKey, list]) => ({ titleKey, marks: list })));
  await deps.store.markSeen([...fresh, ...repeats].map((c) => ({ id: c.item.id, firstSeen: now.toISOString(), relevant: c.verdict.relevant })));
  const onTopic = fresh.filter((c) => c.verdict.relevant);
  await deps.store.addToArchive(onTopic.map((c) => c.item), (item) => item.published ?? now.toISOString());
  const { firstPollSkipped: _done, ...base } = deps.base;
  await deps.store.setFeedState(feed, { ...base, initialized: true, validators: deps.validators });
  return { feed, status: 'updated', firstPoll, items: judged.length, onTopic: judged.filter((j) => j.verdict.relevant).length, announced };
}
