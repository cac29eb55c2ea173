import { readFileSync } from 'node:fs';
import type { BotConfig } from '../config.ts';
import { assertPublicUrl, sharedPublicOnlyAgent } from '../engine/address-guard.ts';
import type { Analyze } from '../engine/analyze.ts';
import { analyzeHere } from '../engine/analyze-here.ts';
import { BadSourceError } from '../engine/errors.ts';
import { fetchFeed, type FetchOptions } from '../engine/fetch.ts';
import { loadTopic, type Topic } from '../engine/topic.ts';
import type { Logger } from '../log.ts';
import type { BotContext, PolledFeed, Stores } from './context.ts';
import { dataFile } from '../data-dir.ts';

export const DEFAULT_FEEDS_PATH = dataFile('feeds.json');

export function readDefaultFeeds(path: string | URL = DEFAULT_FEEDS_PATH): string[] {
  const file = JSON.parse(readFileSync(path, 'utf8')) as { feeds?: unknown };
  if (!Array.isArray(file.feeds) || file.feeds.some((f) => typeof f !== 'string')) throw new Error(`${String(path)}: "feeds" must be a list of URLs`);
  return file.feeds as string[];
}

/** One spelling per feed URL (host case, default port), so a feed is never polled twice. */
export function sameFeed(url: string): string {
  try {
    return new URL(url).href;
  } catch {
    return url;
  }
}

export interface ContextOptions {
  config: BotConfig;
  stores: Stores;
  logger: Logger;
  clock?: () => Date;
  random?: () => number;
  topic?: Topic;
  defaultFeeds?: string[];
  /** Parses the feed /feeds add checks; runBot passes its ParsePool's, so a moderator's 5 MB feed never stalls the bot. */
  analyze?: Analyze;
}

/**
 * Fetch options for a feed: moderator-added ones go through the address guard on every hop.
 * checkUrl refuses what the URL alone gives away; the guarded dispatcher judges the address each
 * connection is made to, which is what holds against DNS rebinding.
 */
export function fetchOptionsFor(config: BotConfig, trusted: boolean): Omit<FetchOptions, 'validators'> {
  const options: Omit<FetchOptions, 'validators'> = { timeoutMs: config.FETCH_TIMEOUT_MS, maxBytes: config.FETCH_MAX_BYTES };
  if (!trusted && !config.ALLOW_PRIVATE_FEEDS) {
    options.checkUrl = assertPublicUrl;
    options.dispatcher = sharedPublicOnlyAgent();
  }
  return options;
}

export function createBotContext(options: ContextOptions): BotContext {
  const { config, stores, logger } = options;
  const clock = options.clock ?? (() => new Date());
  const topic = options.topic ?? loadTopic();
  const operatorFeeds = [...new Set((config.FEEDS ?? options.defaultFeeds ?? readDefaultFeeds()).map(sameFeed))];
  const operator = new Set(operatorFeeds);
  return {
    config,
    news: stores.news,
    outbox: stores.outbox,
    settings: stores.settings,
    quotes: stores.quotes,
    topic,
    clock,
    logger,
    startedAt: clock(),
    random: options.random ?? Math.random,
    operatorFeeds,
    async feeds(): Promise<PolledFeed[]> {
      const added = new Map<string, string[]>();
      for (const feed of await stores.settings.allGuildFeeds()) {
        const url = sameFeed(feed.url);
        if (!operator.has(url)) added.set(url, [...(added.get(url) ?? []), feed.guildId]);
      }
      return [...operatorFeeds.map((url) => ({ url, operator: true, guilds: [] })), ...[...added].map(([url, guilds]) => ({ url, operator: false, guilds }))];
    },
    async visibleFeeds(guildId) {
      const own = guildId ? (await stores.settings.guildFeeds(guildId)).map((f) => sameFeed(f.url)) : [];
      return [...new Set([...operatorFeeds, ...own])];
    },
    async checkFeed(url) {
      let parsed: URL;
      try {
        parsed = new URL(url);
      } catch {
        throw new BadSourceError(`not a valid URL: ${url}`);
      }
      // fetchFeed also reads local files, which a Discord member must never reach.
      if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') throw new BadSourceError('only http:// and https:// feeds can be added');
      // The address guard judges this URL and each redirect, and the address each one connects to.
      const result = await fetchFeed(url, fetchOptionsFor(config, false));
      if (result.kind !== 'fetched') return { items: 0, onTopic: 0 };
      const judged = await (options.analyze ?? analyzeHere)(result.body, { feed: url, documentUrl: result.url, now: clock(), topic });
      return { items: judged.length, onTopic: judged.filter((j) => j.verdict.relevant).length, title: judged[0]?.item.source };
    },
  };
}
