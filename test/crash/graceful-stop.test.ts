// SIGTERM and SIGINT while a poll cycle is stuck on a slow feed: the bot abandons the cycle (it
// waits a few seconds for it, and main.ts exits within 9 s whatever happens), releases the lease,
// closes the Discord client and the SQLite database, and exits 0 without waiting for the feed.
// The feed that answered was recorded in its own transaction, its announcement queued with it,
// so the next run on the same file delivers it, once. The test's deadline is a generous one, far
// below the feed's 10-minute hang.
import { afterEach, describe, expect, it } from 'vitest';
import { sequel } from '../support/bot-harness.ts';
import { botEnv, countLogs, eventually, postedTitles, startBotProcess, startBotWorld, waitForCycles, type BotExit, type BotWorld } from '../support/bot-process.ts';

let world: BotWorld | undefined;

afterEach(async () => {
  await world?.close();
  world = undefined;
});

const title = (n: number) => `Alita 2 news number ${n}`;

async function exitWithin(exited: Promise<BotExit>, ms: number): Promise<BotExit | 'still running'> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<'still running'>((resolve) => (timer = setTimeout(() => resolve('still running'), ms)));
  try {
    return await Promise.race([exited, late]);
  } finally {
    clearTimeout(timer);
  }
}

describe('graceful stop', () => {
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    it(`${signal} during a cycle stuck on a slow feed: exit 0 without waiting for it, client and store closed, the next run delivers once`, async () => {
      const w = (world = await startBotWorld());
      w.feeds.set('main', [sequel(1)]);
      w.feeds.set('slow', [sequel(50, { link: 'https://slow.example.org/50' })]);
      // The second cycle: main has news (recorded at once), and the slow feed hangs far longer than
      // the stop window (and than its own fetch timeout), keeping the cycle from reaching delivery.
      // Set by request number: polled every second, the bot may start that cycle before this test
      // sees the first one end.
      w.feeds.set('main', [sequel(2), sequel(1)], 2);
      w.feeds.slow('slow', 600_000, 2);
      const env = botEnv({ fake: w.fake, feeds: [w.feeds.url('main'), w.feeds.url('slow')], databaseUrl: w.sqliteUrl(), extra: { FETCH_TIMEOUT_MS: '120000' } });
      const bot = startBotProcess(env, 'first');
      await waitForCycles(bot, 1);
      await eventually(() => w.feeds.hits('slow') >= 2 && w.feeds.hits('main') >= 2, 90_000, () => 'a cycle stuck on the slow feed');
      await eventually(() => /feed polled feed=\S+main\.xml.* new=1/.test(bot.logs()), 90_000, () => `main recorded\n${bot.logs()}`);
      expect(postedTitles(w.fake)).toEqual([]);

      bot.child.kill(signal);
      const exit = await exitWithin(bot.exited, 90_000);
      expect(exit, bot.logs()).toEqual({ code: 0, signal: null });
      expect(bot.logs()).toContain(`stopping signal=${signal}`);
      expect(bot.logs()).toMatch(/abandoning the poll cycle in flight/);
      expect(bot.logs()).toMatch(/leader lease released/);
      expect(bot.logs()).toMatch(/stopped: Discord client closed, store closed/);
      // The client closed its gateway session: no bot is connected to the fake any more.
      expect(w.fake.dispatch('TYPING_START', {})).toBe(0);

      // The store was closed cleanly: a new process opens it, takes the lease at once and
      // delivers what the abandoned cycle had queued, once.
      w.feeds.slow('slow', 0);
      const next = startBotProcess(env, 'next');
      await eventually(() => postedTitles(w.fake).length >= 1, 90_000, () => `the abandoned announcement\n${next.logs()}`);
      await waitForCycles(next, 2);
      expect(postedTitles(w.fake)).toEqual([title(2)]);
      expect(countLogs(next, /leader lease acquired/)).toBe(1);

      // Stopped between cycles, it has nothing to abandon.
      const calm = await exitWithin(next.signal(signal), 90_000);
      expect(calm).toEqual({ code: 0, signal: null });
      expect(next.logs()).not.toMatch(/abandoning/);
      expect(next.logs()).toMatch(/stopped: Discord client closed, store closed/);
    }, 400_000);
  }
});
