/**
 * Store outages, written once and run on each engine (store-outage-postgres.test.ts: the
 * PostgreSQL server stopped; store-outage-sqlite.test.ts: the SQLite file locked by another
 * connection for longer than the busy deadline). Same expectations everywhere: the bot logs it,
 * keeps answering what it can, loses no announcement, posts none twice, and recovers without a
 * restart. How long anything took (event-loop stalls included) is logged, never judged.
 */
import { PassThrough } from 'node:stream';
import { sql } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import { allCommands } from '../src/app/commands.ts';
import { runBot, type RunningBot } from '../src/app/run.ts';
import { createBotContext } from '../src/bot/create-context.ts';
import { runCycle } from '../src/bot/cycle.ts';
import type { AnnouncePort } from '../src/bot/delivery.ts';
import { loadBotConfig } from '../src/config.ts';
import { createLogger } from '../src/log.ts';
import { openStores } from '../src/store/sql/index.ts';
import { sequel, startBotHarness, type BotHarness } from './support/bot-harness.ts';
import { rss, type TestItem } from './support/feeds.ts';
import { startHttpServer } from './support/http-server.ts';

export interface OutageBackend {
  /** DATABASE_URL of a fresh, empty database. */
  freshUrl(): Promise<string>;
  /** Makes the database at `url` fail; resolves once it does. Never called inside one of the bot's transactions. */
  begin(url: string): Promise<void>;
  /** Ends the outage (server back, lock released). Clients must find their way back by themselves. */
  end(url: string): Promise<void>;
  /** What a store operation fails with during the outage. */
  failure: RegExp;
  /** False where reads go on during the outage (SQLite in WAL mode: a lock stops writers only). */
  readsFail: boolean;
}

const CHANNEL = '100000000000000123';
const MINUTE = 60_000;
/** How long the stores of this file's bots wait out a busy database (the bot's default is 10 s); the lock outlasts either. */
const BUSY_DEADLINE_MS = 2_000;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const titles = (...ns: number[]) => ns.map((n) => `Alita 2 news number ${n}`);

/** Retries `attempt` until it returns true, for up to `timeoutMs` (a generous deadline, not a speed check). */
async function eventually(what: string, attempt: () => Promise<boolean> | boolean, timeoutMs = 90_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await attempt())) {
    if (Date.now() > deadline) throw new Error(`gave up after ${timeoutMs} ms waiting for: ${what}`);
    await sleep(200);
  }
}

/** The longest time the event loop did not turn, from now until stop(). */
function watchEventLoop() {
  let last = Date.now();
  let longest = 0;
  const timer = setInterval(() => {
    const now = Date.now();
    longest = Math.max(longest, now - last);
    last = now;
  }, 50);
  return { longest: () => Math.max(longest, Date.now() - last), stop: () => clearInterval(timer) };
}

/** Runs `hook` once, before or after the next call of `obj[method]`. */
function once<T extends object>(obj: T, method: keyof T & string, when: 'before' | 'after', hook: () => Promise<void>): void {
  const original = (obj[method] as (...args: unknown[]) => Promise<unknown>).bind(obj);
  let armed = true;
  const wrapped = async (...args: unknown[]) => {
    const fire = armed;
    armed = false;
    if (fire && when === 'before') await hook();
    const result = await original(...args);
    if (fire && when === 'after') await hook();
    return result;
  };
  Object.assign(obj, { [method]: wrapped });
}

/**
 * A stand-in for Discord's POST /channels/{id}/messages with `enforce_nonce`: a repeated nonce
 * returns the earlier message instead of posting again. `afterAccept` runs once Discord has
 * accepted a message, before the bot hears back.
 */
function recordingDiscord() {
  const posts: Array<{ nonce?: string; enforce?: boolean; title: string }> = [];
  const channel: string[] = [];
  const nonces = new Set<string>();
  let afterAccept: (() => Promise<void>) | undefined;
  const port: AnnouncePort = {
    async send(_channelId, body) {
      const title = body.embeds[0]?.title ?? '';
      posts.push({ nonce: body.nonce, enforce: body.enforce_nonce, title });
      if (!(body.enforce_nonce && body.nonce && nonces.has(body.nonce))) channel.push(title);
      if (body.nonce) nonces.add(body.nonce);
      const hook = afterAccept;
      afterAccept = undefined;
      await hook?.();
    },
  };
  return { port, posts, channel, onNextAccept: (hook: () => Promise<void>) => (afterAccept = hook) };
}

export function storeOutageScenarios(backend: () => OutageBackend): void {
  const cleanups: Array<() => Promise<unknown>> = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup().catch(() => undefined);
  });

  /** A local feed whose items the test sets. */
  async function feed(first: TestItem[]) {
    let items = first;
    const server = await startHttpServer((_req, res) => void res.writeHead(200, { 'content-type': 'application/rss+xml' }).end(rss(items)));
    cleanups.push(() => server.close());
    return { url: `${server.url}/feed.xml`, publish: (next: TestItem[]) => void (items = next) };
  }

  /** A real bot context over a fresh database, polling one local feed, with its own clock. */
  async function poller() {
    const b = backend();
    const source = await feed([sequel(1)]);
    const url = await b.freshUrl();
    const logs: string[] = [];
    const logger = createLogger({ level: 'debug', write: (line) => logs.push(line) });
    const stores = await openStores(url, logger, { busyDeadlineMs: BUSY_DEADLINE_MS });
    cleanups.push(async () => {
      await b.end(url).catch(() => undefined);
      await stores.close();
    });
    const clock = { now: new Date('2024-03-01T12:00:00Z') };
    const config = loadBotConfig({ FEEDS: source.url, DATABASE_URL: url, ANNOUNCE_CHANNEL_ID: CHANNEL, FETCH_TIMEOUT_MS: '30000' });
    const ctx = createBotContext({ config, stores, logger, clock: () => clock.now });
    const discord = recordingDiscord();
    const cycle = () => runCycle({ ctx, port: discord.port });
    await cycle();
    const answers = () => eventually('the store to answer again', () => sql`select 1`.execute(stores.database.db).then(() => true, () => false));
    /**
     * The first store operation that fails (whichever it is) ends the outage and waits until the
     * store answers again before failing: the bot meets exactly one failed store operation.
     */
    const endOutageAtFirstFailure = (): Promise<unknown> =>
      new Promise((resolve) => {
        let fired = false;
        for (const store of [ctx.news, ctx.outbox, ctx.settings] as unknown as Array<Record<string, (...args: unknown[]) => Promise<unknown>>>) {
          for (const name of Object.getOwnPropertyNames(Object.getPrototypeOf(store))) {
            const original = store[name];
            if (name === 'constructor' || typeof original !== 'function') continue;
            store[name] = async (...args) => {
              try {
                return await original.apply(store, args);
              } catch (error) {
                if (!fired) {
                  fired = true;
                  await b.end(url);
                  await answers();
                  resolve(error);
                }
                throw error;
              }
            };
          }
        }
      });
    const firstFailure = async (failure: Promise<unknown>) => String(await Promise.race([failure, sleep(0).then(() => 'no store operation failed')]));
    return { b, ctx, url, logs, clock, discord, cycle, endOutageAtFirstFailure, firstFailure, publish: source.publish };
  }

  describe('with the whole bot on Discord (fake Discord, real discord.js client)', () => {
    let h: BotHarness | undefined;
    afterEach(async () => {
      await h?.close();
      h = undefined;
    });

    it('while the store is down: cycles fail and are logged, commands answer; after it, each new item is announced once', async () => {
      const b = backend();
      const url = await b.freshUrl();
      h = await startBotHarness({ items: [sequel(1)], env: () => ({ DATABASE_URL: url }), store: { busyDeadlineMs: BUSY_DEADLINE_MS } });
      const harness = h;
      const failedCycles = () => harness.logsMatching(/ERROR cycle failed/).length;

      const stalls = watchEventLoop();
      cleanups.push(async () => stalls.stop());
      await b.begin(url);
      cleanups.push(() => b.end(url));
      harness.setFeed([sequel(1), sequel(2), sequel(3)]);
      // A command that needs the store gets an answer, not silence; a poll cycle fails and says why.
      const latest = harness.fake.sendCommand({ name: 'latest' });
      const cycle = harness.bot.scheduler.runNow();
      await latest.acknowledged({ timeoutMs: 90_000 });
      // Several store reads at once, as a cycle over several feeds makes them.
      const reads = Promise.allSettled([1, 2].map((n) => harness.bot.ctx.news.getFeedState(`${harness.feedUrl}?n=${n}`)));
      // Meanwhile a command that needs no store is answered as usual, within Discord's 3 s.
      const refused = await harness.fake.sendCommand({ name: 'feeds', subcommand: 'add', options: { url: 'https://news.example.org/feed.xml' } }).reply();
      expect(refused.content).toBe('You need the Manage Server permission to use /feeds.');
      await cycle;
      expect((await reads).map((r) => r.status)).toEqual(b.readsFail ? ['rejected', 'rejected'] : ['fulfilled', 'fulfilled']);
      const answer = await latest.reply({ timeoutMs: 90_000 });
      if (b.readsFail) {
        expect(answer.content).toMatch(/^Sorry, something went wrong/);
        expect(harness.logsMatching(/ERROR interaction failed command=latest/)[0]).toMatch(b.failure);
      } else {
        // Reads still work, so /latest answers from the archive as usual.
        expect(answer.embeds?.[0]?.title ?? answer.content).toMatch(/Latest|No Alita sequel news yet/);
      }
      expect(failedCycles()).toBeGreaterThanOrEqual(1);
      expect(harness.logsMatching(/ERROR cycle failed/)[0]).toMatch(b.failure);
      expect(harness.titles()).toEqual([]);
      // Both commands above were acknowledged within the fake's 3 s window, as Discord requires.
      // How long the event loop stalled is logged, not judged (a busy machine stalls it too).
      console.log(`longest event-loop stall during the store outage: ${stalls.longest()} ms`);

      await b.end(url);
      // The same bot, no restart: the next cycles (here run by hand) succeed once the store is back.
      await eventually('a cycle that does not fail', async () => {
        const before = failedCycles();
        await harness.bot.scheduler.runNow();
        return failedCycles() === before;
      });
      await harness.fake.waitForMessages(harness.newsId, 2, 90_000);
      await harness.cycle();
      harness.advance(11 * MINUTE);
      await harness.cycle();
      expect(harness.titles()).toEqual(titles(2, 3));
      expect(await harness.bot.ctx.outbox.counts()).toEqual({ pending: 0, dead: 0, retrying: 0, publishing: 0 });
      const after = await harness.fake.sendCommand({ name: 'latest' }).reply();
      expect(after.embeds[0]?.title).toBe('Latest 3 Alita sequel news items');
    }, 300_000);
  });

  describe('at the worst moments of a cycle (the real cycle, a recording Discord)', () => {
    it('down just as a feed’s poll is recorded: the poll fails as a whole, nothing of it kept; tried again, each item is announced once', async () => {
      const p = await poller();
      p.publish([sequel(3), sequel(2), sequel(1)]);
      once(p.ctx.news, 'recordPoll', 'before', () => p.b.begin(p.url));
      const failure = p.endOutageAtFirstFailure();
      const first = await p.cycle();
      expect(await p.firstFailure(failure)).toMatch(p.b.failure);
      expect(first.failed).toBe(1);
      expect(p.logs.filter((l) => / WARN {2}feed failed /.test(l))).toHaveLength(1);
      expect(p.discord.posts).toEqual([]);
      expect((await p.ctx.news.latest({ limit: 10 })).map((item) => item.title)).toEqual(titles(1));

      // The feed is polled again after the back-off its failure earned: each item once.
      const state = await p.ctx.news.getFeedState(p.ctx.operatorFeeds[0]!);
      p.clock.now = new Date(Math.max(p.clock.now.getTime(), state?.nextAttemptAt ? Date.parse(state.nextAttemptAt) : 0) + MINUTE);
      expect(await p.cycle()).toMatchObject({ failed: 0, delivery: { sent: 2, retrying: 0, dead: 0 } });
      await p.cycle();
      expect(p.discord.posts.map((x) => x.title)).toEqual(titles(2, 3));
      expect(await p.ctx.outbox.counts()).toEqual({ pending: 0, dead: 0, retrying: 0, publishing: 0 });
      expect((await p.ctx.news.latest({ limit: 10 })).map((item) => item.title)).toEqual(titles(3, 2, 1));
    }, 300_000);

    it('down right after a feed’s poll was recorded, its announcements queued: the cycle fails; the next delivers each once', async () => {
      const p = await poller();
      p.publish([sequel(3), sequel(2), sequel(1)]);
      once(p.ctx.news, 'recordPoll', 'after', () => p.b.begin(p.url));
      const failure = p.endOutageAtFirstFailure();
      await expect(p.cycle()).rejects.toThrow(p.b.failure);
      expect(await p.firstFailure(failure)).toMatch(p.b.failure);
      expect(p.discord.posts).toEqual([]);

      expect(await p.cycle()).toMatchObject({ failed: 0, delivery: { sent: 2, retrying: 0, dead: 0 } });
      await p.cycle();
      expect(p.discord.posts.map((x) => x.title)).toEqual(titles(2, 3));
      expect(await p.ctx.outbox.counts()).toEqual({ pending: 0, dead: 0, retrying: 0, publishing: 0 });
    }, 300_000);

    it('down right after Discord accepted a message, before the bot recorded it: the retry carries the same nonce, so one message', async () => {
      const p = await poller();
      p.publish([sequel(3), sequel(2), sequel(1)]);
      p.discord.onNextAccept(() => p.b.begin(p.url));
      const failure = p.endOutageAtFirstFailure();
      const first = await p.cycle();
      expect(await p.firstFailure(failure)).toMatch(p.b.failure);
      expect(first.delivery).toMatchObject({ sent: 0, retrying: 1 });
      expect(p.logs.filter((l) => /announcement not delivered; will retry/.test(l))).toHaveLength(1);

      p.clock.now = new Date(p.clock.now.getTime() + 11 * MINUTE);
      expect((await p.cycle()).delivery).toMatchObject({ sent: 2, retrying: 0 });
      await p.cycle();
      expect(p.discord.channel).toEqual(titles(2, 3));
      const [accepted, retried] = p.discord.posts;
      expect(p.discord.posts.map((x) => x.title)).toEqual(titles(2, 2, 3));
      expect(accepted?.enforce).toBe(true);
      expect(retried).toEqual(accepted);
      expect(await p.ctx.outbox.counts()).toEqual({ pending: 0, dead: 0, retrying: 0, publishing: 0 });
    }, 300_000);
  });

  describe('on its own schedule (console mode, polling every second)', () => {
    it('down for longer than its lease: it keeps answering, then catches up by itself, once', async () => {
      const b = backend();
      const source = await feed([sequel(1)]);
      const url = await b.freshUrl();
      const logs: string[] = [];
      const logger = createLogger({ level: 'debug', write: (line) => logs.push(line) });
      const input = new PassThrough();
      const output = new PassThrough();
      let out = '';
      output.on('data', (chunk) => (out += String(chunk)));
      const config = loadBotConfig({ FEEDS: source.url, DATABASE_URL: url, POLL_CRON: '* * * * * *', FETCH_TIMEOUT_MS: '30000' });
      const stores = await openStores(url, logger, { busyDeadlineMs: BUSY_DEADLINE_MS });
      const bot: RunningBot = await runBot({ config, stores, logger, commands: allCommands, input, output });
      cleanups.push(async () => {
        input.end();
        await b.end(url).catch(() => undefined);
        await bot.stop();
      });
      const polls = () => logs.filter((l) => l.includes('poll finished')).length;
      await eventually('the first poll', () => polls() >= 1);
      const announced = () => [...out.matchAll(/📣[^\n]*\n┌─ (Alita 2 news number \d+)/g)].map((m) => m[1]);

      await b.begin(url);
      source.publish([sequel(3), sequel(2), sequel(1)]);
      input.write('/latest\n/trailer\n');
      await eventually('answers to both commands', () => /unknown command \/trailer/.test(out));
      if (b.readsFail) expect(out).toMatch(/Sorry, something went wrong while answering that/);
      else expect(out).toMatch(/Latest .*Alita sequel news/);
      // Down for several scheduled polls: long enough for a failure to be logged and the lease (three poll intervals) to lapse.
      await eventually('a failure logged', () => logs.some((l) => / ERROR (cycle|command) failed /.test(l) && b.failure.test(l)));
      await eventually('the lease to lapse', () => logs.some((l) => /leader lease lost/.test(l)));
      const skipped = () => logs.filter((l) => /not the leader: skipping this poll/.test(l)).length;
      const [pollsAtLapse, skippedAtLapse] = [polls(), skipped()];
      await eventually('two scheduled polls skipped', () => skipped() >= skippedAtLapse + 2);
      expect(polls()).toBe(pollsAtLapse);
      expect(announced()).toEqual([]);

      await b.end(url);
      await eventually('the news published during the outage', () => announced().length >= 2);
      const caughtUp = polls();
      await eventually('three more polls', () => polls() >= caughtUp + 3);
      expect(announced()).toEqual(titles(2, 3));
      input.write('/latest\n');
      await eventually('/latest after the outage', () => out.includes('Latest 3 Alita sequel news items'));
    }, 400_000);
  });
}
