/**
 * GET /healthz and GET /metrics (HEALTH_PORT), asked over real HTTP of a running bot: in console
 * mode with its own SQLite store and an injected clock, and logged in to the fake Discord.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import { allCommands } from '../src/app/commands.ts';
import { runBot, type RunningBot } from '../src/app/run.ts';
import { ConfigError, loadBotConfig } from '../src/config.ts';
import { checkHealth, MIN_STALE_AFTER_MS, staleAfterFor, type HealthSources } from '../src/health/check.ts';
import { silentLogger } from '../src/log.ts';
import { openStores } from '../src/store/sql/index.ts';
import { sequel, startBotHarness, type BotHarness } from './support/bot-harness.ts';
import { rss, type TestItem } from './support/feeds.ts';
import { startHttpServer, type TestServer } from './support/http-server.ts';

const MINUTE = 60_000;
let site: TestServer | undefined;
let bot: RunningBot | undefined;
let harness: BotHarness | undefined;
let dir: string | undefined;
afterEach(async () => {
  await bot?.stop().catch(() => undefined);
  await harness?.close();
  await site?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
  [bot, harness, site, dir] = [undefined, undefined, undefined, undefined];
});

async function get(url: string): Promise<{ status: number; type: string; body: string }> {
  const response = await fetch(url);
  return { status: response.status, type: response.headers.get('content-type') ?? '', body: await response.text() };
}

/** Prometheus text format, line by line: `# HELP`/`# TYPE` lines and `name{labels} value` samples. Throws on anything else. */
function parseMetrics(text: string): Map<string, number> {
  const samples = new Map<string, number>();
  for (const line of text.split('\n')) {
    if (line === '') continue;
    if (/^# (HELP|TYPE) [a-zA-Z_:][a-zA-Z0-9_:]* .+$/.test(line)) continue;
    const sample = /^([a-zA-Z_:][a-zA-Z0-9_:]*(?:\{(?:[a-zA-Z_][a-zA-Z0-9_]*="(?:[^"\\]|\\.)*",?)*\})?) (-?(?:\d+(?:\.\d+)?(?:e[+-]?\d+)?|NaN|\+Inf|-Inf))(?: \d+)?$/i.exec(line);
    if (!sample) throw new Error(`not Prometheus text format: ${line}`);
    // Prometheus reads NaN and Inf in any case (prom-client writes "Nan").
    samples.set(sample[1]!, /^nan$/i.test(sample[2]!) ? NaN : Number(sample[2]!.replace(/inf$/i, 'Infinity')));
  }
  return samples;
}

/** A console-mode bot on its own SQLite file, one feed on a local server, HEALTH_PORT=0, and a clock the test moves. */
async function startConsoleBot() {
  let items: TestItem[] = [sequel(1)];
  let answer = 200;
  site = await startHttpServer((_req, res) => (answer === 200 ? res.writeHead(200, { 'content-type': 'application/rss+xml' }).end(rss(items)) : res.writeHead(answer).end()));
  dir = mkdtempSync(join(tmpdir(), 'alita-health-'));
  const config = loadBotConfig({ FEEDS: `${site.url}/feed.xml`, DATABASE_URL: `sqlite://${join(dir, 'bot.sqlite')}`, POLL_CRON: '0 0 1 1 *', HEALTH_PORT: '0' });
  let now = Date.parse('2024-06-01T12:00:00Z');
  const stores = await openStores(config.DATABASE_URL, silentLogger);
  // POLL_CRON never fires here (polls run when the test says): the threshold is the one a minute cron gets.
  bot = await runBot({ config, stores, logger: silentLogger, commands: allCommands, input: new PassThrough(), output: new PassThrough(), clock: () => new Date(now), healthStaleAfterMs: staleAfterFor('* * * * *') });
  await bot.scheduler.runNow();
  const base = bot.health!.server.url;
  return {
    stores,
    healthz: async () => {
      const { status, type, body } = await get(`${base}/healthz`);
      expect(type).toBe('application/json; charset=utf-8');
      return { status, report: JSON.parse(body) as Record<string, unknown> & { reasons: string[] } };
    },
    metrics: async () => {
      const { status, type, body } = await get(`${base}/metrics`);
      expect(status).toBe(200);
      expect(type).toMatch(/^text\/plain; version=0\.0\.4/);
      return parseMetrics(body);
    },
    set: (next: TestItem[]) => void (items = next),
    fail: (code: number) => void (answer = code),
    later: (ms: number) => void (now += ms),
    poll: () => bot!.scheduler.runNow(),
  };
}

describe('GET /healthz', () => {
  it('answers 200 while the store answers and polls are recent, 503 with the reason once the last poll is stale', async () => {
    const b = await startConsoleBot();
    const healthy = await b.healthz();
    expect(healthy.status).toBe(200);
    expect(healthy.report).toEqual({ ok: true, store: 'ok', discord: 'console mode', leader: true, lastPoll: '2024-06-01T12:00:00.000Z', reasons: [] });

    // Within three poll intervals or ten minutes, whichever is longer, all is well.
    b.later(MIN_STALE_AFTER_MS - MINUTE);
    expect((await b.healthz()).status).toBe(200);
    b.later(2 * MINUTE);
    const stale = await b.healthz();
    expect(stale.status).toBe(503);
    expect(stale.report).toMatchObject({ ok: false, store: 'ok', lastPoll: '2024-06-01T12:00:00.000Z' });
    expect(stale.report.reasons).toEqual(['last poll finished 11 min ago (more than 10 min)']);

    // A poll that finishes makes it healthy again, even when its feed failed: the bot polls.
    b.fail(500);
    await b.poll();
    expect((await b.healthz()).status).toBe(200);
  });

  it('answers 503 naming the store when the store does not answer, and /metrics still answers with alita_store_up 0', async () => {
    const b = await startConsoleBot();
    expect((await b.healthz()).status).toBe(200);
    expect((await b.metrics()).get('alita_store_up')).toBe(1);
    await b.stores.database.close();
    const down = await b.healthz();
    expect(down.status).toBe(503);
    expect(down.report.ok).toBe(false);
    expect(down.report.reasons).toHaveLength(1);
    expect(down.report.reasons[0]).toMatch(/^store not answering: .+/);
    const metrics = await b.metrics();
    expect(metrics.get('alita_store_up')).toBe(0);
    expect(metrics.has('alita_outbox_entries{state="pending"}')).toBe(false);
  });

  it('says when Discord is not connected, and is healthy again once the gateway is back', async () => {
    harness = await startBotHarness({ env: () => ({ HEALTH_PORT: '0' }) });
    const url = `${harness.bot.health!.server.url}/healthz`;
    const report = async () => {
      const { status, body } = await get(url);
      return { status, ...(JSON.parse(body) as { reasons: string[]; discord: string; store: string }) };
    };
    expect(await report()).toMatchObject({ status: 200, discord: 'connected', reasons: [] });
    await harness.fake.setOutage('refuse');
    await expect.poll(report, { timeout: 90_000, interval: 100 }).toMatchObject({ status: 503, discord: 'not connected', store: 'ok', reasons: ['Discord: the gateway is not connected'] });
    await harness.fake.setOutage(null);
    await expect.poll(report, { timeout: 90_000, interval: 100 }).toMatchObject({ status: 200, discord: 'connected', reasons: [] });
  });
});

describe('GET /metrics', () => {
  it('is Prometheus text whose counters move with each poll: polls, items judged and announced, failures by reason, delivery latency', async () => {
    const b = await startConsoleBot();
    const first = await b.metrics();
    expect(first.get('alita_polls_total')).toBe(1);
    expect(first.get('alita_items_judged_total')).toBe(1);
    expect(first.get('alita_items_announced_total')).toBe(0);
    expect(first.get('alita_leader')).toBe(1);
    expect(first.get('alita_outbox_entries{state="pending"}')).toBe(0);
    expect(first.get('alita_outbox_entries{state="retrying"}')).toBe(0);
    expect(first.get('alita_outbox_entries{state="dead"}')).toBe(0);
    expect(first.get('alita_last_poll_timestamp_seconds')).toBe(Date.parse('2024-06-01T12:00:00Z') / 1000);
    expect(first.has('nodejs_eventloop_lag_seconds')).toBe(true);
    expect(first.has('alita_discord_connected')).toBe(false);

    b.set([sequel(2), sequel(1)]);
    b.later(MINUTE);
    await b.poll();
    const second = await b.metrics();
    expect(second.get('alita_polls_total')).toBe(2);
    expect(second.get('alita_items_judged_total')).toBe(3);
    expect(second.get('alita_items_announced_total')).toBe(1);
    expect(second.get('alita_delivery_latency_seconds_count')).toBe(1);
    expect(second.get('alita_delivery_latency_seconds_bucket{le="+Inf"}')).toBe(1);

    b.fail(500);
    b.later(MINUTE);
    await b.poll();
    const third = await b.metrics();
    expect(third.get('alita_polls_total')).toBe(3);
    expect(third.get('alita_feed_failures_total{reason="http-status"}')).toBe(1);
  });

  it('has one registry per bot: two bots in one process count their own polls', async () => {
    const b = await startConsoleBot();
    const first = bot!;
    const otherDir = mkdtempSync(join(tmpdir(), 'alita-health-'));
    const config = loadBotConfig({ FEEDS: 'data/sample-feeds/alita-news.xml', DATABASE_URL: `sqlite://${join(otherDir, 'bot.sqlite')}`, POLL_CRON: '0 0 1 1 *', HEALTH_PORT: '0' });
    const other = await runBot({ config, stores: await openStores(config.DATABASE_URL, silentLogger), logger: silentLogger, commands: allCommands, input: new PassThrough(), output: new PassThrough() });
    try {
      await other.scheduler.runNow();
      await other.scheduler.runNow();
      expect(parseMetrics((await get(`${other.health!.server.url}/metrics`)).body).get('alita_polls_total')).toBe(2);
      expect((await b.metrics()).get('alita_polls_total')).toBe(1);
      expect(first.health!.server.port).not.toBe(other.health!.server.port);
    } finally {
      await other.stop();
      rmSync(otherDir, { recursive: true, force: true });
    }
  });
});

describe('HEALTH_PORT and HEALTH_HOST', () => {
  it('are off by default, validated, and a port in use stops the bot with one line naming HEALTH_PORT', async () => {
    expect(loadBotConfig({})).toMatchObject({ HEALTH_HOST: '127.0.0.1' });
    expect(loadBotConfig({}).HEALTH_PORT).toBeUndefined();
    expect(loadBotConfig({ HEALTH_PORT: '9187', HEALTH_HOST: '0.0.0.0' })).toMatchObject({ HEALTH_PORT: 9187, HEALTH_HOST: '0.0.0.0' });
    expect(() => loadBotConfig({ HEALTH_PORT: '70000' })).toThrow(ConfigError);
    expect(() => loadBotConfig({ HEALTH_PORT: 'healthz' })).toThrow(/^HEALTH_PORT: /);
    expect(() => loadBotConfig({ HEALTH_HOST: 'http://0.0.0.0' })).toThrow(/^HEALTH_HOST: must be an IP address/);

    const taken = createServer();
    await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', () => resolve()));
    const { port } = taken.address() as AddressInfo;
    dir = mkdtempSync(join(tmpdir(), 'alita-health-'));
    const config = loadBotConfig({ FEEDS: 'data/sample-feeds/alita-news.xml', DATABASE_URL: `sqlite://${join(dir, 'bot.sqlite')}`, POLL_CRON: '0 0 1 1 *', HEALTH_PORT: String(port) });
    const stores = await openStores(config.DATABASE_URL, silentLogger);
    try {
      await expect(runBot({ config, stores, logger: silentLogger, commands: allCommands, input: new PassThrough(), output: new PassThrough() })).rejects.toThrow(
        `HEALTH_PORT: port ${port} on 127.0.0.1 (HEALTH_HOST) is in use by another program`,
      );
    } finally {
      await stores.close();
      await new Promise<void>((resolve) => taken.close(() => resolve()));
    }
  });

  it('calls a poll stale after three poll intervals, never sooner than ten minutes', () => {
    expect(staleAfterFor('* * * * *')).toBe(10 * MINUTE);
    expect(staleAfterFor('*/15 * * * *')).toBe(45 * MINUTE);
    // The longest gap counts: polled at 9 and 10 each day, the night is 23 hours.
    expect(staleAfterFor('0 9,10 * * *')).toBe(3 * 23 * 60 * MINUTE);
  });
});

describe('checkHealth', () => {
  const at = (minutes: number) => new Date(Date.parse('2024-06-01T12:00:00Z') + minutes * MINUTE);
  const sources = (over: Partial<HealthSources>): HealthSources => ({
    now: () => at(0),
    probeStore: async () => undefined,
    isLeader: () => true,
    lastPollAt: () => undefined,
    leadingSince: () => at(0),
    staleAfterMs: 10 * MINUTE,
    ...over,
  });

  it('gives a leader that has not finished its first poll a grace period, counted from when it began leading', async () => {
    expect(await checkHealth(sources({ now: () => at(9) }))).toMatchObject({ ok: true, lastPoll: null });
    expect((await checkHealth(sources({ now: () => at(11) }))).reasons).toEqual(['no poll finished in the 11 min since this instance began polling (more than 10 min)']);
    // Leading again after a while: its old last poll does not count against it.
    expect(await checkHealth(sources({ now: () => at(65), lastPollAt: () => at(0), leadingSince: () => at(60) }))).toMatchObject({ ok: true });
  });

  it('does not hold an instance that does not lead to the poll: another one polls', async () => {
    expect(await checkHealth(sources({ now: () => at(600), isLeader: () => false, lastPollAt: () => at(0) }))).toMatchObject({ ok: true, leader: false });
  });

  it('takes a store that does not answer in time as down', async () => {
    const report = await checkHealth(sources({ probeStore: () => new Promise(() => undefined), storeTimeoutMs: 100 }));
    expect(report).toMatchObject({ ok: false, store: 'not answering: no answer within 100 ms', reasons: ['store not answering: no answer within 100 ms'] });
  });
});
