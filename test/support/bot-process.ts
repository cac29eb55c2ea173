/**
 * The real bot as a child process (`src/main.ts`, as `npm start` runs it) against the fake
 * Discord, local feeds and a database the test chooses (a SQLite file, or a fresh PostgreSQL
 * database): for tests that kill it (SIGKILL), stop it (SIGTERM/SIGINT) or run several at once.
 * Every process started here is SIGKILLed by `killAllBots()` (call it in afterEach), so a
 * failing test leaves nothing running.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { isAbsolute, join } from 'node:path';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { describe } from 'vitest';
import { silentLogger } from '../../src/log.ts';
import { openStores, type Stores } from '../../src/store/sql/index.ts';
import type { FakeDiscord, FakeDiscordOptions } from '../fake-discord/server.ts';
import { rss, type TestItem } from './feeds.ts';
import { startHttpServer, type TestServer } from './http-server.ts';
import { describeWithPostgres, type PostgresTarget } from './postgres.ts';
import { PROJECT_ROOT, scriptCommand } from './spawn.ts';

export const BOT_TOKEN = 'test-token';

/** Every setting main.ts reads: blank ones count as unset and keep a developer's .env out of the test. */
const ALL_KEYS = [
  'DISCORD_TOKEN', 'DISCORD_CLIENT_ID', 'DISCORD_GUILD_ID', 'ANNOUNCE_CHANNEL_ID', 'PING_ROLE_ID', 'LOG_CHANNEL_ID', 'DISCORD_API_URL',
  'FEEDS', 'POLL_CRON', 'BACKFILL', 'ALLOW_PRIVATE_FEEDS', 'FETCH_TIMEOUT_MS', 'FETCH_MAX_BYTES', 'FETCH_CONCURRENCY', 'FETCH_PER_HOST',
  'MAX_FEEDS_PER_SERVER', 'MAX_QUOTES', 'MAX_ANNOUNCEMENTS_PER_POLL', 'DATABASE_URL', 'KEYV_URL', 'LOG_LEVEL', 'LOG_FORMAT', 'HEALTH_PORT', 'HEALTH_HOST', 'ALITA_TEST_KILL_AT',
];

export interface BotEnvOptions {
  fake: FakeDiscord;
  feeds: string[];
  /** sqlite://file or postgres://…: see `StoreEngine.fresh`. */
  databaseUrl: string;
  /** Default every second. */
  pollCron?: string;
  backfill?: number;
  extra?: Record<string, string>;
}

/** Environment for a bot announcing in the fake's #news. */
export function botEnv(options: BotEnvOptions): Record<string, string> {
  const { fake } = options;
  return {
    ...Object.fromEntries(ALL_KEYS.map((k) => [k, ''])),
    DISCORD_TOKEN: BOT_TOKEN,
    DISCORD_API_URL: fake.apiUrl,
    DISCORD_CLIENT_ID: fake.applicationId,
    ANNOUNCE_CHANNEL_ID: fake.channelId('news'),
    FEEDS: options.feeds.join(','),
    POLL_CRON: options.pollCron ?? '*/1 * * * * *',
    BACKFILL: String(options.backfill ?? 0),
    DATABASE_URL: options.databaseUrl,
    FETCH_TIMEOUT_MS: '30000',
    LOG_LEVEL: 'debug',
    ...options.extra,
  };
}

export interface BotExit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

export interface BotProcess {
  label: string;
  child: ChildProcess;
  pid: number;
  /** Everything the bot logged (stderr: the log lines) so far. */
  logs(): string;
  stdout(): string;
  /** Resolves once the process is gone and all it wrote has been read. */
  exited: Promise<BotExit>;
  readonly running: boolean;
  /** Resolves with the first match in the log (after `from` characters), rejects after `timeoutMs` or when the process exits first. */
  waitForLog(pattern: RegExp, timeoutMs?: number, from?: number): Promise<RegExpMatchArray>;
  /** SIGKILL, and wait until it is gone. */
  kill(): Promise<BotExit>;
  /** Sends a signal and waits for the exit. */
  signal(signal: NodeJS.Signals): Promise<BotExit>;
}

const live = new Set<BotProcess & { apiUrl?: string }>();

/**
 * Starts the bot as `npm start` does (dist/main.js) with exactly this environment (plus PATH and HOME).
 * `cwd`: another working folder (where main.ts looks for a .env file); dist/ is still the project's.
 */
export function startBotProcess(env: Record<string, string>, label = 'bot', options: { cwd?: string } = {}): BotProcess {
  const start = scriptCommand('start');
  const args = options.cwd ? start.args.map((arg) => (arg.endsWith('.js') && !isAbsolute(arg) ? join(PROJECT_ROOT, arg) : arg)) : start.args;
  const child = spawn(process.execPath, args, {
    cwd: options.cwd ?? PROJECT_ROOT,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...start.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let err = '';
  let out = '';
  child.stderr!.on('data', (c) => (err += String(c)));
  child.stdout!.on('data', (c) => (out += String(c)));
  // 'close', not 'exit': the process is gone AND its output is all read (a crash point's last line included).
  let closed = false;
  const exited = new Promise<BotExit>((resolve) =>
    child.once('close', (code, signal) => {
      closed = true;
      resolve({ code, signal });
    }),
  );
  const proc: BotProcess & { apiUrl?: string } = {
    label,
    apiUrl: env.DISCORD_API_URL,
    child,
    pid: child.pid ?? -1,
    logs: () => err,
    stdout: () => out,
    exited,
    get running() {
      return child.exitCode === null && child.signalCode === null;
    },
    waitForLog(pattern, timeoutMs = 90_000, from = 0) {
      return new Promise((resolve, reject) => {
        const started = Date.now();
        const check = () => {
          const match = err.slice(from).match(pattern);
          if (match) return resolve(match);
          // Not `running`: the exit is known before the pipe's last lines are read (a crash point's line).
          if (closed) return reject(new Error(`${label} exited before logging ${String(pattern)}\n${tail(err)}`));
          if (Date.now() - started > timeoutMs) return reject(new Error(`${label} did not log ${String(pattern)} within ${timeoutMs} ms\n${tail(err)}`));
          setTimeout(check, 25);
        };
        check();
      });
    },
    async kill() {
      if (proc.running) child.kill('SIGKILL');
      return exited;
    },
    async signal(signal) {
      if (proc.running) child.kill(signal);
      return exited;
    },
  };
  live.add(proc);
  void exited.then(() => live.delete(proc));
  return proc;
}

/** SIGKILLs the bots talking to this Discord (one world's), leaving other tests' bots alone. */
async function killBotsOf(apiUrl: string): Promise<void> {
  await Promise.all([...live].filter((p) => p.apiUrl === apiUrl).map((p) => p.kill()));
}

function tail(text: string, lines = 40): string {
  return text.split('\n').slice(-lines).join('\n');
}

/** SIGKILLs every bot process still running (afterEach). */
export async function killAllBots(): Promise<void> {
  await Promise.all([...live].map((p) => p.kill()));
}

// --- Feeds -----------------------------------------------------------------------------------

export interface FeedHost {
  server: TestServer;
  /** URL of a feed served at `/name.xml`. */
  url(name: string): string;
  /**
   * The feed's items from now on; with `fromHit`, only from that request to it on (counting from
   * 1), the earlier ones answered as before: a change that lands between two polls whatever the
   * poll schedule does meanwhile.
   */
  set(name: string, items: TestItem[], fromHit?: number): void;
  /** Every request to this feed waits `ms` before answering (0: answer at once); `fromHit` as for set. */
  slow(name: string, ms: number, fromHit?: number): void;
  /** How many requests this feed has received (answered or not). */
  hits(name: string): number;
  close(): Promise<void>;
}

/** A feed's value by request number: each entry holds from its `from`th request on. */
type Scheduled<T> = Array<{ from: number; value: T }>;

/** `value` from request `fromHit` on (from the next one when not given); later entries dropped. */
function schedule<T>(current: Scheduled<T> | undefined, value: T, fromHit = 0): Scheduled<T> {
  return [...(current ?? []).filter((entry) => entry.from < fromHit), { from: fromHit, value }];
}

function valueAt<T>(scheduled: Scheduled<T> | undefined, hit: number): T | undefined {
  return scheduled?.findLast((entry) => entry.from <= hit)?.value;
}

/** A local server for several RSS feeds whose items and speed the test changes as it goes. */
export async function startFeedHost(): Promise<FeedHost> {
  const bodies = new Map<string, Scheduled<string>>();
  const delays = new Map<string, Scheduled<number>>();
  const counts = new Map<string, number>();
  const server = await startHttpServer(async (req: IncomingMessage, res: ServerResponse) => {
    const name = new URL(req.url ?? '/', 'http://x').pathname.replace(/^\//, '').replace(/\.xml$/, '');
    const hit = (counts.get(name) ?? 0) + 1;
    counts.set(name, hit);
    const delay = valueAt(delays.get(name), hit) ?? 0;
    if (delay > 0) await new Promise((resolve) => setTimeout(resolve, delay));
    const body = valueAt(bodies.get(name), hit);
    if (body === undefined) return res.writeHead(404).end('no such feed');
    if (!res.destroyed) res.writeHead(200, { 'content-type': 'application/rss+xml; charset=utf-8' }).end(body);
  });
  return {
    server,
    url: (name) => `${server.url}/${name}.xml`,
    set: (name, items, fromHit) => bodies.set(name, schedule(bodies.get(name), rss(items, `Feed ${name}`), fromHit)),
    slow: (name, ms, fromHit) => delays.set(name, schedule(delays.get(name), ms, fromHit)),
    hits: (name) => counts.get(name) ?? 0,
    close: () => server.close(),
  };
}

// --- Checks ----------------------------------------------------------------------------------

/** Embed titles of the messages in a channel of the fake, in order. */
export function postedTitles(fake: FakeDiscord, channelId = fake.channelId('news')): string[] {
  return fake.messages(channelId).map((m) => m.embeds[0]?.title ?? `(no embed: ${m.content})`);
}

/** Polls `check` until it returns true or the deadline passes (then throws with `describe()`). */
export async function eventually(check: () => boolean, timeoutMs: number, describe: () => string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`not reached within ${timeoutMs} ms: ${describe()}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

// --- Seeded randomness -----------------------------------------------------------------------

export { seededRandom } from './random.ts';

/** CRASH_SEED from the environment, else a fresh one; print it so a failure can be replayed. */
export function crashSeed(): number {
  const given = process.env.CRASH_SEED;
  if (given && /^\d+$/.test(given)) return Number(given);
  return Math.floor(Math.random() * 2 ** 31);
}

// --- A whole world for bot processes -----------------------------------------------------------

export interface BotWorld {
  fake: FakeDiscord;
  feeds: FeedHost;
  dir: string;
  newsId: string;
  /** sqlite:// URL of a file in the world's temporary folder. */
  sqliteUrl(name?: string): string;
  /** Runs at close(), after the bots are killed (e.g. dropping a PostgreSQL database). */
  onClose(cleanup: () => Promise<void>): void;
  close(): Promise<void>;
}

/** The fake Discord, a feed host and a temporary folder; close() removes all three. */
export async function startBotWorld(options: FakeDiscordOptions = {}): Promise<BotWorld> {
  const { startFakeDiscord } = await import('../fake-discord/server.ts');
  const fake = await startFakeDiscord(options);
  const feeds = await startFeedHost();
  const dir = mkdtempSync(join(tmpdir(), 'alita-proc-'));
  const cleanups: Array<() => Promise<void>> = [];
  return {
    fake,
    feeds,
    dir,
    newsId: fake.channelId('news'),
    sqliteUrl: (name = 'bot') => `sqlite://${join(dir, `${name}.sqlite`)}`,
    onClose: (cleanup) => void cleanups.push(cleanup),
    async close() {
      // Only this world's bots: tests with worlds of their own may run side by side.
      await killBotsOf(fake.apiUrl);
      for (const cleanup of cleanups.splice(0).reverse()) await cleanup().catch(() => undefined);
      await fake.close().catch(() => undefined);
      await feeds.close().catch(() => undefined);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Opens the bots' database from the test, as a restarted bot would, runs `look`, and closes it. */
export async function inspectStore<T>(url: string, look: (stores: Stores) => Promise<T>): Promise<T> {
  const stores = await openStores(url, silentLogger);
  try {
    return await look(stores);
  } finally {
    await stores.close();
  }
}

/** How many times the bot logged a line matching `pattern` (e.g. /poll finished/). */
export function countLogs(bot: BotProcess, pattern: RegExp): number {
  return bot.logs().split('\n').filter((line) => pattern.test(line)).length;
}

/** Waits until the bot has finished `n` more poll cycles than it had when called. */
export async function waitForCycles(bot: BotProcess, n: number, timeoutMs = 90_000): Promise<void> {
  const target = countLogs(bot, /poll finished/) + n;
  await eventually(() => countLogs(bot, /poll finished/) >= target || !bot.running, timeoutMs, () => `${bot.label}: ${n} poll cycles\n${tail(bot.logs())}`);
  if (countLogs(bot, /poll finished/) < target) throw new Error(`${bot.label} exited before ${n} more poll cycles\n${tail(bot.logs())}`);
}

/** Starts a bot armed to SIGKILL itself at `spec` (ALITA_TEST_KILL_AT) and waits until it did. */
export async function runUntilCrashPoint(env: Record<string, string>, spec: string, timeoutMs = 90_000): Promise<BotProcess> {
  const bot = startBotProcess({ ...env, ALITA_TEST_KILL_AT: spec }, `bot killed at ${spec}`);
  await bot.waitForLog(/crash point reached: .*/, timeoutMs);
  const exit = await bot.exited;
  if (exit.signal !== 'SIGKILL') throw new Error(`${bot.label} exited with ${JSON.stringify(exit)}\n${tail(bot.logs())}`);
  return bot;
}

// --- Engines ---------------------------------------------------------------------------------

/** Where a world's bots keep their store. */
export interface StoreEngine {
  kind: 'sqlite' | 'postgres';
  /** A new, empty database for this world: a file in its folder, or a PostgreSQL database dropped at close(). */
  fresh(world: BotWorld, name?: string): Promise<string>;
}

export const SQLITE: StoreEngine = { kind: 'sqlite', fresh: async (world, name) => world.sqliteUrl(name) };

export function postgresEngine(pg: () => PostgresTarget): StoreEngine {
  return {
    kind: 'postgres',
    async fresh(world, name = 'bot') {
      const db = await pg().freshDatabase(name);
      world.onClose(() => db.drop());
      return db.url;
    },
  };
}

/**
 * The same tests on SQLite and on PostgreSQL (describeWithPostgres: skipped visibly without a
 * PostgreSQL, a failure when POSTGRES_REQUIRED=1). `engine()` is for hooks and tests.
 */
export function describeEachEngine(name: string, body: (engine: () => StoreEngine) => void): void {
  describe(`${name} (SQLite)`, () => body(() => SQLITE));
  describeWithPostgres(`${name} (PostgreSQL)`, (pg) => body(() => postgresEngine(pg)));
}
