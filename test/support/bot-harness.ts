/**
 * The whole bot, for end-to-end tests: the fake Discord, a local feed server whose content the
 * test sets, a temporary SQLite file, and the real bot started with `runBot` and logged in with
 * the real discord.js Client. POLL_CRON is far in the future: tests run cycles with `cycle()`.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { allCommands } from '../../src/app/commands.ts';
import { runBot, type RunningBot } from '../../src/app/run.ts';
import { deployCommands } from '../../src/cli/deploy-commands.ts';
import { loadBotConfig } from '../../src/config.ts';
import type { MessageBody } from '../../src/engine/format.ts';
import { createLogger } from '../../src/log.ts';
import { openStores } from '../../src/store/sql/index.ts';
import type { OpenOptions } from '../../src/store/sql/database.ts';
import { noIdentifyThrottle } from '../fake-discord/client.ts';
import { startFakeDiscord, type FakeDiscord, type FakeDiscordOptions } from '../fake-discord/server.ts';
import { rss, type TestItem } from './feeds.ts';
import { startHttpServer, type TestServer } from './http-server.ts';

export const TOKEN = 'test-token';
/** A cron that never fires during a test run: cycles run only when the test asks. */
const NEVER = '0 0 1 1 *';

export interface HarnessOptions {
  /** How the bot opens its store (e.g. a shorter busy deadline for a test that locks it). */
  store?: OpenOptions;
  /** What the feed holds when the bot starts (its first poll announces nothing of it, unless BACKFILL). */
  items?: TestItem[];
  /** Extra settings (PING_ROLE_ID, BACKFILL…), given the fake so ids can be looked up. */
  env?: (fake: FakeDiscord) => Record<string, string>;
  /** discord.js REST timeout; short only where a test wants a request to time out. */
  restTimeoutMs?: number;
  fake?: FakeDiscordOptions;
}

export interface BotHarness {
  fake: FakeDiscord;
  /** The bot currently running (a new one after restart()). */
  readonly bot: RunningBot;
  feedUrl: string;
  feedServer: TestServer;
  /** Every log line of every bot this harness started. */
  logs: string[];
  /** The fake's #news, where ANNOUNCE_CHANNEL_ID points. */
  newsId: string;
  /** Replaces what the feed serves. */
  setFeed(items: TestItem[]): void;
  /** One full poll-and-deliver cycle; throws if the bot logged "cycle failed". */
  cycle(): Promise<void>;
  /** Moves the bot's clock forward (past delivery back-off) without waiting. */
  advance(ms: number): void;
  /** Bodies of the bot's POST /channels/{id}/messages answered 200, in order (a nonce repeat included). */
  announcementBodies(channelId?: string): Array<MessageBody & { nonce?: string; enforce_nonce?: boolean }>;
  /** Embed titles of the messages in a channel (default #news). */
  titles(channelId?: string): string[];
  logsMatching(pattern: RegExp): string[];
  /** Stops the bot (which closes the store) and starts a new one on the same SQLite file. */
  restart(): Promise<void>;
  close(): Promise<void>;
}

/** An on-topic item: "Alita 2 news number n", published n hours after a fixed day. */
export function sequel(n: number, over: Partial<TestItem> = {}): TestItem {
  return {
    title: `Alita 2 news number ${n}`,
    link: `https://news.example.com/alita-2-${n}`,
    date: new Date(Date.UTC(2024, 1, 10, n)).toISOString(),
    summary: `Update ${n} on the Alita: Battle Angel sequel.`,
    ...over,
  };
}

export const offTopic: TestItem = { title: 'Avatar 3 box office', link: 'https://news.example.com/avatar-3', date: '2024-02-09T10:00:00Z' };

export async function startBotHarness(options: HarnessOptions = {}): Promise<BotHarness> {
  let feedBody = rss(options.items ?? []);
  const dir = mkdtempSync(join(tmpdir(), 'alita-e2e-'));
  const started: { fake?: FakeDiscord; feedServer?: TestServer; bot?: RunningBot } = {};
  const cleanup = async () => {
    await started.bot?.stop().catch(() => undefined);
    await started.fake?.close().catch(() => undefined);
    await started.feedServer?.close().catch(() => undefined);
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    const fake = (started.fake = await startFakeDiscord(options.fake));
    const feedServer = (started.feedServer = await startHttpServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/rss+xml; charset=utf-8' }).end(feedBody);
    }));
    const feedUrl = `${feedServer.url}/feed.xml`;
    const newsId = fake.channelId('news');
    const logs: string[] = [];
    let offset = 0;
    const env = {
      DISCORD_TOKEN: TOKEN,
      DISCORD_API_URL: fake.apiUrl,
      DISCORD_CLIENT_ID: fake.applicationId,
      DISCORD_GUILD_ID: fake.guild.id,
      ANNOUNCE_CHANNEL_ID: newsId,
      FEEDS: feedUrl,
      POLL_CRON: NEVER,
      DATABASE_URL: `sqlite://${join(dir, 'bot.sqlite')}`,
      FETCH_TIMEOUT_MS: '30000',
      LOG_LEVEL: 'debug',
      ...options.env?.(fake),
    };
    const config = loadBotConfig(env);
    // Registered the way `npm run deploy-commands` does, so the fake types options as Discord would.
    await deployCommands(config);
    const logger = createLogger({ level: 'debug', write: (line) => logs.push(line), secrets: [TOKEN] });

    const start = async (): Promise<RunningBot> => {
      const stores = await openStores(config.DATABASE_URL, logger, options.store);
      const bot = await runBot({
        config,
        stores,
        logger,
        commands: allCommands,
        clock: () => new Date(Date.now() + offset),
        discordClientOptions: { rest: { retries: 0, timeout: options.restTimeoutMs ?? 30_000 }, ws: noIdentifyThrottle },
      });
      // runBot starts the first poll without waiting; runNow joins the cycle in flight.
      await bot.scheduler.runNow();
      return bot;
    };
    started.bot = await start();

    const sentBodies = (channelId: string) =>
      fake.requests.filter((r) => r.method === 'POST' && r.path === `/channels/${channelId}/messages` && r.status === 200).map((r) => r.body as MessageBody);
    return {
      fake,
      get bot() {
        return started.bot!;
      },
      feedUrl,
      feedServer,
      logs,
      newsId,
      setFeed(items) {
        feedBody = rss(items);
      },
      async cycle() {
        const before = logs.length;
        await started.bot!.scheduler.runNow();
        const failed = logs.slice(before).filter((l) => l.includes('cycle failed'));
        if (failed.length) throw new Error(`poll cycle failed: ${failed.join('\n')}`);
      },
      advance(ms) {
        offset += ms;
      },
      announcementBodies: (channelId = newsId) => sentBodies(channelId),
      titles: (channelId = newsId) => fake.messages(channelId).map((m) => m.embeds[0]?.title ?? `(no embed: ${m.content})`),
      logsMatching: (pattern) => logs.filter((l) => pattern.test(l)),
      async restart() {
        const previous = started.bot;
        started.bot = undefined;
        await previous?.stop();
        started.bot = await start();
      },
      close: cleanup,
    };
  } catch (error) {
    await cleanup();
    throw error;
  }
}
