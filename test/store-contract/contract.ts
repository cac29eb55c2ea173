/**
 * The store contract: everything the bot keeps, through the real classes, written once and run
 * against every backend KEYV_URL accepts (sqlite.test.ts, redis.test.ts). A backend passes when
 * the bot cannot tell it from the others.
 */
import type Keyv from 'keyv';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { formatAnnouncement } from '../../src/engine/format.ts';
import { pollFeed, type PollDeps } from '../../src/engine/poll.ts';
import { loadTopic } from '../../src/engine/topic.ts';
import type { NewsItem } from '../../src/engine/types.ts';
import { ARCHIVE_LIMIT, NewsStore, RECENT_LIMIT, type FeedState, type StoryMark } from '../../src/store/news-store.ts';
import { DEAD_LETTER_LIMIT, Outbox, type NewEntry } from '../../src/store/outbox.ts';
import { QuoteStore, readQuotesFile, type Quote } from '../../src/store/quotes.ts';
import { SettingsStore, type GuildSettings } from '../../src/store/settings.ts';
import { rss, type TestItem } from '../support/feeds.ts';
import { startHttpServer, type TestServer } from '../support/http-server.ts';

export interface StoreBackend {
  /**
   * Opens the store under test. Every call within one test reaches the same data (file or
   * server); the same namespace label means the same namespace.
   */
  open(namespace?: string): Promise<Keyv>;
  /** Closes what open() returned and removes this test's data. */
  cleanup(): Promise<void>;
}

const topic = loadTopic();
const NOW = new Date('2024-03-01T12:00:00Z');

/** Ids as identity.ts makes them, plus the shapes that trip up key-value stores. */
const ODD_IDS = [
  'https://news.example.com/alita-2-sequel-news',
  'guid:tag:example.com,2024:alita/2',
  'title:Ñandú «Alita: Ángel de combate» 2 — 🎬 “continuação”',
  'with spaces, "quotes", * ? [glob] chars and a trailing colon:',
  `https://news.example.com/${'long-path-'.repeat(200)}`,
];

function item(n: number, over: Partial<NewsItem> = {}): NewsItem {
  return {
    id: `https://news.example.com/alita-2-${n}`,
    feed: 'https://news.example.com/feed.xml',
    source: 'News Example',
    title: `Alita 2 news number ${n}`,
    link: `https://news.example.com/alita-2-${n}`,
    summary: `Update ${n} on the Alita: Battle Angel sequel.`,
    published: new Date(Date.UTC(2024, 1, 1, 0, n)).toISOString(),
    ...over,
  };
}

function entry(channelId: string, n: number, over: Partial<NewEntry> = {}): NewEntry {
  const news = item(n);
  return { channelId, itemId: news.id, title: news.title, body: formatAnnouncement(news), batch: '2024-03-01T12:00:00.000Z', at: news.published, ...over };
}

const quote = (id: string, speaker = 'Rosa Salazar'): Quote => ({ id, speaker, date: '2024', text: `I would play Alita again (${id}).`, source: { title: 'Interview', url: `https://example.com/${id}` } });

const guild = (guildId: string, channelId: string, roleId?: string): GuildSettings => ({ guildId, channelId, ...(roleId ? { roleId } : {}), updatedAt: NOW.toISOString(), updatedBy: '100000000000000001' });

export function storeContract(makeBackend: () => Promise<StoreBackend>): void {
  let backend: StoreBackend;
  let keyv: Keyv;
  beforeEach(async () => {
    backend = await makeBackend();
    keyv = await backend.open();
  });
  afterEach(async () => {
    await backend.cleanup();
  });

  describe('NewsStore', () => {
    it('feed state: none for an unknown feed; what is set reads back whole and replaces the earlier state', async () => {
      const news = new NewsStore(keyv);
      expect(await news.getFeedState('https://unknown.example.com/feed')).toBeUndefined();
      const first: FeedState = { validators: { etag: 'W/"abc"', lastModified: 'Fri, 01 Mar 2024 12:00:00 GMT' }, initialized: true, lastSuccess: NOW.toISOString(), lastAttempt: NOW.toISOString(), consecutiveFailures: 0 };
      await news.setFeedState(ODD_IDS[0]!, first);
      expect(await news.getFeedState(ODD_IDS[0]!)).toEqual(first);
      const failing: FeedState = { ...first, consecutiveFailures: 3, lastError: 'timed out after 15 s' };
      await news.setFeedState(ODD_IDS[0]!, failing);
      expect(await news.getFeedState(ODD_IDS[0]!)).toEqual(failing);
      // Many at once (a cycle's read): one answer per feed, in the order asked, none for unknown ones.
      await news.setFeedState(ODD_IDS[1]!, first);
      expect(await news.getFeedStates([ODD_IDS[1]!, 'https://unknown.example.com/feed', ODD_IDS[0]!])).toEqual([first, undefined, failing]);
      expect(await news.getFeedStates([])).toEqual([]);
    });

    it('seen: one answer per id, in the order asked, for ids of any shape', async () => {
      const news = new NewsStore(keyv);
      expect(await news.seen([])).toEqual([]);
      expect(await news.seen(ODD_IDS)).toEqual(ODD_IDS.map(() => false));
      await news.markSeen([]);
      await news.markSeen(ODD_IDS.filter((_, i) => i % 2 === 0).map((id) => ({ id, firstSeen: NOW.toISOString(), relevant: id.includes('alita') })));
      expect(await news.seen([...ODD_IDS].reverse())).toEqual([true, false, true, false, true]);
      expect(await news.seen([ODD_IDS[1]!, ODD_IDS[0]!, ODD_IDS[0]!])).toEqual([false, true, true]);
    });

    it('story marks: empty for unknown titles, per title in the order asked', async () => {
      const news = new NewsStore(keyv);
      expect(await news.storyMarks([])).toEqual([]);
      expect(await news.storyMarks(['alita 2 news', 'other'])).toEqual([[], []]);
      const a: StoryMark[] = [{ id: ODD_IDS[0]!, at: '2024-02-01T00:00:00.000Z' }];
      const b: StoryMark[] = [{ id: ODD_IDS[2]!, at: '2024-02-02T00:00:00.000Z' }, { id: ODD_IDS[3]!, at: '2024-02-03T00:00:00.000Z' }];
      await news.setStoryMarks([{ titleKey: 'alita 2 news', marks: a }, { titleKey: 'ñandú 🎬', marks: b }]);
      expect(await news.storyMarks(['ñandú 🎬', 'missing', 'alita 2 news'])).toEqual([b, [], a]);
    });

    it('archive: newest first, an item once even when added again, every field kept', async () => {
      const news = new NewsStore(keyv);
      const byDate = (i: NewsItem) => i.published ?? '';
      expect(await news.archive()).toEqual([]);
      await news.addToArchive([], byDate);
      expect(await news.archive()).toEqual([]);
      const rich = item(2, { fullText: 'Full text: “Alita 2” ✨', author: 'Ana Núñez', image: 'https://news.example.com/a.jpg', guid: 'tag:2' });
      await news.addToArchive([item(1), item(3)], byDate);
      await news.addToArchive([rich], byDate);
      expect(await news.archive()).toEqual([item(3), rich, item(1)]);
      const edited = item(1, { title: 'Alita 2 news number 1 (updated)', published: '2024-02-02T00:00:00.000Z' });
      await news.addToArchive([edited], byDate);
      expect((await news.archive()).map((i) => i.title)).toEqual(['Alita 2 news number 1 (updated)', 'Alita 2 news number 3', 'Alita 2 news number 2']);
    });

    it(`archive: holds the newest ${ARCHIVE_LIMIT} items, oldest dropped; /latest reads the newest ${RECENT_LIMIT}`, async () => {
      const news = new NewsStore(keyv);
      const total = ARCHIVE_LIMIT + 5;
      const many = Array.from({ length: total }, (_, n) => item(n, { published: new Date(Date.UTC(2020, 0, 1) + n * 60_000).toISOString() }));
      for (let start = 0; start < total; start += 2_500) await news.addToArchive(many.slice(start, start + 2_500), (i) => i.published!);
      expect(await news.archivedCount()).toBe(ARCHIVE_LIMIT);
      const recent = await news.archive();
      expect(recent).toHaveLength(RECENT_LIMIT);
      expect(recent[0]).toEqual(many.at(-1));
      expect(recent.at(-1)).toEqual(many.at(-RECENT_LIMIT));
      // An old item coming back is archived again without growing past the limit.
      await news.addToArchive([many[0]!], (i) => i.published!);
      expect(await news.archivedCount()).toBe(ARCHIVE_LIMIT);
      expect(await news.archive()).toEqual(recent);
    }, 120_000);
  });

  describe('Outbox', () => {
    it('enqueue is idempotent per channel and item, also within one call', async () => {
      const outbox = new Outbox(keyv);
      expect(await outbox.enqueue([], NOW)).toBe(0);
      expect(await outbox.enqueue([entry('111', 1), entry('111', 2)], NOW)).toBe(2);
      expect(await outbox.enqueue([entry('111', 2), entry('111', 1)], NOW)).toBe(0);
      expect(await outbox.enqueue([entry('111', 3), entry('111', 3), entry('222', 1)], NOW)).toBe(2);
      expect(await outbox.counts()).toEqual({ pending: 4, dead: 0 });
      const pending = await outbox.pending();
      expect(pending.map((e) => e.key)).toEqual(['111:' + item(1).id, '222:' + item(1).id, '111:' + item(2).id, '111:' + item(3).id]);
      expect(pending[0]).toMatchObject({ ...entry('111', 1), key: `111:${item(1).id}`, attempts: 0, enqueuedAt: NOW.toISOString() });
      expect(new Set(pending.map((e) => e.seq)).size).toBe(4);
    });

    it('pending: oldest cycle first, then oldest item, then queue order', async () => {
      const outbox = new Outbox(keyv);
      await outbox.enqueue([entry('111', 5, { batch: '2024-03-01T12:05:00.000Z' }), entry('111', 4, { batch: '2024-03-01T12:05:00.000Z' })], NOW);
      await outbox.enqueue([entry('111', 9, { batch: '2024-03-01T12:00:00.000Z' })], NOW);
      await outbox.enqueue([entry('222', 4, { batch: '2024-03-01T12:05:00.000Z' })], NOW);
      expect((await outbox.pending()).map((e) => `${e.channelId}/${e.title}`)).toEqual([
        '111/Alita 2 news number 9',
        '111/Alita 2 news number 4',
        '222/Alita 2 news number 4',
        '111/Alita 2 news number 5',
      ]);
    });

    it('delivered: leaves the queue, is remembered, and is never queued again for that channel', async () => {
      const outbox = new Outbox(keyv);
      await outbox.enqueue([entry('111', 1), entry('111', 2)], NOW);
      const [first] = await outbox.pending();
      expect(await outbox.isDelivered(first!.key)).toBe(false);
      await outbox.markDelivered(first!, NOW);
      expect(await outbox.isDelivered(first!.key)).toBe(true);
      expect((await outbox.pending()).map((e) => e.title)).toEqual(['Alita 2 news number 2']);
      expect(await outbox.enqueue([entry('111', 1)], NOW)).toBe(0);
      expect(await outbox.enqueue([entry('222', 1)], NOW)).toBe(1);
      expect(await outbox.counts()).toEqual({ pending: 2, dead: 0 });
    });

    it('reschedule: attempts, last error and next attempt are kept with the entry', async () => {
      const outbox = new Outbox(keyv);
      await outbox.enqueue([entry('111', 1)], NOW);
      const [queued] = await outbox.pending();
      const later = new Date(NOW.getTime() + 5_000);
      const once = await outbox.reschedule(queued!, 'HTTP 503', later);
      await outbox.reschedule(once, 'could not reach Discord', new Date(later.getTime() + 10_000));
      expect(await outbox.pending()).toEqual([{ ...queued, attempts: 2, lastError: 'could not reach Discord', nextAttemptAt: new Date(later.getTime() + 10_000).toISOString() }]);
    });

    it(`dead letters: leave the queue with their reason; the newest ${DEAD_LETTER_LIMIT} are kept`, async () => {
      const outbox = new Outbox(keyv);
      const count = DEAD_LETTER_LIMIT + 3;
      await outbox.enqueue(Array.from({ length: count }, (_, n) => entry('111', n)), NOW);
      await outbox.enqueue([entry('222', 1)], NOW);
      for (const queued of (await outbox.pending()).filter((e) => e.channelId === '111')) await outbox.deadLetter(queued, `Missing Permissions (${queued.title})`, NOW);
      expect(await outbox.counts()).toEqual({ pending: 1, dead: DEAD_LETTER_LIMIT });
      const dead = await outbox.deadLetters();
      expect(dead[0]).toMatchObject({ title: 'Alita 2 news number 3', reason: 'Missing Permissions (Alita 2 news number 3)', failedAt: NOW.toISOString() });
      expect(dead.at(-1)?.title).toBe(`Alita 2 news number ${count - 1}`);
      expect((await outbox.pending()).map((e) => e.channelId)).toEqual(['222']);
    });
  });

  describe('SettingsStore', () => {
    it('guild settings: one per server, updated in place, in the order servers were set up', async () => {
      const settings = new SettingsStore(keyv);
      expect(await settings.guilds()).toEqual([]);
      expect(await settings.guild('300000000000000001')).toBeUndefined();
      await settings.setGuild(guild('300000000000000001', '400000000000000001'));
      await settings.setGuild(guild('300000000000000002', '400000000000000002', '500000000000000002'));
      await settings.setGuild(guild('300000000000000001', '400000000000000009', '500000000000000001'));
      expect(await settings.guilds()).toEqual([guild('300000000000000001', '400000000000000009', '500000000000000001'), guild('300000000000000002', '400000000000000002', '500000000000000002')]);
      expect(await settings.guild('300000000000000002')).toEqual(guild('300000000000000002', '400000000000000002', '500000000000000002'));
    });

    it('added feeds: added once, removed once; last poll reads back', async () => {
      const settings = new SettingsStore(keyv);
      const feed = { url: 'https://news.example.org/feed.xml', addedAt: NOW.toISOString(), addedBy: '100000000000000001', guildId: '300000000000000001' };
      expect(await settings.addedFeeds()).toEqual([]);
      expect(await settings.addFeed(feed)).toBe(true);
      expect(await settings.addFeed({ ...feed, addedBy: 'someone else' })).toBe(false);
      expect(await settings.addFeed({ url: 'https://other.example.org/rss', addedAt: NOW.toISOString() })).toBe(true);
      expect((await settings.addedFeeds()).map((f) => f.url)).toEqual([feed.url, 'https://other.example.org/rss']);
      expect(await settings.removeFeed(feed.url)).toBe(true);
      expect(await settings.removeFeed(feed.url)).toBe(false);
      expect(await settings.addedFeeds()).toEqual([{ url: 'https://other.example.org/rss', addedAt: NOW.toISOString() }]);

      expect(await settings.lastPoll()).toBeUndefined();
      await settings.setLastPoll({ at: NOW.toISOString(), feeds: 3, failed: 1, announced: 2 });
      expect(await settings.lastPoll()).toEqual({ at: NOW.toISOString(), feeds: 3, failed: 1, announced: 2 });
    });
  });

  describe('QuoteStore', () => {
    it('seeds once, keeps added quotes, and a removed quote stays removed', async () => {
      const quotes = new QuoteStore(keyv);
      const file = readQuotesFile();
      expect(await quotes.all()).toEqual([]);
      expect(await quotes.seed(file)).toBe(file.length);
      expect(await quotes.seed(file)).toBe(0);
      await quotes.add(quote('salazar-2024-a'));
      expect(await quotes.remove('no-such-quote')).toBeUndefined();
      expect(await quotes.remove(file[0]!.id)).toEqual(file[0]);
      expect(await quotes.remove(file[0]!.id)).toBeUndefined();
      expect(await quotes.seed(file)).toBe(0);
      expect((await quotes.all()).map((q) => q.id)).toEqual([...file.slice(1).map((q) => q.id), 'salazar-2024-a']);
    });
  });

  it('everything survives closing and reopening the store', async () => {
    const news = new NewsStore(keyv);
    await news.setFeedState('https://news.example.com/feed.xml', { initialized: true, validators: { etag: '"v1"' } });
    await news.markSeen([{ id: ODD_IDS[2]!, firstSeen: NOW.toISOString(), relevant: true }]);
    await news.setStoryMarks([{ titleKey: 'alita 2 news', marks: [{ id: ODD_IDS[2]!, at: NOW.toISOString() }] }]);
    await news.addToArchive([item(1), item(2)], (i) => i.published!);
    const outbox = new Outbox(keyv);
    await outbox.enqueue([entry('111', 1), entry('111', 2), entry('111', 3)], NOW);
    const [one, two] = await outbox.pending();
    await outbox.markDelivered(one!, NOW);
    await outbox.deadLetter(two!, 'Unknown Channel', NOW);
    const settings = new SettingsStore(keyv);
    await settings.setGuild(guild('300000000000000001', '400000000000000001'));
    await settings.addFeed({ url: 'https://news.example.org/feed.xml', addedAt: NOW.toISOString() });
    await settings.setLastPoll({ at: NOW.toISOString(), feeds: 1, failed: 0, announced: 3 });
    const quotes = new QuoteStore(keyv);
    await quotes.seed(readQuotesFile());
    await quotes.remove(readQuotesFile()[1]!.id);
    const before = { pending: await outbox.pending(), dead: await outbox.deadLetters(), quotes: await quotes.all() };

    await keyv.disconnect();
    const again = await backend.open();
    const news2 = new NewsStore(again);
    expect(await news2.getFeedState('https://news.example.com/feed.xml')).toEqual({ initialized: true, validators: { etag: '"v1"' } });
    expect(await news2.seen([ODD_IDS[2]!, ODD_IDS[0]!])).toEqual([true, false]);
    expect(await news2.storyMarks(['alita 2 news'])).toEqual([[{ id: ODD_IDS[2]!, at: NOW.toISOString() }]]);
    expect(await news2.archive()).toEqual([item(2), item(1)]);
    const outbox2 = new Outbox(again);
    expect(await outbox2.pending()).toEqual(before.pending);
    expect(await outbox2.deadLetters()).toEqual(before.dead);
    expect(await outbox2.isDelivered(one!.key)).toBe(true);
    expect(await outbox2.enqueue([entry('111', 1), entry('111', 3)], NOW)).toBe(0);
    const settings2 = new SettingsStore(again);
    expect(await settings2.guilds()).toEqual([guild('300000000000000001', '400000000000000001')]);
    expect((await settings2.addedFeeds()).map((f) => f.url)).toEqual(['https://news.example.org/feed.xml']);
    expect(await settings2.lastPoll()).toEqual({ at: NOW.toISOString(), feeds: 1, failed: 0, announced: 3 });
    const quotes2 = new QuoteStore(again);
    expect(await quotes2.all()).toEqual(before.quotes);
    expect(await quotes2.seed(readQuotesFile())).toBe(0);
  });

  it('two namespaces in the same place see nothing of each other', async () => {
    const other = await backend.open('other-bot');
    const [newsA, newsB] = [new NewsStore(keyv), new NewsStore(other)];
    await newsA.markSeen([{ id: ODD_IDS[0]!, firstSeen: NOW.toISOString(), relevant: true }]);
    await newsA.addToArchive([item(1)], (i) => i.published!);
    await newsA.setFeedState('https://news.example.com/feed.xml', { initialized: true });
    await new Outbox(keyv).enqueue([entry('111', 1)], NOW);
    await new SettingsStore(keyv).setGuild(guild('300000000000000001', '400000000000000001'));
    await new QuoteStore(keyv).seed(readQuotesFile());

    expect(await newsB.seen([ODD_IDS[0]!])).toEqual([false]);
    expect(await newsB.archive()).toEqual([]);
    expect(await newsB.getFeedState('https://news.example.com/feed.xml')).toBeUndefined();
    expect(await new Outbox(other).counts()).toEqual({ pending: 0, dead: 0 });
    expect(await new SettingsStore(other).guilds()).toEqual([]);
    expect(await new QuoteStore(other).all()).toEqual([]);

    // Writing the same keys in the other namespace leaves the first one as it was.
    await newsB.addToArchive([item(7)], (i) => i.published!);
    expect(await new Outbox(other).enqueue([entry('111', 1)], NOW)).toBe(1);
    expect(await newsA.archive()).toEqual([item(1)]);
    expect(await newsB.archive()).toEqual([item(7)]);
    expect(await new Outbox(keyv).counts()).toEqual({ pending: 1, dead: 0 });
  });

  describe('pollFeed end to end', () => {
    let server: TestServer;
    let body: string;
    let status = 200;
    beforeEach(async () => {
      status = 200;
      body = rss([]);
      server = await startHttpServer((req, res) => {
        if (status !== 200) return res.writeHead(status).end();
        const etag = `"${Buffer.from(body).length}-${body.length % 97}"`;
        if (req.headers['if-none-match'] === etag) return res.writeHead(304).end();
        res.writeHead(200, { 'content-type': 'application/rss+xml; charset=utf-8', etag }).end(body);
      });
    });
    afterEach(async () => {
      await server.close();
    });

    const sequel = (n: number): TestItem => ({ title: `Alita 2 news number ${n}`, link: `https://news.example.com/alita-2-${n}`, date: new Date(Date.UTC(2024, 1, 10, n)).toISOString(), summary: `Update ${n} on the Alita: Battle Angel sequel.` });
    const offTopic: TestItem = { title: 'Avatar 3 box office', link: 'https://news.example.com/avatar-3', date: '2024-02-09T10:00:00Z' };

    function deps(store: Keyv, queued: string[]): PollDeps {
      const outbox = new Outbox(store);
      return {
        store: new NewsStore(store),
        topic,
        clock: () => NOW,
        backfill: 0,
        fetchOptions: { timeoutMs: 5_000 },
        enqueue: async (items) => {
          queued.push(...items.map((i) => i.title));
          await outbox.enqueue(items.map((i) => ({ channelId: '111', itemId: i.id, title: i.title, body: formatAnnouncement(i), batch: NOW.toISOString(), at: i.published ?? NOW.toISOString() })), NOW);
        },
      };
    }

    it('announces each new on-topic item once, oldest first, across polls and a reopen', async () => {
      const url = `${server.url}/feed.xml`;
      const queued: string[] = [];
      body = rss([sequel(1), offTopic]);
      expect(await pollFeed(url, deps(keyv, queued))).toMatchObject({ status: 'updated', firstPoll: true, items: 2, onTopic: 1, announced: [] });
      expect((await new NewsStore(keyv).archive()).map((i) => i.title)).toEqual(['Alita 2 news number 1']);

      body = rss([sequel(3), offTopic, sequel(2), sequel(1)]);
      expect((await pollFeed(url, deps(keyv, queued))).announced.map((i) => i.title)).toEqual(['Alita 2 news number 2', 'Alita 2 news number 3']);
      expect(await pollFeed(url, deps(keyv, queued))).toMatchObject({ status: 'unchanged', announced: [] });

      await keyv.disconnect();
      const again = await backend.open();
      body = rss([sequel(3), offTopic, sequel(2), sequel(1)], 'Same items, new channel title');
      expect(await pollFeed(url, deps(again, queued))).toMatchObject({ status: 'updated', firstPoll: false, announced: [] });
      expect(queued).toEqual(['Alita 2 news number 2', 'Alita 2 news number 3']);
      expect((await new Outbox(again).pending()).map((e) => e.title)).toEqual(['Alita 2 news number 2', 'Alita 2 news number 3']);
      expect((await new NewsStore(again).archive()).map((i) => i.title)).toEqual(['Alita 2 news number 3', 'Alita 2 news number 2', 'Alita 2 news number 1']);
    });

    it('counts a failing feed’s failures in a row and resets them on success', async () => {
      const url = `${server.url}/feed.xml`;
      const news = new NewsStore(keyv);
      status = 503;
      await expect(pollFeed(url, deps(keyv, []))).rejects.toThrow(/503/);
      await expect(pollFeed(url, deps(keyv, []))).rejects.toThrow(/503/);
      expect(await news.getFeedState(url)).toMatchObject({ consecutiveFailures: 2, lastError: expect.stringMatching(/503/), lastAttempt: NOW.toISOString() });
      status = 200;
      body = rss([sequel(1)]);
      await pollFeed(url, deps(keyv, []));
      expect(await news.getFeedState(url)).toMatchObject({ consecutiveFailures: 0, initialized: true, lastSuccess: NOW.toISOString() });
    });
  });
}
