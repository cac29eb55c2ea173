import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FeedHttpError } from '../src/engine/errors.ts';
import { pollFeed, type PollDeps } from '../src/engine/poll.ts';
import { loadTopic } from '../src/engine/topic.ts';
import type { NewsItem } from '../src/engine/types.ts';
import type { NewsStore } from '../src/store/news-store.ts';
import { rss, type TestItem } from './support/feeds.ts';
import { startHttpServer, type TestServer } from './support/http-server.ts';
import { tempSqliteStore } from './support/store.ts';

const topic = loadTopic();
const NOW = new Date('2024-03-01T12:00:00Z');

let server: TestServer;
let feeds: Record<string, { body: string; etag?: string; status?: number }>;
let temp: Awaited<ReturnType<typeof tempSqliteStore>>;
let sent: NewsItem[];

beforeEach(async () => {
  feeds = {};
  sent = [];
  temp = await tempSqliteStore();
  server = await startHttpServer((req, res) => {
    const feed = feeds[req.url ?? ''];
    if (!feed) return res.writeHead(404).end();
    if (feed.status) return res.writeHead(feed.status).end();
    if (feed.etag && req.headers['if-none-match'] === feed.etag) return res.writeHead(304).end();
    res.writeHead(200, { 'content-type': 'application/rss+xml', ...(feed.etag ? { etag: feed.etag } : {}) }).end(feed.body);
  });
});

afterEach(async () => {
  await server.close();
  await temp.cleanup();
});

function deps(store: NewsStore = temp.store, over: Partial<PollDeps> = {}): PollDeps {
  return { store, topic, clock: () => NOW, backfill: 0, enqueue: async (items) => void sent.push(...items), ...over };
}

function publish(path: string, items: TestItem[], etag?: string): string {
  feeds[path] = { body: rss(items), etag };
  return `${server.url}${path}`;
}

const sequel = (n: number, over: Partial<TestItem> = {}): TestItem => ({
  title: `Alita 2 news number ${n}`,
  link: `http://news.example.com/alita-2-${n}`,
  date: `2024-02-${String(10 + n).padStart(2, '0')}T10:00:00Z`,
  ...over,
});
const offTopic: TestItem = { title: 'Avatar 3 box office', link: 'https://news.example.com/avatar-3', date: '2024-02-20T10:00:00Z' };

describe('pollFeed', () => {
  it('announces nothing on a feed’s first poll but keeps its on-topic items for /latest', async () => {
    const url = publish('/a.xml', [sequel(1), offTopic]);
    const result = await pollFeed(url, deps());
    expect(result).toMatchObject({ status: 'updated', firstPoll: true, items: 2, onTopic: 1, announced: [] });
    expect((await temp.store.archive()).map((i) => i.title)).toEqual(['Alita 2 news number 1']);
  });

  it('with BACKFILL announces the newest N on-topic items of a new feed, oldest first', async () => {
    const url = publish('/a.xml', [sequel(3), sequel(1), sequel(2), offTopic]);
    const result = await pollFeed(url, deps(temp.store, { backfill: 2 }));
    expect(result.announced.map((i) => i.title)).toEqual(['Alita 2 news number 2', 'Alita 2 news number 3']);
  });

  it('announces each new on-topic item exactly once, oldest first, and never off-topic ones', async () => {
    const url = publish('/a.xml', [sequel(1)]);
    await pollFeed(url, deps());
    publish('/a.xml', [sequel(3), offTopic, sequel(2), sequel(1)]);
    const second = await pollFeed(url, deps());
    expect(second.announced.map((i) => i.title)).toEqual(['Alita 2 news number 2', 'Alita 2 news number 3']);
    expect(sent.map((i) => i.title)).toEqual(['Alita 2 news number 2', 'Alita 2 news number 3']);
    const third = await pollFeed(url, deps());
    expect(third.announced).toEqual([]);
  });

  it('does not announce an item again when its publisher edits the guid, date, title or tracking', async () => {
    const url = publish('/a.xml', [sequel(1)]);
    await pollFeed(url, deps());
    publish('/a.xml', [sequel(2, { guid: 'g-2' })]);
    expect((await pollFeed(url, deps())).announced).toHaveLength(1);
    publish('/a.xml', [
      sequel(2, { guid: 'g-2-edited', link: 'https://NEWS.example.com/alita-2-2?utm_source=x&fbclid=y#top', title: 'Alita 2 news, number two (updated)', date: '2024-02-13T09:00:00Z' }),
    ]);
    expect((await pollFeed(url, deps())).announced).toEqual([]);
  });

  it('treats the same story from two feeds within 48 hours as one', async () => {
    const a = publish('/a.xml', []);
    const b = publish('/b.xml', []);
    await pollFeed(a, deps());
    await pollFeed(b, deps());
    const story = { title: 'Rodriguez: Alita 2 is still on', date: '2024-02-28T10:00:00Z' };
    publish('/a.xml', [{ ...story, link: 'https://one.example.com/story' }]);
    publish('/b.xml', [{ ...story, title: 'RODRIGUEZ — Alita 2 is still on!', link: 'https://two.example.com/other', date: '2024-02-29T20:00:00Z' }]);
    expect((await pollFeed(a, deps())).announced).toHaveLength(1);
    expect((await pollFeed(b, deps())).announced).toEqual([]);
    // The same headline a week later is new news (a weekly column, say).
    publish('/b.xml', [{ ...story, link: 'https://two.example.com/next-week', date: '2024-03-07T10:00:00Z' }]);
    expect((await pollFeed(b, deps())).announced).toHaveLength(1);
  });

  it('uses conditional GET: a 304 is no work at all', async () => {
    const url = publish('/a.xml', [sequel(1)], '"v1"');
    await pollFeed(url, deps());
    const again = await pollFeed(url, deps());
    expect(again.status).toBe('unchanged');
    expect(server.requests.at(-1)?.headers['if-none-match']).toBe('"v1"');
  });

  it('remembers across a restart (reopened SQLite file)', async () => {
    const url = publish('/a.xml', [sequel(1)]);
    await pollFeed(url, deps());
    publish('/a.xml', [sequel(2), sequel(1)]);
    await pollFeed(url, deps());
    const reopened = await temp.reopen();
    expect((await pollFeed(url, deps(reopened))).announced).toEqual([]);
    expect((await reopened.archive()).map((i) => i.title)).toEqual(['Alita 2 news number 2', 'Alita 2 news number 1']);
  });

  it('records a failure on the feed and throws the typed error', async () => {
    const url = publish('/a.xml', [sequel(1)]);
    feeds['/a.xml']!.status = 503;
    await expect(pollFeed(url, deps())).rejects.toBeInstanceOf(FeedHttpError);
    await expect(pollFeed(url, deps())).rejects.toBeInstanceOf(FeedHttpError);
    expect(await temp.store.getFeedState(url)).toMatchObject({ consecutiveFailures: 2, lastError: 'HTTP 503 Service Unavailable' });
  });

  it('marks nothing seen when the outbox cannot take the announcements', async () => {
    const url = publish('/a.xml', [sequel(1)]);
    await pollFeed(url, deps());
    publish('/a.xml', [sequel(2), sequel(1)]);
    const failing = deps(temp.store, { enqueue: async () => Promise.reject(new Error('disk full')) });
    await expect(pollFeed(url, failing)).rejects.toThrow('disk full');
    expect((await pollFeed(url, deps())).announced.map((i) => i.title)).toEqual(['Alita 2 news number 2']);
  });
});
