import { readFileSync } from 'node:fs';
import type { BotConfig } from '../config.ts';
import { assertPublicUrl, sharedPublicOnlyAgent } from '../engine/address-guard.ts';
import type { Analyze } from '../engine/analyze.ts';
import { analyzeHere } from '../engine/analyze-here.ts';
import { BadSourceError } from '../engine/errors.ts';
import { fetchFeed, type FetchOptions } from '../engine/fetch.ts';
import { withPollIdentities } from '../engine/identity.ts';
import { loadTopic, type Topic } from '../engine/topic.ts';
import { loadPeople, type People } from '../engine/quotes/people.ts';
import { quoteExtractor } from '../engine/quotes/extract.ts';
import type { Logger } from '../log.ts';
import type { BotContext, PolledFeed, Stores } from './context.ts';
import { dataFile } from '../data-dir.ts';

export const DEFAULT_FEEDS_PATH = dataFile('feeds.json');

/** An operator feed: its URL, and whether it is declared about Alita (its items need no mention of Alita). */
export interface OperatorFeed {
  url: string;
  aboutAlita?: boolean;
}

const FEED_ENTRY = 'a feed URL or { "url": "…", "aboutAlita": true }';

/** data/feeds.json: plain URLs, or entries that declare a feed about Alita. Throws one clear line. */
export function readDefaultFeeds(path: string | URL = DEFAULT_FEEDS_PATH): OperatorFeed[] {
  let file: { feeds?: unknown };
  try {
    file = JSON.parse(readFileSync(path, 'utf8')) as { feeds?: unknown };
  } catch (error) {
    throw new Error(`${String(path)}: cannot read the feed list (${(error as Error).message})`);
  }
  if (!Array.isArray(file?.feeds)) throw new Error(`${String(path)}: "feeds" must be a list, each ${FEED_ENTRY}`);
  return file.feeds.map((entry: unknown, i: number) => operatorFeed(entry, `${String(path)}: feeds[${i}]`));
}

function operatorFeed(entry: unknown, where: string): OperatorFeed {
  if (typeof entry === 'string' && entry.trim()) return { url: entry.trim() };
  if (!entry || typeof entry !== 'object' || Array.isArray(entry)) throw new Error(`${where} must be ${FEED_ENTRY}`);
  const { url, aboutAlita, ...rest } = entry as Record<string, unknown>;
  if (typeof url !== 'string' || !url.trim()) throw new Error(`${where}: "url" must be a feed URL`);
  if (aboutAlita !== undefined && typeof aboutAlita !== 'boolean') throw new Error(`${where}: "aboutAlita" must be true or false`);
  const unknown = Object.keys(rest)[0];
  if (unknown !== undefined) throw new Error(`${where}: unknown key "${unknown}" (an entry has "url" and "aboutAlita")`);
  return aboutAlita ? { url: url.trim(), aboutAlita } : { url: url.trim() };
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
  /** Instead of data/people.json. */
  people?: People;
  /** Instead of data/feeds.json: URLs, or entries that declare a feed about Alita. */
  defaultFeeds?: Array<string | OperatorFeed>;
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
  const people = options.people ?? loadPeople();
  const entries = (config.FEEDS ?? options.defaultFeeds ?? readDefaultFeeds()).map((feed) => (typeof feed === 'string' ? { url: feed } : feed));
  const operatorFeeds = [...new Set(entries.map((feed) => sameFeed(feed.url)))];
  const operator = new Set(operatorFeeds);
  const operatorAboutAlita = new Set(entries.filter((feed) => feed.aboutAlita).map((feed) => sameFeed(feed.url)));
  return {
    config,
    news: stores.news,
    outbox: stores.outbox,
    settings: stores.settings,
    quotes: stores.quotes,
    candidates: stores.candidates,
    topic,
    people,
    quoteExtractor: quoteExtractor(people),
    clock,
    logger,
    startedAt: clock(),
    random: options.random ?? Math.random,
    operatorFeeds,
    async feeds(): Promise<PolledFeed[]> {
      const added = new Map<string, string[]>();
      // A feed several servers added is one poll: about Alita when any of them declared it so.
      const aboutAlita = new Set(operatorAboutAlita);
      for (const feed of await stores.settings.allGuildFeeds()) {
        const url = sameFeed(feed.url);
        if (operator.has(url)) continue;
        added.set(url, [...(added.get(url) ?? []), feed.guildId]);
        if (feed.aboutAlita) aboutAlita.add(url);
      }
      const about = (url: string) => (aboutAlita.has(url) ? { aboutAlita: true } : {});
      return [
        ...operatorFeeds.map((url) => ({ url, operator: true, guilds: [], ...about(url) })),
        ...[...added].map(([url, guilds]) => ({ url, operator: false, guilds, ...about(url) })),
      ];
    },
    async visibleFeeds(guildId) {
      const own = guildId ? (await stores.settings.guildFeeds(guildId)).map((f) => sameFeed(f.url)) : [];
      return [...new Set([...operatorFeeds, ...own])];
    },
    async checkFeed(url, check = {}) {
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
      const context = { feed: url, documentUrl: result.url, now: clock(), topic, ...(check.aboutAlita ? { aboutAlita: true } : {}) };
      // Ids as a poll gives them, so items archived now are the ones the first poll knows.
      const judged = withPollIdentities(await (options.analyze ?? analyzeHere)(result.body, context));
      const aboutAlita = judged.find((j) => j.verdict.aboutAlita)?.verdict.aboutAlita;
      const onTopicItems = judged.filter((j) => j.verdict.relevant);
      return { items: judged.length, onTopic: onTopicItems.length, title: judged[0]?.item.source, onTopicItems, ...(aboutAlita ? { aboutAlita } : {}) };
    },
  };
}
