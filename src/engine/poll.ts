import { analyzeDocument } from './analyze.ts';
import { chooseAnnouncements, splitNewStories, toCandidate, type Judged } from './dedupe.ts';
import { describeError } from './errors.ts';
import { fetchFeed, type FetchOptions } from './fetch.ts';
import type { Topic } from './topic.ts';
import type { NewsItem } from './types.ts';
import type { FeedState, NewsStore } from '../store/news-store.ts';

export interface PollDeps {
  store: NewsStore;
  topic: Topic;
  clock: () => Date;
  /** How many of a new feed's newest on-topic items its first poll announces. */
  backfill: number;
  fetchOptions?: Omit<FetchOptions, 'validators'>;
  fetch?: typeof fetchFeed;
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
  const previous: FeedState = (await deps.store.getFeedState(feed)) ?? {};
  const firstPoll = !previous.initialized;
  const now = deps.clock();
  const fetcher = deps.fetch ?? fetchFeed;
  try {
    const result = await fetcher(feed, { ...deps.fetchOptions, validators: previous.validators });
    const base: FeedState = { ...previous, lastAttempt: now.toISOString(), lastSuccess: now.toISOString(), consecutiveFailures: 0, lastError: undefined };
    if (result.kind === 'unchanged') {
      await deps.store.setFeedState(feed, { ...base, validators: result.validators });
      return { feed, status: 'unchanged', firstPoll, items: 0, onTopic: 0, announced: [] };
    }
    const judged = await analyzeDocument(result.text, { feed, documentUrl: result.url, now, topic: deps.topic });
    const exclusive = deps.exclusive ?? ((work) => work());
    return await exclusive(() => record(feed, judged, { ...deps, now, firstPoll, base, validators: result.validators }));
  } catch (error) {
    const failures = (previous.consecutiveFailures ?? 0) + 1;
    await deps.store.setFeedState(feed, { ...previous, lastAttempt: now.toISOString(), consecutiveFailures: failures, lastError: describeError(error) }).catch(() => undefined);
    throw error;
  }
}

interface RecordContext extends PollDeps {
  now: Date;
  firstPoll: boolean;
  base: FeedState;
  validators: FeedState['validators'];
}

/** Dedupe against the store, enqueue announcements, then remember everything. */
async function record(feed: string, judged: Judged[], deps: RecordContext): Promise<PollResult> {
  const { now, firstPoll, base } = deps;
  const seen = await deps.store.seen(judged.map(({ item }) => item.id));
  const unseen = judged.filter((_, i) => !seen[i]).map((j) => toCandidate(j, now));
  const hashes = [...new Set(unseen.map((c) => c.titleHash).filter(Boolean))];
  const stored = await deps.store.storyMarks(hashes);
  const known = new Map(hashes.map((hash, i) => [hash, stored[i] ?? []]));
  const { fresh, repeats, marks } = splitNewStories(unseen, known);
  const announced = chooseAnnouncements(fresh, { firstPoll, backfill: deps.backfill });

  await deps.enqueue(announced);
  await deps.store.markSeen([...fresh, ...repeats].map((c) => ({ id: c.item.id, firstSeen: now.toISOString(), relevant: c.verdict.relevant })));
  await deps.store.setStoryMarks([...marks].map(([titleKey, list]) => ({ titleKey, marks: list })));
  const onTopic = fresh.filter((c) => c.verdict.relevant);
  await deps.store.addToArchive(onTopic.map((c) => c.item), (item) => item.published ?? now.toISOString());
  await deps.store.setFeedState(feed, { ...base, initialized: true, validators: deps.validators });
  return { feed, status: 'updated', firstPoll, items: judged.length, onTopic: judged.filter((j) => j.verdict.relevant).length, announced };
}
