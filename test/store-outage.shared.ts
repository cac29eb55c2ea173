/**
 * Store outages, written once and run on each backend (store-outage-redis.test.ts: Redis
 * stopped; store-outage-sqlite.test.ts: SQLite locked by another connection for longer than
 * the busy timeout). Same expectations everywhere: the bot logs it, keeps answering what it
 * can, loses no announcement, posts none twice, and recovers without a restart.
 */
import { PassThrough } from 'node:stream';
import type Keyv from 'keyv';
import { afterEach, describe, expect, it } from 'vitest';
import { allCommands } from '../src/app/commands.ts';
import type { BotContext } from '../src/bot/context.ts';
import { createBotContext } from '../src/bot/create-context.ts';
import { runCycle } from '../src/bot/cycle.ts';
import type { AnnouncePort } from '../src/bot/delivery.ts';
import { runBot, type RunningBot } from '../src/app/run.ts';
import { loadBotConfig } from '../src/config.ts';
import { createLogger } from '../src/log.ts';
import { openKeyv } from '../src/store/open.ts';
import { sequel, startBotHarness, type BotHarness } from './support/bot-harness.ts';
import { rss, type TestItem } from './support/feeds.ts';
import { startHttpServer, type TestServer } from './support/http-server.ts';

export interface OutageBackend {
  /** KEYV_URL of a fresh, empty store. */
  freshUrl(): string;
  /** Makes the store at `url` fail; resolves once it does. */
  begin(url: string): Promise<void>;
  /** Ends the outage (server back, lock released). Clients must find their way back by themselves. */
  end(url: string): Promise<void>;
  /** What a store operation fails with during the outage. */
  failure: RegExp;
  /** False where reads go on during the outage (SQLite in WAL mode: a lock stops writers only). */
  readsFail?: boolean;
  /** A log line the bot writes when the store is back, if the backend has one. */
  recovered?: RegExp;
}

const CHANNEL = '100000000000000123';
const MINUTE = 60_000;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

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
  return {
    longest: () => Math.max(longest, Date.now() - last),
    stop: () => clearInterval(timer),
  };
}

/** Until the store answers again through this connection. */
const storeAnswers = (keyv: Keyv) => eventually('the store to answer again', () => keyv.get('probe').then(() => true, () => false));

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

const titles = (...ns: number[]) => ns.map((n) => `Alita 2 news number ${n}`);

export function storeOutageScenarios(backend: () => OutageBackend): void {
  const cleanups: Array<() => Promise<unknown>> = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup().catch(() => undefined);
  });

  /** A real bot context over a fresh store, polling one local feed, with its own clock. */
  async function poller() {
    let items: TestItem[] = [sequel(1)];
    const server: TestServer = await startHttpServer((_req, res) => void res.writeHead(200, { 'content-type': 'application/rss+xml' }).end(rss(items)));
    cleanups.push(() => server.close());
    const url = backend().freshUrl();
    const logs: string[] = [];
    const logger = createLogger({ level: 'debug', write: (line) => logs.push(line) });
    const keyv = await openKeyv(url, logger);
    cleanups.push(async () => {
      await backend().end(url).catch(() => undefined);
      await keyv.disconnect();
    });
    const clock = { now: new Date('2024-03-01T12:00:00Z') };
    const config = loadBotConfig({ FEEDS: `${server.url}/feed.xml`, KEYV_URL: url, ANNOUNCE_CHANNEL_ID: CHANNEL, FETCH_TIMEOUT_MS: '30000' });
    const ctx: BotContext = createBotContext({ config, keyv, logger, clock: () => clock.now });
    const discord = recordingDiscord();
    const cycle = () => runCycle({ ctx, port: discord.port });
    await cycle();
    /**
     * The first store operation that fails (whichever it is) ends the outage and waits until the
     * store answers again before failing: the bot meets exactly one failed write or read.
     */
    const endOutageAtFirstFailure = (b: OutageBackend): Promise<unknown> =>
      new Promise((resolve) => {
        const target = keyv as unknown as Record<string, (...args: unknown[]) => Promise<unknown>>;
        let fired = false;
        for (const method of ['get', 'getMany', 'set', 'setMany', 'delete', 'deleteMany', 'has']) {
          const original = target[method]!.bind(keyv);
          target[method] = async (...args) => {
            try {
              return await original(...args);
            } catch (error) {
              if (!fired) {
                fired = true;
                await b.end(url);
                await storeAnswers(keyv);
                resolve(error);
              }
              throw error;
            }
          };
        }
      });
    return { ctx, keyv, url, logs, clock, discord, cycle, endOutageAtFirstFailure, publish: (next: TestItem[]) => void (items = next) };
  }

  describe('with the whole bot on Discord (fake Discord, real discord.js client)', () => {
    let h: BotHarness | undefined;
    afterEach(async () => {
      await h?.close();
      h = undefined;
    });

    it('while the store is down: cycles fail and are logged, commands answer; after it, each new item is announced once', async () => {
      const b = backend();
      const url = b.freshUrl();
      h = await startBotHarness({ items: [sequel(1)], env: () => ({ KEYV_URL: url }) });
      const harness = h;
      const failedCycles = () => harness.logsMatching(/ERROR cycle failed/).length;

      const stalls = watchEventLoop();
      cleanups.push(async () => stalls.stop());
      await b.begin(url);
      cleanups.push(() => b.end(url));
      harness.setFeed([sequel(1), sequel(2), sequel(3)]);
      // A command that needs the store gets the apology, not silence; a poll cycle fails and says why.
      const latest = harness.fake.sendCommand({ name: 'latest' });
      const cycle = harness.bot.scheduler.runNow();
      await latest.acknowledged({ timeoutMs: 90_000 });
      // Several store reads at once, as a cycle over several feeds makes them.
      const reads = Promise.allSettled([1, 2].map((n) => harness.bot.ctx.news.getFeedState(`${harness.feedUrl}?n=${n}`)));
      // Meanwhile a command that needs no store is answered as usual, within Discord's 3 s.
      const refused = await harness.fake.sendCommand({ name: 'feeds', subcommand: 'add', options: { url: 'https://news.example.org/feed.xml' } }).reply();
      expect(refused.content).toBe('You need the Manage Server permission to use /feeds.');
      await cycle;
      const readsFail = b.readsFail ?? true;
      expect((await reads).map((r) => r.status)).toEqual(readsFail ? ['rejected', 'rejected'] : ['fulfilled', 'fulfilled']);
      const answer = await latest.reply({ timeoutMs: 90_000 });
      if (readsFail) {
        expect(answer.content).toMatch(/^Sorry, something went wrong/);
        expect(harness.logsMatching(/ERROR interaction failed command=latest/)[0]).toMatch(b.failure);
      } else {
        // Reads still work, so /latest answers from the archive as usual.
        expect(answer.embeds?.[0]?.title ?? answer.content).toMatch(/Latest|No Alita sequel news yet/);
      }
      expect(failedCycles()).toBeGreaterThanOrEqual(1);
      expect(harness.logsMatching(/ERROR cycle failed/)[0]).toMatch(b.failure);
      expect(harness.titles()).toEqual([]);
      // Waiting on the store never stopped the process: both commands above were acknowledged
      // within the fake's 3 s interaction window, as Discord requires. How long the loop stalled
      // is logged, not judged (a busy machine stalls it too).
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
      expect(await harness.bot.ctx.outbox.counts()).toEqual({ pending: 0, dead: 0 });
      const after = await harness.fake.sendCommand({ name: 'latest' }).reply();
      expect(after.embeds[0]?.title).toBe('Latest 3 Alita sequel news items');
      if (b.recovered) expect(harness.logsMatching(b.recovered).length).toBeGreaterThanOrEqual(1);
    }, 300_000);
  });

  describe('at the worst moments of a cycle (the real cycle, a recording Discord)', () => {
    it('down right after an announcement was queued, before its items were recorded as seen: announced once', async () => {
      const p = await poller();
      const b = backend();
      p.publish([sequel(3), sequel(2), sequel(1)]);
      const enqueue = p.ctx.outbox.enqueue.bind(p.ctx.outbox);
      p.ctx.outbox.enqueue = async (entries, now) => {
        const queued = await enqueue(entries, now);
        if (queued > 0) await b.begin(p.url);
        return queued;
      };
      const failure = p.endOutageAtFirstFailure(b);
      const first = await p.cycle();
      expect(String(await Promise.race([failure, sleep(0).then(() => 'no store operation failed')]))).toMatch(b.failure);
      expect(first.failed).toBe(1);
      expect(p.logs.filter((l) => / WARN  feed failed /.test(l)).length).toBe(1);
      // What was queued before the outage still went out in this cycle.
      expect(p.discord.channel).toEqual(titles(2, 3));

      // The feed is polled again (after the back-off its failure earned): nothing is announced twice.
      const state = await p.ctx.news.getFeedState(p.ctx.config.FEEDS![0]!);
      p.clock.now = new Date(Math.max(p.clock.now.getTime(), state?.nextAttemptAt ? Date.parse(state.nextAttemptAt) : 0) + MINUTE);
      const again = await p.cycle();
      expect(again).toMatchObject({ failed: 0, delivery: { sent: 0, retrying: 0, dead: 0 } });
      await p.cycle();
      expect(p.discord.posts.map((x) => x.title)).toEqual(titles(2, 3));
      expect(await p.ctx.news.seen((await p.ctx.news.archive()).map((i) => i.id))).toEqual([true, true, true]);
    }, 300_000);

    it('down right after Discord accepted a message, before the bot recorded it: the retry carries the same nonce, so one message', async () => {
      const p = await poller();
      const b = backend();
      p.publish([sequel(3), sequel(2), sequel(1)]);
      p.discord.onNextAccept(() => b.begin(p.url));
      const failure = p.endOutageAtFirstFailure(b);
      const first = await p.cycle();
      expect(String(await Promise.race([failure, sleep(0).then(() => 'no store operation failed')]))).toMatch(b.failure);
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
      expect(await p.ctx.outbox.counts()).toEqual({ pending: 0, dead: 0 });
    }, 300_000);
  });

  describe('on its own schedule (console mode, polling every second)', () => {
    it('down for several polls: it keeps answering, then catches up by itself, once', async () => {
      const b = backend();
      let items: TestItem[] = [sequel(1)];
      const server = await startHttpServer((_req, res) => void res.writeHead(200, { 'content-type': 'application/rss+xml' }).end(rss(items)));
      cleanups.push(() => server.close());
      const url = b.freshUrl();
      const logs: string[] = [];
      const logger = createLogger({ level: 'debug', write: (line) => logs.push(line) });
      const input = new PassThrough();
      const output = new PassThrough();
      let out = '';
      output.on('data', (chunk) => (out += String(chunk)));
      const config = loadBotConfig({ FEEDS: `${server.url}/feed.xml`, KEYV_URL: url, POLL_CRON: '* * * * * *', FETCH_TIMEOUT_MS: '30000' });
      const bot: RunningBot = await runBot({ config, keyv: await openKeyv(url, logger), logger, commands: allCommands, input, output });
      cleanups.push(async () => {
        input.end();
        await b.end(url).catch(() => undefined);
        await bot.stop();
      });
      const polls = () => logs.filter((l) => l.includes('poll finished')).length;
      await eventually('the first poll', () => polls() >= 1);
      const announced = () => [...out.matchAll(/📣[^\n]*\n┌─ (Alita 2 news number \d+)/g)].map((m) => m[1]);

      await b.begin(url);
      items = [sequel(3), sequel(2), sequel(1)];
      input.write('/latest\n/trailer\n');
      await eventually('answers to both commands', () => /unknown command \/trailer/.test(out), 90_000);
      if (b.readsFail ?? true) expect(out).toMatch(/Sorry, something went wrong while answering that/);
      else expect(out).toMatch(/Latest .*Alita sequel news/);
      // Down for several scheduled polls.
      const pollsBefore = polls();
      await sleep(5_000);
      expect(polls()).toBe(pollsBefore);
      expect(announced()).toEqual([]);
      // A write waits out the busy timeout before it fails, so the failure may be logged a little later.
      await eventually('a failure logged', () => logs.some((l) => / ERROR (cycle|command) failed /.test(l) && b.failure.test(l)));

      await b.end(url);
      await eventually('the news published during the outage', () => announced().length >= 2, 90_000);
      const caughtUp = polls();
      await eventually('three more polls', () => polls() >= caughtUp + 3, 90_000);
      expect(announced()).toEqual(titles(2, 3));
      input.write('/latest\n');
      await eventually('/latest after the outage', () => out.includes('Latest 3 Alita sequel news items'));
    }, 400_000);
  });
}
