// Regression tests for crashes at exact steps of a cycle (ALITA_TEST_KILL_AT, src/bot/crash-points.ts):
// the bot process SIGKILLs itself there, a fresh one starts on the same SQLite file, and every
// on-topic item still reaches #news exactly once.
import { afterEach, describe, expect, it } from 'vitest';
import { silentLogger } from '../../src/log.ts';
import { NewsStore } from '../../src/store/news-store.ts';
import { openKeyv } from '../../src/store/open.ts';
import { sequel } from '../support/bot-harness.ts';
import { botEnv, postedTitles, runUntilCrashPoint, startBotProcess, startBotWorld, waitForCycles, type BotWorld, eventually } from '../support/bot-process.ts';

let world: BotWorld | undefined;

afterEach(async () => {
  await world?.close();
  world = undefined;
});

const title = (n: number) => `Alita 2 news number ${n}`;
/** The same story through a second feed: same title and date, another link. */
const mirrored = (n: number) => sequel(n, { link: `https://mirror.example.net/stories/${n}` });

describe('crash at a named step', () => {
  it('a crash during a feed’s first poll: items published afterwards are still announced', async () => {
    const w = (world = await startBotWorld());
    w.feeds.set('main', [sequel(2), sequel(1)]);
    const env = botEnv({ fake: w.fake, feeds: [w.feeds.url('main')], keyvUrl: w.sqliteUrl() });
    // The first poll marked the feed's items seen, then died before recording the feed as polled.
    await runUntilCrashPoint(env, 'after:markSeen:1');
    w.feeds.set('main', [sequel(3), sequel(2), sequel(1)]);
    const bot = startBotProcess(env);
    await eventually(() => postedTitles(w.fake).length >= 1, 90_000, () => `an announcement\n${bot.logs()}`);
    await waitForCycles(bot, 2);
    expect(postedTitles(w.fake)).toEqual([title(3)]);
    expect(await bot.signal('SIGTERM')).toEqual({ code: 0, signal: null });
  });

  it('a crash after marking items seen: the same story through another feed is not announced again', async () => {
    const w = (world = await startBotWorld());
    w.feeds.set('main', [sequel(1)]);
    w.feeds.set('mirror', []);
    const env = botEnv({ fake: w.fake, feeds: [w.feeds.url('main'), w.feeds.url('mirror')], keyvUrl: w.sqliteUrl() });
    const first = startBotProcess(env);
    await waitForCycles(first, 1);
    await first.kill();

    w.feeds.set('main', [sequel(2), sequel(1)]);
    await runUntilCrashPoint(env, 'after:markSeen:1');
    w.feeds.set('mirror', [mirrored(2)]);
    const bot = startBotProcess(env);
    await eventually(() => postedTitles(w.fake).length >= 1, 90_000, () => `an announcement\n${bot.logs()}`);
    await waitForCycles(bot, 3);
    expect(postedTitles(w.fake)).toEqual([title(2)]);
    expect(await bot.signal('SIGTERM')).toEqual({ code: 0, signal: null });
  });

  it('a crash after the story marks, before the seen marks: announced once, and still in the archive', async () => {
    const w = (world = await startBotWorld());
    w.feeds.set('main', [sequel(1)]);
    const env = botEnv({ fake: w.fake, feeds: [w.feeds.url('main')], keyvUrl: w.sqliteUrl() });
    const first = startBotProcess(env);
    await waitForCycles(first, 1);
    await first.kill();

    w.feeds.set('main', [sequel(2), sequel(1)]);
    await runUntilCrashPoint(env, 'after:storyMarks:1');
    // The next poll finds item 2 unseen but already under its story mark: its own mark, not another story.
    const bot = startBotProcess(env);
    await eventually(() => postedTitles(w.fake).length >= 1, 90_000, () => `an announcement\n${bot.logs()}`);
    await waitForCycles(bot, 2);
    expect(postedTitles(w.fake)).toEqual([title(2)]);
    expect(await bot.signal('SIGTERM')).toEqual({ code: 0, signal: null });
    const keyv = await openKeyv(w.sqliteUrl(), silentLogger);
    const archived = (await new NewsStore(keyv).archive()).map((item) => item.title);
    await keyv.disconnect();
    expect(archived).toEqual([title(2), title(1)]);
  });

  it('a crash between Discord accepting a message and the bot recording it: no second message', async () => {
    const w = (world = await startBotWorld());
    w.feeds.set('main', [sequel(1)]);
    const env = botEnv({ fake: w.fake, feeds: [w.feeds.url('main')], keyvUrl: w.sqliteUrl() });
    const first = startBotProcess(env);
    await waitForCycles(first, 1);
    await first.kill();

    w.feeds.set('main', [sequel(3), sequel(2), sequel(1)]);
    await runUntilCrashPoint(env, 'after:send:1');
    expect(postedTitles(w.fake)).toEqual([title(2)]);
    const bot = startBotProcess(env);
    await eventually(() => postedTitles(w.fake).length >= 2, 90_000, () => `two announcements\n${bot.logs()}`);
    await waitForCycles(bot, 2);
    expect(postedTitles(w.fake)).toEqual([title(2), title(3)]);
    // The repeat carried the same nonce with enforce_nonce: Discord answered with the first message.
    const posts = w.fake.requests.filter((r) => r.method === 'POST' && r.path === `/channels/${w.newsId}/messages`);
    expect(posts).toHaveLength(3);
    expect(await bot.signal('SIGTERM')).toEqual({ code: 0, signal: null });
  });
});
