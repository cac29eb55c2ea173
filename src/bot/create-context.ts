import { readFileSync } from 'node:fs';
import type Keyv from 'keyv';
import type { BotConfig } from '../config.ts';
import { assertPublicUrl } from '../engine/address-guard.ts';
import type { Analyze } from '../engine/analyze.ts';
import { analyzeHere } from '../engine/analyze-here.ts';
import { BadSourceError } from '../engine/errors.ts';
import { fetchFeed, type FetchOptions } from '../engine/fetch.ts';
import { loadTopic, type Topic } from '../engine/topic.ts';
import type { Logger } from '../log.ts';
import { NewsStore } from '../store/news-store.ts';
import { Outbox } from '../store/outbox.ts';
import { QuoteStore } from '../store/quotes.ts';
import { SettingsStore } from '../store/settings.ts';
import type { BotContext, PolledFeed } from './context.ts';
import { dataFile } from '../data-dir.ts';

export const DEFAULT_FEEDS_PATH = dataFile('feeds.json');

export function readDefaultFeeds(path: string | URL = DEFAULT_FEEDS_PATH): string[] {
  const file = JSON.parse(readFileSync(path, 'utf8')) as { feeds?: unknown };
  if (!Array.isArray(file.feeds) || file.feeds.some((f) => typeof f !== 'string')) throw new Error(`${String(path)}: "feeds" must be a list of URLs`);
  return file.feeds as string[];
}

/** One spelling per feed URL (host case, default port), so a feed is never polled twice. */
function sameFeed(url: string): string {
  try {
    return new URL(url).href;
  } catch {
    return url;
  }
}

export interface ContextOptions {
  config: BotConfig;
  keyv: Keyv;
  logger: Logger;
  clock?: () => Date;
  random?: () => number;
  topic?: Topic;
  defaultFeeds?: string[];
  /** Parses the feed /feeds add checks; runBot passes its ParsePool's, so a moderator's 5 MB feed never stalls the bot. */
  analyze?: Analyze;
}

/** Fetch options for a feed: moderator-added ones go through the address guard on every hop. */
export function fetchOptionsFor(config: BotConfig, trusted: boolean): Omit<FetchOptions, 'validators'> {
  const options: Omit<FetchOptions, 'validators'> = { timeoutMs: config.FETCH_TIMEOUT_MS, maxBytes: config.FETCH_MAX_BYTES };
  if (!trusted && !config.ALLOW_PRIVATE_FEEDS) options.checkUrl = (url) => assertPublicUrl(url);
  return options;
}

export function createBotContext(options: ContextOptions): BotContext {
  const { config, keyv, logger } = options;
  const clock = options.clock ?? (() => new Date());
  const topic = options.topic ?? loadTopic();
  const settings = new SettingsStore(keyv);
  const operatorFeeds = config.FEEDS ?? options.defaultFeeds ?? readDefaultFeeds();
  return {
    config,
    news: new NewsStore(keyv),
    outbox: new Outbox(keyv),
    settings,
    quotes: new QuoteStore(keyv),
    topic,
    clock,
    logger,
    startedAt: clock(),
    random: options.random ?? Math.random,
    async feeds(): Promise<PolledFeed[]> {
      const trusted = operatorFeeds.map((url) => ({ url, trusted: true }));
      const operator = new Set(operatorFeeds.map(sameFeed));
      const added = (await settings.addedFeeds()).filter((f) => !operator.has(sameFeed(f.url))).map((f) => ({ url: f.url, trusted: false }));
      return [...trusted, ...added];
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
      // fetchFeed runs the address guard (checkUrl) before connecting to this URL and each redirect.
      const result = await fetchFeed(url, fetchOptionsFor(config, false));
      if (result.kind !== 'fetched') return { items: 0, onTopic: 0 };
      const judged = await (options.analyze ?? analyzeHere)(result.body, { feed: url, documentUrl: result.url, now: clock(), topic });
      return { items: judged.length, onTopic: judged.filter((j) => j.verdict.relevant).length, title: judged[0]?.item.source };
    },
  };
}
