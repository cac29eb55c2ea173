import type { BotConfig } from '../config.ts';
import type { Topic } from '../engine/topic.ts';
import type { Logger } from '../log.ts';
import type { NewsStore } from '../store/news-store.ts';
import type { Outbox } from '../store/outbox.ts';
import type { QuoteStore } from '../store/quotes.ts';
import type { SettingsStore } from '../store/settings.ts';

/** A feed the bot polls, and whether it came from the operator (trusted) or a moderator. */
export interface PolledFeed {
  url: string;
  trusted: boolean;
}

export interface FeedCheck {
  items: number;
  onTopic: number;
  title?: string;
}

/** Everything commands and the poll cycle need, passed in: no module-level state anywhere. */
export interface BotContext {
  config: BotConfig;
  news: NewsStore;
  outbox: Outbox;
  settings: SettingsStore;
  quotes: QuoteStore;
  topic: Topic;
  clock: () => Date;
  logger: Logger;
  startedAt: Date;
  /** For /quote's random pick; tests pass a fixed one. */
  random: () => number;
  /** Operator feeds (FEEDS or data/feeds.json) then those added with /feeds add. */
  feeds(): Promise<PolledFeed[]>;
  /**
   * Fetches and parses a feed once, as /feeds add does. Refuses non-http(s) URLs and
   * addresses in loopback, private, link-local or metadata ranges unless ALLOW_PRIVATE_FEEDS.
   */
  checkFeed(url: string): Promise<FeedCheck>;
}
