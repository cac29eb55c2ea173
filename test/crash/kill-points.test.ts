// Regression tests for crashes at exact steps of a cycle (ALITA_TEST_KILL_AT, src/bot/crash-points.ts),
// on SQLite and on PostgreSQL: the bot process SIGKILLs itself there, a fresh one starts on the
// same database, and every on-topic item still reaches #news exactly once. Where a test looks
// into the store, it opens it as a restarted bot would (openStores).
import { expect, it, type TestContext } from 'vitest';
import type { NewsItem } from '../../src/engine/types.ts';
import { sequel } from '../support/bot-harness.ts';
import {
  botEnv,
  describeEachEngine,
  eventually,
  inspectStore,
  postedTitles,
  runUntilCrashPoint,
  startBotProcess,
  startBotWorld,
  waitForCycles,
  type BotWorld,
} from '../support/bot-process.ts';
import type { TestItem } from '../support/feeds.ts';

const title = (n: number) => `Alita 2 news number ${n}`;
const titles = (items: NewsItem[]) => items.map((item) => item.title);
/** The same story through a second feed: same title and date, another link. */
const mirrored = (n: number) => sequel(n, { link: `https://mirror.example.net/stories/${n}` });

describeEachEngine('crash at a named step', (engine) => {
  /** A world polling `feeds` into a fresh database; unless `settle` is false, one clean life polls them first (announcing nothing: BACKFILL=0). */
  async function setup(test: TestContext, feeds: Record<string, TestItem[]>, settle = true) {
    const w = await startBotWorld();
    // The test's own hook: tests here run concurrently, and the global one may attach to another.
    test.onTestFinished(() => w.close());
    for (const [name, items] of Object.entries(feeds)) w.feeds.set(name, items);
    const url = await engine().fresh(w);
    const env = botEnv({ fake: w.fake, feeds: Object.keys(feeds).map((name) => w.feeds.url(name)), databaseUrl: url });
    if (settle) {
      const first = startBotProcess(env, 'first');
      await waitForCycles(first, 1);
      // A graceful stop releases the lease, so the next life leads at once (on PostgreSQL too).
      expect(await first.signal('SIGTERM')).toEqual({ code: 0, signal: null });
    }
    return { w, url, env };
  }

  /** A clean life until #news holds `count` messages and two more cycles brought nothing else; then SIGTERM. */
  async function deliver(w: BotWorld, env: Record<string, string>, count: number): Promise<void> {
    const bot = startBotProcess(env, 'next');
    await eventually(() => postedTitles(w.fake).length >= count, 90_000, () => `${count} announcements\n${bot.logs()}`);
    await waitForCycles(bot, 2);
    expect(await bot.signal('SIGTERM')).toEqual({ code: 0, signal: null });
  }

  it.concurrent('a crash with a feed’s record transaction complete but not committed leaves nothing of it; the next run announces each item once', async (test) => {
    const { w, url, env } = await setup(test, { main: [sequel(1)] });
    const feed = w.feeds.url('main');
    const state = await inspectStore(url, (s) => s.news.getFeedState(feed));
    w.feeds.set('main', [sequel(3), sequel(2), sequel(1)]);
    // The first transaction of this life is main's record: seen and story marks, archive, outbox entries, feed state.
    await runUntilCrashPoint(env, 'before:commit:1');
    const left = await inspectStore(url, async (s) => ({ latest: titles(await s.news.latest({ limit: 10 })), outbox: await s.outbox.counts(), state: await s.news.getFeedState(feed) }));
    expect(left).toEqual({ latest: [title(1)], outbox: { pending: 0, dead: 0, retrying: 0, publishing: 0 }, state });

    await deliver(w, env, 2);
    expect(postedTitles(w.fake)).toEqual([title(2), title(3)]);
    expect(titles(await inspectStore(url, (s) => s.news.latest({ limit: 10 })))).toEqual([title(3), title(2), title(1)]);
  });

  it.concurrent('a crash between Discord accepting a message and the bot recording it: no second message', async (test) => {
    const { w, env } = await setup(test, { main: [sequel(1)] });
    w.feeds.set('main', [sequel(3), sequel(2), sequel(1)]);
    await runUntilCrashPoint(env, 'after:send:1');
    expect(postedTitles(w.fake)).toEqual([title(2)]);
    await deliver(w, env, 2);
    expect(postedTitles(w.fake)).toEqual([title(2), title(3)]);
    // The repeat carried the same nonce with enforce_nonce: Discord answered with the first message.
    const posts = w.fake.requests.filter((r) => r.method === 'POST' && r.path === `/channels/${w.newsId}/messages`);
    expect(posts).toHaveLength(3);
  });

  it.concurrent('a crash between Discord publishing a message and the bot recording it: published once, after the restart too', async (test) => {
    const w = await startBotWorld({ guilds: [{ name: 'Alita Army', channels: [{ name: 'news', type: 5 }, { name: 'general' }] }] });
    test.onTestFinished(() => w.close());
    w.feeds.set('main', [sequel(1)]);
    const url = await engine().fresh(w);
    const env = botEnv({ fake: w.fake, feeds: [w.feeds.url('main')], databaseUrl: url });
    const first = startBotProcess(env, 'first');
    await waitForCycles(first, 1);
    expect(await first.signal('SIGTERM')).toEqual({ code: 0, signal: null });
    w.feeds.set('main', [sequel(3), sequel(2), sequel(1)]);
    await runUntilCrashPoint(env, 'after:publish:1');
    const [firstPost] = w.fake.messages(w.newsId).map((m) => m.id);
    expect(w.fake.published(w.newsId)).toEqual([firstPost]);
    await deliver(w, env, 2);
    expect(postedTitles(w.fake)).toEqual([title(2), title(3)]);
    // The first publish was tried again, met 'already crossposted' (40033), and counted as done.
    expect(w.fake.published(w.newsId)).toEqual(w.fake.messages(w.newsId).map((m) => m.id));
    expect(await inspectStore(url, (s) => s.outbox.counts())).toEqual({ pending: 0, dead: 0, retrying: 0, publishing: 0 });
  });

  it.concurrent('a crash between Discord making a forum post and the bot recording it: the next life finds the post, makes no second', async (test) => {
    const w = await startBotWorld({ guilds: [{ name: 'Alita Army', channels: [{ name: 'news', type: 15, tags: ['News'] }, { name: 'general' }] }] });
    test.onTestFinished(() => w.close());
    w.feeds.set('main', [sequel(1)]);
    const url = await engine().fresh(w);
    const env = botEnv({ fake: w.fake, feeds: [w.feeds.url('main')], databaseUrl: url });
    const first = startBotProcess(env, 'first');
    await waitForCycles(first, 1);
    expect(await first.signal('SIGTERM')).toEqual({ code: 0, signal: null });
    w.feeds.set('main', [sequel(3), sequel(2), sequel(1)]);
    await runUntilCrashPoint(env, 'after:send:1');
    expect(w.fake.forumPosts(w.newsId).map((p) => p.name)).toEqual([title(2)]);
    const bot = startBotProcess(env, 'next');
    await eventually(() => w.fake.forumPosts(w.newsId).length >= 2, 90_000, () => bot.logs());
    await waitForCycles(bot, 2);
    expect(await bot.signal('SIGTERM')).toEqual({ code: 0, signal: null });
    expect(w.fake.forumPosts(w.newsId).map((p) => p.name)).toEqual([title(2), title(3)]);
    expect(await inspectStore(url, (s) => s.outbox.counts())).toEqual({ pending: 0, dead: 0, retrying: 0, publishing: 0 });
  });

  it.concurrent('a crash between Discord editing a story\'s message and the bot recording it: edited once, nothing posted twice', async (test) => {
    const { w, env, url } = await setup(test, { main: [sequel(1)], mirror: [] });
    w.feeds.set('main', [sequel(2), sequel(1)]);
    await deliver(w, env, 1);
    const [message] = w.fake.messages(w.newsId);
    w.feeds.set('mirror', [mirrored(2)]);
    await runUntilCrashPoint(env, 'after:edit:1');
    expect(w.fake.editCount(message!.id)).toBe(1);
    const bot = startBotProcess(env, 'next');
    await waitForCycles(bot, 2);
    expect(await bot.signal('SIGTERM')).toEqual({ code: 0, signal: null });
    expect(w.fake.editCount(message!.id)).toBe(1);
    expect(postedTitles(w.fake)).toEqual([title(2)]);
    expect(await inspectStore(url, (s) => s.outbox.edits.pending())).toEqual([]);
  });

  it.concurrent('a crash during a feed’s first poll, before it commits: the next run polls it as new (its backlog unannounced), then announces what follows', async (test) => {
    const { w, url, env } = await setup(test, { main: [sequel(2), sequel(1)] }, false);
    await runUntilCrashPoint(env, 'before:commit:1');
    expect(await inspectStore(url, (s) => s.news.getFeedState(w.feeds.url('main')))).toBeUndefined();

    const bot = startBotProcess(env, 'next');
    await waitForCycles(bot, 1);
    w.feeds.set('main', [sequel(3), sequel(2), sequel(1)]);
    await eventually(() => postedTitles(w.fake).length >= 1, 90_000, () => `an announcement\n${bot.logs()}`);
    await waitForCycles(bot, 2);
    expect(postedTitles(w.fake)).toEqual([title(3)]);
    expect(await bot.signal('SIGTERM')).toEqual({ code: 0, signal: null });
  });

  it.concurrent('a crash during a feed’s first poll, after its record: items published meanwhile are announced', async (test) => {
    const { w, env } = await setup(test, { main: [sequel(2), sequel(1)] }, false);
    await runUntilCrashPoint(env, 'after:record:1');
    w.feeds.set('main', [sequel(3), sequel(2), sequel(1)]);
    await deliver(w, env, 1);
    expect(postedTitles(w.fake)).toEqual([title(3)]);
  });

  it.concurrent('a crash after recording: the same story through another feed is not announced again', async (test) => {
    const { w, env } = await setup(test, { main: [sequel(1)], mirror: [] });
    w.feeds.set('main', [sequel(2), sequel(1)]);
    // The mirror is unchanged (no record of its own this life): the first record is main's.
    await runUntilCrashPoint(env, 'after:record:1');
    expect(postedTitles(w.fake)).toEqual([]);
    w.feeds.set('mirror', [mirrored(2)]);
    await deliver(w, env, 1);
    expect(postedTitles(w.fake)).toEqual([title(2)]);
  });
});
