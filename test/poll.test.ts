/**
 * pollFeed (src/bot/poll-feed.ts) against local feeds and a real SQLite store: what a poll
 * announces, where (its targets), and what it remembers, as the store holds it afterwards.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { pollFeed, type PollDeps } from '../src/bot/poll-feed.ts';
import { targetsForFeed, type Target } from '../src/bot/targets.ts';
import { FeedHttpError } from '../src/engine/errors.ts';
import { isDue } from '../src/engine/fetch-limiter.ts';
import { formatAnnouncement } from '../src/engine/format.ts';
import { loadTopic } from '../src/engine/topic.ts';
import type { Stores } from '../src/store/sql/index.ts';
import { rss, type TestItem } from './support/feeds.ts';
import { startHttpServer, type TestServer } from './support/http-server.ts';
import { tempSqliteStore } from './support/store.ts';

const topic = loadTopic();
const NOW = new Date('2024-03-01T12:00:00Z');
const A: Target = { channelId: '100000000000000001', guildId: '900000000000000001' };
const B: Target = { channelId: '100000000000000002', guildId: '900000000000000002', roleId: '300000000000000002' };

let server: TestServer;
let feeds: Record<string, { body: string; etag?: string; status?: number }>;
let temp: Awaited<ReturnType<typeof tempSqliteStore>>;

beforeEach(async () => {
  feeds = {};
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

function deps(over: Partial<PollDeps> = {}, stores: Stores = temp.stores): PollDeps {
  return {
    store: stores.news,
    topic,
    clock: () => NOW,
    backfill: 0,
    targets: [A, B],
    format: (item, target) => formatAnnouncement(item, target.roleId ? { pingRoleId: target.roleId } : {}),
    batch: NOW.toISOString(),
    ...over,
  };
}

function publish(path: string, items: TestItem[], etag?: string): string {
  feeds[path] = { body: rss(items), etag };
  return `${server.url}${path}`;
}

/** What the outbox holds for delivery, as [channel, title], in delivery order. */
async function queued(stores: Stores = temp.stores): Promise<string[][]> {
  return (await stores.outbox.pending()).map((e) => [e.channelId, e.title]);
}

const titles = (items: Array<{ title: string }>) => items.map((i) => i.title);
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
    expect(await pollFeed(url, deps())).toMatchObject({ status: 'updated', firstPoll: true, items: 2, onTopic: 1, announced: [] });
    expect(titles(await temp.stores.news.latest({ limit: 10 }))).toEqual(['Alita 2 news number 1']);
    expect(await queued()).toEqual([]);
  });

  it('judges a feed declared about Alita as such: its posts need only be about the sequel', async () => {
    const fanPost: TestItem = { title: 'Who should play Nova in the second film?', link: 'https://fans.example/nova', date: '2024-02-21T10:00:00Z' };
    const url = publish('/fans.xml', [fanPost, offTopic]);
    expect(await pollFeed(url, deps({ backfill: 5, targets: [A] }))).toMatchObject({ onTopic: 0, announced: [] });
    const declared = publish('/declared.xml', [fanPost, offTopic]);
    const result = await pollFeed(declared, deps({ backfill: 5, targets: [A], aboutAlita: true }));
    expect(titles(result.announced)).toEqual([fanPost.title]);
  });

  it('with BACKFILL announces the newest N on-topic items of a new feed, oldest first', async () => {
    const url = publish('/a.xml', [sequel(3), sequel(1), sequel(2), offTopic]);
    const result = await pollFeed(url, deps({ backfill: 2, targets: [A] }));
    expect(titles(result.announced)).toEqual(['Alita 2 news number 2', 'Alita 2 news number 3']);
    expect(await queued()).toEqual([[A.channelId, 'Alita 2 news number 2'], [A.channelId, 'Alita 2 news number 3']]);
  });

  it('announces each new on-topic item once in every target, oldest first, and never off-topic ones', async () => {
    const url = publish('/a.xml', [sequel(1)]);
    await pollFeed(url, deps());
    publish('/a.xml', [sequel(3), offTopic, sequel(2), sequel(1)]);
    expect(titles((await pollFeed(url, deps())).announced)).toEqual(['Alita 2 news number 2', 'Alita 2 news number 3']);
    expect((await pollFeed(url, deps())).announced).toEqual([]);
    const pending = await temp.stores.outbox.pending();
    expect(pending.map((e) => [e.channelId, e.title])).toEqual([
      [A.channelId, 'Alita 2 news number 2'], [B.channelId, 'Alita 2 news number 2'],
      [A.channelId, 'Alita 2 news number 3'], [B.channelId, 'Alita 2 news number 3'],
    ]);
    // Each target's body is its own: B pings its role, A pings nobody.
    expect(pending.find((e) => e.channelId === B.channelId)?.body).toMatchObject({ content: `<@&${B.roleId}>`, allowed_mentions: { roles: [B.roleId] } });
    expect(pending.find((e) => e.channelId === A.channelId)?.body.content).toBeUndefined();
  });

  it('does not announce an item again when its publisher edits the guid, date, title or tracking (README: identity)', async () => {
    const url = publish('/a.xml', [sequel(1)]);
    await pollFeed(url, deps());
    publish('/a.xml', [sequel(2, { guid: 'g-2' }), { title: 'Alita 2 news: first look photos', guid: 'photos-1', date: '2024-02-20T10:00:00Z' }]);
    expect((await pollFeed(url, deps())).announced).toHaveLength(2);
    publish('/a.xml', [
      // Identified by its canonical link: host case, utm_*, fbclid, the fragment and http→https do not count.
      sequel(2, { guid: 'g-2-edited', link: 'https://NEWS.example.com/alita-2-2?utm_source=x&fbclid=y#top', title: 'Alita 2 news, number two (updated)', date: '2024-02-13T09:00:00Z' }),
      // No link: identified by its guid.
      { title: 'Alita 2 news: first look photos (gallery updated)', guid: 'photos-1', date: '2024-02-21T10:00:00Z' },
    ]);
    expect((await pollFeed(url, deps())).announced).toEqual([]);
    expect(await temp.stores.outbox.pending()).toHaveLength(4);
  });

  it('treats the same story from two feeds within 48 hours as one, and the same headline a week later as news', async () => {
    const [a, b] = [publish('/a.xml', []), publish('/b.xml', [])];
    await pollFeed(a, deps());
    await pollFeed(b, deps());
    const story = { title: 'Rodriguez: Alita 2 is still on', date: '2024-02-28T10:00:00Z' };
    publish('/a.xml', [{ ...story, link: 'https://one.example.com/story' }]);
    publish('/b.xml', [{ ...story, title: 'RODRIGUEZ — Alita 2 is still on!', link: 'https://two.example.com/other', date: '2024-02-29T20:00:00Z' }]);
    expect((await pollFeed(a, deps())).announced).toHaveLength(1);
    expect((await pollFeed(b, deps())).announced).toEqual([]);
    publish('/b.xml', [{ ...story, link: 'https://two.example.com/next-week', date: '2024-03-07T10:00:00Z' }]);
    expect((await pollFeed(b, deps())).announced).toHaveLength(1);
    expect((await queued()).map(([channel]) => channel)).toEqual([A.channelId, B.channelId, A.channelId, B.channelId]);
  });

  it('a server’s own feed announces in that server only; an operator feed in every target', async () => {
    const [own, operator] = [publish('/own.xml', []), publish('/operator.xml', [])];
    const ownTargets = targetsForFeed({ url: own, operator: false, guilds: [A.guildId!] }, [A, B]);
    const operatorTargets = targetsForFeed({ url: operator, operator: true, guilds: [] }, [A, B]);
    await pollFeed(own, deps({ targets: ownTargets }));
    await pollFeed(operator, deps({ targets: operatorTargets }));
    publish('/own.xml', [sequel(1)]);
    publish('/operator.xml', [sequel(2)]);
    await pollFeed(own, deps({ targets: ownTargets }));
    await pollFeed(operator, deps({ targets: operatorTargets }));
    expect(await queued()).toEqual([[A.channelId, 'Alita 2 news number 1'], [A.channelId, 'Alita 2 news number 2'], [B.channelId, 'Alita 2 news number 2']]);
  });

  it('the same story through two feeds is announced once per channel: the second feed tells only the channels that missed it', async () => {
    const [own, operator] = [publish('/own.xml', []), publish('/operator.xml', [])];
    await pollFeed(own, deps({ targets: [A] }));
    await pollFeed(operator, deps({ targets: [A, B] }));
    // Same headline, different links: the channel's 48-hour story mark catches it.
    publish('/own.xml', [{ title: 'Alita 2 trailer is out', link: 'https://own.example.com/trailer', date: '2024-02-29T10:00:00Z' }]);
    await pollFeed(own, deps({ targets: [A] }));
    publish('/operator.xml', [{ title: 'Alita 2 trailer is out!', link: 'https://big.example.com/trailer', date: '2024-02-29T12:00:00Z' }]);
    await pollFeed(operator, deps({ targets: [A, B] }));
    expect(await queued()).toEqual([[A.channelId, 'Alita 2 trailer is out'], [B.channelId, 'Alita 2 trailer is out!']]);
  });

  it('the same article (same link) first through a server’s own feed still reaches the other servers through an operator feed', async () => {
    const [own, operator] = [publish('/own.xml', []), publish('/operator.xml', [])];
    await pollFeed(own, deps({ targets: [A] }));
    await pollFeed(operator, deps({ targets: [A, B] }));
    const article = { title: 'Alita 2 casting news', link: 'https://news.example.com/casting', date: '2024-02-29T10:00:00Z' };
    publish('/own.xml', [article]);
    await pollFeed(own, deps({ targets: [A] }));
    publish('/operator.xml', [article]);
    await pollFeed(operator, deps({ targets: [A, B] }));
    expect(await queued()).toEqual([[A.channelId, article.title], [B.channelId, article.title]]);
  });

  it('uses conditional GET: a 304 keeps the feed’s state, and its next change is announced', async () => {
    const url = publish('/a.xml', [sequel(1)], '"v1"');
    await pollFeed(url, deps());
    const before = await temp.stores.news.getFeedState(url);
    expect((await pollFeed(url, deps())).status).toBe('unchanged');
    expect(server.requests.at(-1)?.headers['if-none-match']).toBe('"v1"');
    expect(await temp.stores.news.getFeedState(url)).toMatchObject({ initialized: true, validators: before!.validators, consecutiveFailures: 0 });
    publish('/a.xml', [sequel(2), sequel(1)], '"v2"');
    expect(titles((await pollFeed(url, deps({ targets: [A] }))).announced)).toEqual(['Alita 2 news number 2']);
  });

  it('remembers across a restart (reopened SQLite file)', async () => {
    const url = publish('/a.xml', [sequel(1)]);
    await pollFeed(url, deps());
    publish('/a.xml', [sequel(2), sequel(1)]);
    await pollFeed(url, deps());
    const reopened = await temp.reopen();
    expect((await pollFeed(url, deps({}, reopened))).announced).toEqual([]);
    expect(titles(await reopened.news.latest({ limit: 10 }))).toEqual(['Alita 2 news number 2', 'Alita 2 news number 1']);
    expect(await queued(reopened)).toHaveLength(2);
  });

  it('records a failure, backs the feed off, throws the typed error, and resumes where it was', async () => {
    const url = publish('/a.xml', [sequel(1)]);
    await pollFeed(url, deps());
    feeds['/a.xml']!.status = 503;
    await expect(pollFeed(url, deps())).rejects.toBeInstanceOf(FeedHttpError);
    const state = await temp.stores.news.getFeedState(url);
    expect(state).toMatchObject({ initialized: true, consecutiveFailures: 1, lastError: 'HTTP 503 Service Unavailable' });
    expect(isDue(state, NOW)).toBe(false);
    expect(isDue(state, new Date(state!.nextAttemptAt!))).toBe(true);
    publish('/a.xml', [sequel(2), sequel(1)]);
    const resumed = await pollFeed(url, deps({ targets: [A] }));
    expect([resumed.firstPoll, titles(resumed.announced)]).toEqual([false, ['Alita 2 news number 2']]);
    expect(await temp.stores.news.getFeedState(url)).toMatchObject({ consecutiveFailures: 0 });
  });

  it('records nothing of a poll whose record step fails: the item is announced by the next poll', async () => {
    const url = publish('/a.xml', [sequel(1)]);
    await pollFeed(url, deps());
    publish('/a.xml', [sequel(2), sequel(1)]);
    // Thrown inside the store transaction, after the decision: seen marks and archive roll back too.
    // (Not through `format`: one item's message failing skips that item, see item-isolation.test.ts.)
    const news = temp.stores.news;
    const store: PollDeps['store'] = {
      getFeedState: (feed) => news.getFeedState(feed),
      setFeedState: (feed, state) => news.setFeedState(feed, state),
      recordPoll: (input, decide) => news.recordPoll(input, (known) => { decide(known); throw new Error('disk full'); }),
    };
    const failing = deps({ store });
    await expect(pollFeed(url, failing)).rejects.toThrow('disk full');
    expect(titles(await temp.stores.news.latest({ limit: 10 }))).toEqual(['Alita 2 news number 1']);
    expect(titles((await pollFeed(url, deps({ targets: [A] }))).announced)).toEqual(['Alita 2 news number 2']);
  });

  it('queues a burst beyond maxPostsPerChannel as digest entries of the same batch', async () => {
    const url = publish('/a.xml', [sequel(1)]);
    await pollFeed(url, deps());
    publish('/a.xml', Array.from({ length: 8 }, (_, i) => sequel(i + 1)));
    await pollFeed(url, deps({ targets: [A], maxPostsPerChannel: 5 }));
    const pending = await temp.stores.outbox.pending();
    expect(pending.map((e) => e.kind)).toEqual(['post', 'post', 'post', 'post', 'post', 'digest', 'digest']);
    expect(new Set(pending.map((e) => e.batch))).toEqual(new Set([NOW.toISOString()]));
  });

  it('queues a digest-mode channel\'s stories for its daily digest, the others as posts', async () => {
    const url = publish('/a.xml', [sequel(1)]);
    await pollFeed(url, deps());
    publish('/a.xml', [sequel(1), sequel(2), sequel(3)]);
    const daily = { ...A, dailyAt: '2024-03-01T17:00:00.000Z' };
    await pollFeed(url, deps({ targets: [daily, B], maxPostsPerChannel: 5 }));
    const pending = await temp.stores.outbox.pending();
    expect(pending.filter((e) => e.channelId === A.channelId).map((e) => [e.kind, e.batch])).toEqual([
      ['digest', 'daily:2024-03-01T17:00:00.000Z'],
      ['digest', 'daily:2024-03-01T17:00:00.000Z'],
    ]);
    expect(pending.filter((e) => e.channelId === B.channelId).map((e) => e.kind)).toEqual(['post', 'post']);
  });
});
