import type { BotConfig } from '../config.ts';
import type { Judged } from '../engine/dedupe.ts';
import type { Topic } from '../engine/topic.ts';
import type { Logger } from '../log.ts';
import type { NewsStore } from '../store/sql/news.ts';
import type { Outbox } from '../store/sql/outbox.ts';
import type { QuoteStore } from '../store/sql/quotes.ts';
import type { QuoteCandidates } from '../store/sql/quote-candidates.ts';
import type { QuoteExtractor } from '../engine/quotes/extract.ts';
import type { People } from '../engine/quotes/people.ts';
import type { SettingsStore } from '../store/sql/settings.ts';

/**
 * A feed the bot polls. Operator feeds (FEEDS or data/feeds.json) announce in every server; a
 * feed a server added with /feeds add announces in that server only. The same URL is fetched
 * once however many servers added it.
 */
export interface PolledFeed {
  url: string;
  /** An operator feed: announced everywhere, and trusted (no address guard). */
  operator: boolean;
  /** The servers that added it with /feeds add. */
  guilds: string[];
  /** Declared about Alita (data/feeds.json, or /feeds add about_alita by any server that added it). */
  aboutAlita?: boolean;
}

export interface FeedCheck {
  items: number;
  onTopic: number;
  title?: string;
  /** Why its items were taken as about Alita (the flag, or its title naming the film), when they were. */
  aboutAlita?: string;
  /** The on-topic items, with the ids a poll gives them: /feeds add archives them for /latest. */
  onTopicItems?: Judged[];
}

/** The stores the bot keeps its memory in, all in one database (DATABASE_URL). */
export interface Stores {
  news: NewsStore;
  outbox: Outbox;
  settings: SettingsStore;
  quotes: QuoteStore;
  /** Quotations of announced stories waiting for each server's review. */
  candidates: QuoteCandidates;
}

/** Everything commands and the poll cycle need, passed in: no module-level state anywhere. */
export interface BotContext extends Stores {
  config: BotConfig;
  topic: Topic;
  /** data/people.json: who may be quoted (the review's speaker choices). */
  people: People;
  /** Finds their quotations in on-topic items; the parse workers run their own from the same people. */
  quoteExtractor: QuoteExtractor;
  clock: () => Date;
  logger: Logger;
  startedAt: Date;
  /** For /quote's random pick; tests pass a fixed one. */
  random: () => number;
  /** The operator's feed URLs, in their canonical form. */
  operatorFeeds: string[];
  /** Every feed to poll: operator feeds, then those servers added, each URL once. */
  feeds(): Promise<PolledFeed[]>;
  /** The feeds whose items a server sees (in /latest): the operator's and its own. */
  visibleFeeds(guildId: string | undefined): Promise<string[]>;
  /**
   * Fetches and parses a feed once, as /feeds add does. Refuses non-http(s) URLs and
   * addresses in loopback, private, link-local or metadata ranges unless ALLOW_PRIVATE_FEEDS.
   */
  checkFeed(url: string, options?: { aboutAlita?: boolean }): Promise<FeedCheck>;
}
