/**
 * One feed's poll: fetch → parse → normalise → judge (the engine) → decide and record (one
 * store transaction). The decision is planRecord's, run inside the transaction that reads what
 * is known, so seen marks, story marks, archive rows, outbox entries and the feed's state are
 * written together or not at all: a crash anywhere leaves either the whole poll or none of it.
 */
import type { Analyze } from '../engine/analyze.ts';
import { analyzeHere } from '../engine/analyze-here.ts';
import { storyTitleHash } from '../engine/dedupe.ts';
import type { FeedState } from '../engine/feed-state.ts';
import { fetchFeed, type FetchOptions } from '../engine/fetch.ts';
import { afterFailure, clearHoldBack, type Politeness } from '../engine/fetch-limiter.ts';
import type { MessageBody } from '../engine/format.ts';
import { ARCHIVE_SCOPE, planRecord, type Target } from '../engine/record-plan.ts';
import type { Topic } from '../engine/topic.ts';
import type { NewsItem } from '../engine/types.ts';
import type { NewsStore } from '../store/sql/news.ts';
import type { NewEntry } from '../store/sql/outbox.ts';

export interface PollDeps {
  store: Pick<NewsStore, 'getFeedState' | 'setFeedState' | 'recordPoll'>;
  topic: Topic;
  clock: () => Date;
  /** How many of a new feed's newest on-topic items its first poll announces. */
  backfill: number;
  /** Where this feed's announcements go. */
  targets: Target[];
  /** The announcement's body for one target. */
  format: (item: NewsItem, target: Target) => MessageBody;
  /** The poll cycle this poll belongs to: outbox entries of one batch are delivered in date order. */
  batch: string;
  /** Individual posts per channel per batch; the rest of the batch goes out as one digest. */
  maxPostsPerChannel?: number;
  fetchOptions?: Omit<FetchOptions, 'validators'>;
  fetch?: typeof fetchFeed;
  /** Parse → normalise → judge; a parse pool's runs it off the main thread. Default in-thread. */
  analyze?: Analyze;
  politeness?: Partial<Politeness>;
  /** The feed's state as the caller just read it (null: none yet); otherwise it is read here. */
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

function entries(announcements: ReturnType<typeof planRecord>['announcements'], deps: PollDeps): NewEntry[] {
  return announcements.flatMap(({ target, items }) =>
    items.map((item) => ({
      channelId: target.channelId,
      ...(target.guildId ? { guildId: target.guildId } : {}),
      itemId: item.id,
      title: item.title,
      body: deps.format(item, target),
      batch: deps.batch,
      at: item.published ?? deps.batch,
    })),
  );
}

/** Throws the fetch's or parser's FeedError (or any other error) after recording the failure. */
export async function pollFeed(feed: string, deps: PollDeps): Promise<PollResult> {
  const previous: FeedState = (deps.previous !== undefined ? deps.previous : await deps.store.getFeedState(feed)) ?? {};
  const firstPoll = !previous.initialized;
  const now = deps.clock();
  try {
    const result = await (deps.fetch ?? fetchFeed)(feed, { ...deps.fetchOptions, validators: previous.validators });
    const base: FeedState = { ...clearHoldBack(previous), lastAttempt: now.toISOString(), lastSuccess: now.toISOString(), consecutiveFailures: 0, lastError: undefined };
    delete base.firstPollSkipped;
    if (result.kind === 'unchanged') {
      await deps.store.setFeedState(feed, { ...base, validators: result.validators });
      return { feed, status: 'unchanged', firstPoll, items: 0, onTopic: 0, announced: [] };
    }
    // Only the validators outlive parsing: nothing below keeps the body alive.
    const { validators } = result;
    const judged = await (deps.analyze ?? analyzeHere)(result.body, { feed, documentUrl: result.url, now, topic: deps.topic });
    const input = {
      feedUrl: feed,
      itemIds: judged.map((j) => j.item.id),
      scopes: [ARCHIVE_SCOPE, ...deps.targets.map((t) => t.channelId)],
      titleHashes: [...new Set(judged.map((j) => storyTitleHash(j.item.title)).filter(Boolean))],
    };
    return await deps.store.recordPoll(input, (known) => {
      const plan = planRecord({ judged, known, targets: deps.targets, firstPoll, backfill: deps.backfill, now });
      return {
        result: { feed, status: 'updated' as const, firstPoll, items: judged.length, onTopic: plan.onTopic, announced: plan.announced },
        seen: plan.seen,
        marks: plan.marks,
        archive: plan.archive.map((item) => ({ item, sortKey: item.published ?? now.toISOString() })),
        outbox: { entries: entries(plan.announcements, deps), now, ...(deps.maxPostsPerChannel ? { maxPostsPerChannel: deps.maxPostsPerChannel } : {}) },
        feedState: { ...base, initialized: true, validators },
      };
    });
  } catch (error) {
    const state = afterFailure(previous, error, now, deps.politeness ? { politeness: deps.politeness } : {});
    await deps.store.setFeedState(feed, state).catch(() => undefined);
    throw error;
  }
}
