/**
 * One feed's poll: fetch → parse → normalise → judge (the engine) → decide and record (one
 * store transaction). The decision is planRecord's, run inside the transaction that reads what
 * is known, so seen marks, story marks, archive rows, outbox entries and the feed's state are
 * written together or not at all: a crash anywhere leaves either the whole poll or none of it.
 */
import type { QuoteExtractor } from '../engine/quotes/extract.ts';
import type { NewCandidate } from '../store/sql/quote-candidates.ts';
import type { Analyze, AnalyzeNote } from '../engine/analyze.ts';
import { analyzeHere } from '../engine/analyze-here.ts';
import { storyTitleHash, type Judged } from '../engine/dedupe.ts';
import { withPollIdentities } from '../engine/identity.ts';
import { describeError, FeedError } from '../engine/errors.ts';
import type { FeedState } from '../engine/feed-state.ts';
import { fetchFeed, type FetchOptions } from '../engine/fetch.ts';
import { afterFailure, clearHoldBack, type Politeness } from '../engine/fetch-limiter.ts';
import type { MessageBody } from '../engine/format.ts';
import { ParsePoolClosedError } from '../engine/parse-pool.ts';
import { ARCHIVE_SCOPE, planRecord, type Target } from '../engine/record-plan.ts';
import type { Topic } from '../engine/topic.ts';
import { EDIT_WINDOW_MS, updateEdits } from '../engine/updates.ts';
import type { NewsItem } from '../engine/types.ts';
import type { Logger } from '../log.ts';
import type { NewsStore } from '../store/sql/news.ts';
import { DAILY_BATCH, type NewEntry } from '../store/sql/outbox.ts';

export interface PollDeps {
  store: Pick<NewsStore, 'getFeedState' | 'setFeedState' | 'recordPoll'>;
  topic: Topic;
  /** Finds known people's quotations in on-topic items, for the servers' review queues (a parse worker brings its own). */
  quotes?: QuoteExtractor;
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
  /** Items read per document, its newest (MAX_ITEMS_PER_FEED); the engine's default otherwise. */
  maxItems?: number;
  /** Where a cut feed and skipped items are told. */
  logger?: Logger;
  /** The feed is declared about Alita: its items need only the sequel (feed-context.ts). */
  aboutAlita?: boolean;
  /**
   * Takes the state of a feed that answered "not modified" instead of writing it at once: the
   * cycle writes all of them in one transaction at its end. Only the poll's times change then;
   * lost in a crash, they cost one early re-poll.
   */
  unchanged?: (feed: string, state: FeedState) => void;
}

/**
 * Whatever the analysis of a document throws is the feed's own trouble (its content trips a bug,
 * exhausts something): it fails every poll alike, so it counts toward back-off and pause like a
 * fetch that fails, instead of re-fetching the feed every minute forever.
 */
export class AnalysisFailedError extends FeedError {
  constructor(cause: unknown) {
    super('parser-stopped', `could not read the feed's items (${describeError(cause)})`, { cause });
  }
}

export interface PollResult {
  feed: string;
  status: 'unchanged' | 'updated';
  firstPoll: boolean;
  items: number;
  onTopic: number;
  announced: NewsItem[];
}

/** One item whose message cannot be made is left out with a reason; the rest of the poll goes on. */
function entries(announcements: ReturnType<typeof planRecord>['announcements'], deps: PollDeps, feed: string): NewEntry[] {
  const made: NewEntry[] = [];
  for (const { target, items } of announcements) {
    for (const item of items) {
      let body: MessageBody;
      try {
        body = deps.format(item, target);
      } catch (error) {
        note(deps.logger, { kind: 'skipped', feed, title: item.title.slice(0, 200), ...(item.link ? { link: item.link } : {}), reason: `no message: ${describeError(error)}` });
        continue;
      }
      const batch = target.dailyAt ? `${DAILY_BATCH}${target.dailyAt}` : deps.batch;
      made.push({ channelId: target.channelId, ...(target.guildId ? { guildId: target.guildId } : {}), itemId: item.id, title: item.title, body, batch, at: item.published ?? deps.batch });
    }
  }
  return made;
}

function note(logger: Logger | undefined, told: AnalyzeNote): void {
  if (told.kind === 'cut') logger?.info('feed cut to its newest items', { feed: told.feed, items: told.items, kept: told.kept });
  else logger?.warn('item skipped', { feed: told.feed, title: told.title, link: told.link, reason: told.reason });
}

async function analyzeBody(deps: PollDeps, body: Parameters<Analyze>[0], ctx: Parameters<Analyze>[1]): Promise<Judged[]> {
  try {
    // Lean: the poll keeps of an item off topic only its seen mark.
    return await (deps.analyze ?? analyzeHere)(body, { ...ctx, lean: true, ...(deps.maxItems !== undefined ? { maxItems: deps.maxItems } : {}), report: (told) => note(deps.logger, told) });
  } catch (error) {
    // A stopping bot is not the feed's fault.
    if (error instanceof FeedError || error instanceof ParsePoolClosedError) throw error;
    throw new AnalysisFailedError(error);
  }
}

/** Throws the fetch's or parser's FeedError (or any other error) after recording the failure. */
export async function pollFeed(feed: string, deps: PollDeps): Promise<PollResult> {
  const previous: FeedState = (deps.previous !== undefined ? deps.previous : await deps.store.getFeedState(feed)) ?? {};
  const firstPoll = !previous.initialized;
  const now = deps.clock();
  try {
    const result = await (deps.fetch ?? fetchFeed)(feed, { ...deps.fetchOptions, validators: previous.validators });
    const base: FeedState = { ...clearHoldBack(previous), lastAttempt: now.toISOString(), lastSuccess: now.toISOString(), consecutiveFailures: 0, lastError: undefined };
    if (result.kind === 'unchanged') {
      const state = { ...base, validators: result.validators };
      if (deps.unchanged) deps.unchanged(feed, state);
      else await deps.store.setFeedState(feed, state);
      return { feed, status: 'unchanged', firstPoll, items: 0, onTopic: 0, announced: [] };
    }
    // Only the validators outlive parsing: nothing below keeps the body alive.
    const { validators } = result;
    // Ids decided with the whole poll in view: items sharing one link are told apart here.
    const judged = withPollIdentities(await analyzeBody(deps, result.body, { feed, documentUrl: result.url, now, topic: deps.topic, ...(deps.aboutAlita ? { aboutAlita: true } : {}), ...(deps.quotes ? { quotes: { extractor: deps.quotes, in: 'relevant' as const } } : {}) }));
    // Story marks belong to on-topic items only (planRecord): the rest need only their seen marks.
    const relevant = judged.filter((j) => j.verdict.relevant);
    const input = {
      feedUrl: feed,
      itemIds: judged.map((j) => j.item.id),
      scopes: [ARCHIVE_SCOPE, ...deps.targets.map((t) => t.channelId)],
      titleHashes: [...new Set(relevant.map((j) => storyTitleHash(j.item.title)).filter(Boolean))],
      markedIds: relevant.map((j) => j.item.id),
      editSince: new Date(now.getTime() - EDIT_WINDOW_MS).toISOString(),
    };
    return await deps.store.recordPoll(input, (known) => {
      const plan = planRecord({ judged, known, targets: deps.targets, firstPoll, backfill: deps.backfill, now });
      const made = entries(plan.announcements, deps, feed);
      const sent = new Set(made.map((entry) => entry.itemId));
      return {
        result: { feed, status: 'updated' as const, firstPoll, items: judged.length, onTopic: plan.onTopic, announced: plan.announced.filter((item) => sent.has(item.id)) },
        seen: plan.seen,
        marks: plan.marks,
        archive: plan.archive.map((item) => ({ item, sortKey: item.published ?? now.toISOString() })),
        outbox: { entries: made, now, ...(deps.maxPostsPerChannel ? { maxPostsPerChannel: deps.maxPostsPerChannel } : {}) },
        feedState: { ...base, initialized: true, validators },
        quotes: { candidates: candidatesOf(plan.quotes.filter((q) => sent.has(q.item.id) || plan.edits.some((e) => e.cause === q.item.id)), now), now },
        edits: { edits: [...plan.edits, ...updateEdits(known.announced ?? [], judged, (item, channelId) => deps.format(item, deps.targets.find((t) => t.channelId === channelId) ?? { channelId }))], now },
      };
    });
  } catch (error) {
    const state = afterFailure(previous, error, now, deps.politeness ? { politeness: deps.politeness } : {});
    await deps.store.setFeedState(feed, state).catch(() => undefined);
    throw error;
  }
}

/** The plan's quotations as review-queue rows: the story's title, link, outlet and date go with each. */
function candidatesOf(quotes: ReturnType<typeof planRecord>['quotes'], now: Date): NewCandidate[] {
  return quotes.map(({ guildId, item, quote }) => ({
    guildId,
    speaker: quote.speaker,
    text: quote.text,
    context: quote.context,
    itemId: item.id,
    ...(item.link ? { link: item.link } : {}),
    title: item.title,
    outlet: item.source,
    published: item.published ?? now.toISOString(),
  }));
}
