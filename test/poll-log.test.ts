/**
 * `poll finished` is a debug line when a poll found nothing and no feed failed in it (a minute
 * poll otherwise writes 1,440 lines a day), and an info line when something was announced or a
 * feed failed. The whole bot (runBot, console mode) with its real logger.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import { allCommands } from '../src/app/commands.ts';
import { runBot, type RunningBot } from '../src/app/run.ts';
import { loadBotConfig } from '../src/config.ts';
import { createLogger, type LogFormat } from '../src/log.ts';
import { openStores } from '../src/store/sql/index.ts';
import { sequel } from './support/bot-harness.ts';
import { rss, type TestItem } from './support/feeds.ts';
import { startHttpServer, type TestServer } from './support/http-server.ts';

const MINUTE = 60_000;
let site: TestServer | undefined;
let bot: RunningBot | undefined;
let dir: string | undefined;
afterEach(async () => {
  await bot?.stop();
  await site?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
  [bot, site, dir] = [undefined, undefined, undefined];
});

async function start(format: LogFormat) {
  let items: TestItem[] = [sequel(1)];
  let status = 200;
  site = await startHttpServer((_req, res) => (status === 200 ? res.writeHead(200, { 'content-type': 'application/rss+xml' }).end(rss(items)) : res.writeHead(status).end()));
  dir = mkdtempSync(join(tmpdir(), 'alita-poll-log-'));
  const config = loadBotConfig({ FEEDS: `${site.url}/feed.xml`, DATABASE_URL: `sqlite://${join(dir, 'bot.sqlite')}`, POLL_CRON: '0 0 1 1 *', LOG_FORMAT: format });
  const lines: string[] = [];
  const logger = createLogger({ level: 'debug', format, write: (line) => lines.push(line) });
  let now = Date.parse('2024-06-01T12:00:00Z');
  const stores = await openStores(config.DATABASE_URL, logger);
  bot = await runBot({ config, stores, logger, commands: allCommands, input: new PassThrough(), output: new PassThrough(), clock: () => new Date(now) });
  await bot.scheduler.runNow();
  return {
    lines,
    set: (next: TestItem[]) => void (items = next),
    answer: (code: number) => void (status = code),
    later: (ms: number) => void (now += ms),
    /** The `poll finished` line of one more poll. */
    async poll(): Promise<string> {
      const before = lines.length;
      await bot!.scheduler.runNow();
      const finished = lines.slice(before).filter((line) => line.includes('poll finished'));
      expect(finished).toHaveLength(1);
      return finished[0]!;
    },
  };
}

describe('the poll finished line', () => {
  it('is debug when nothing happened, info when something was announced or a feed failed in that poll', async () => {
    const b = await start('text');
    // The first poll records what the feed holds and announces none of it (BACKFILL=0).
    expect(b.lines.find((line) => line.includes('poll finished'))).toMatch(/^\S+ DEBUG poll finished feeds=1 failed=0 new=0 /);
    b.later(MINUTE);
    expect(await b.poll()).toMatch(/^\S+ DEBUG poll finished feeds=1 failed=0 new=0 /);

    b.set([sequel(2), sequel(1)]);
    b.later(MINUTE);
    expect(await b.poll()).toMatch(/^\S+ INFO  poll finished feeds=1 failed=0 new=1 sent=1 /);

    b.answer(500);
    b.later(MINUTE);
    expect(await b.poll()).toMatch(/^\S+ INFO  poll finished feeds=1 failed=1 new=0 /);
    // Backing off: not fetched, still failing, and nothing new to say.
    b.later(10_000);
    expect(await b.poll()).toMatch(/^\S+ DEBUG poll finished feeds=1 failed=1 new=0 /);
  });

  it('is one JSON object per line with LOG_FORMAT=json, like every other line', async () => {
    const b = await start('json');
    b.set([sequel(2), sequel(1)]);
    b.later(MINUTE);
    const line = JSON.parse(await b.poll()) as Record<string, unknown>;
    expect(line).toMatchObject({ level: 'info', msg: 'poll finished', feeds: 1, failed: 0, new: 1, sent: 1 });
    expect(typeof line.time).toBe('string');
    for (const each of b.lines) expect(() => JSON.parse(each), each).not.toThrow();
  });
});
