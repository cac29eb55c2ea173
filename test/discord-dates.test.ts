/**
 * A published date Discord refuses as an embed timestamp (a reporter's feed had
 * `<pubDate>-001000-01-01T00:00:00Z</pubDate>`, which Discord answered with a 400 and the
 * announcement went to the dead letters) is no date anywhere a date is used: the embed, the
 * order of announcements, the 48-hour story rule and the archive's order for /latest.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { pollFeed, type PollDeps } from '../src/bot/poll-feed.ts';
import type { Target } from '../src/bot/targets.ts';
import { formatAnnouncement } from '../src/engine/format.ts';
import { loadTopic } from '../src/engine/topic.ts';
import { validateMessageBody } from './support/discord-schema.ts';
import { startHttpServer, type TestServer } from './support/http-server.ts';
import { tempSqliteStore } from './support/store.ts';

const topic = loadTopic();
const NOW = new Date('2024-03-01T12:00:00Z');
const A: Target = { channelId: '100000000000000001', guildId: '900000000000000001' };
const BAD = '-001000-01-01T00:00:00Z';

let server: TestServer;
let feeds: Record<string, string>;
let temp: Awaited<ReturnType<typeof tempSqliteStore>>;

beforeEach(async () => {
  feeds = {};
  temp = await tempSqliteStore();
  server = await startHttpServer((req, res) => res.writeHead(200, { 'content-type': 'application/rss+xml' }).end(feeds[req.url ?? ''] ?? ''));
});

afterEach(async () => {
  await server.close();
  await temp.cleanup();
});

const deps = (): PollDeps => ({ store: temp.stores.news, topic, clock: () => NOW, backfill: 0, targets: [A], format: (item) => formatAnnouncement(item), batch: NOW.toISOString() });

/** Items as [title, pubDate as written]; links are made from the titles. */
function publish(path: string, items: Array<[string, string]>): string {
  const body = items.map(([title, date]) => `<item><title>${title}</title><link>https://news.example.com/${encodeURIComponent(title)}</link><pubDate>${date}</pubDate></item>`).join('');
  feeds[path] = `<?xml version="1.0"?><rss version="2.0"><channel><title>Wire</title><link>https://news.example.com/</link>${body}</channel></rss>`;
  return `${server.url}${path}`;
}

async function announced(url: string): Promise<string[]> {
  return (await pollFeed(url, deps())).announced.map((i) => i.title);
}

describe('a date Discord refuses', () => {
  it('is sent as no timestamp, in a body Discord accepts', async () => {
    const url = publish('/a.xml', []);
    await pollFeed(url, deps());
    publish('/a.xml', [['Alita 2 news from the year -1000', BAD]]);
    expect(await announced(url)).toEqual(['Alita 2 news from the year -1000']);
    const [entry] = await temp.stores.outbox.pending();
    expect(entry!.body.embeds[0]!.timestamp).toBeUndefined();
    expect(validateMessageBody(entry!.body)).toEqual([]);
  });

  it('orders the item by when it was first seen: announced after older dated news, listed first by /latest', async () => {
    const url = publish('/a.xml', []);
    await pollFeed(url, deps());
    publish('/a.xml', [['Alita 2 news with a broken date', BAD], ['Alita 2 news from February', 'Tue, 20 Feb 2024 10:00:00 GMT']]);
    expect(await announced(url)).toEqual(['Alita 2 news from February', 'Alita 2 news with a broken date']);
    expect((await temp.stores.news.latest({ limit: 10 })).map((i) => i.title)).toEqual(['Alita 2 news with a broken date', 'Alita 2 news from February']);
  });

  it('does not escape the 48-hour rule: the same headline through another feed is still a repeat', async () => {
    const [a, b] = [publish('/a.xml', []), publish('/b.xml', [])];
    await pollFeed(a, deps());
    await pollFeed(b, deps());
    publish('/a.xml', [['Alita 2 trailer is out', 'Fri, 01 Mar 2024 08:00:00 GMT']]);
    publish('/b.xml', [['Alita 2 trailer is out!', BAD]]);
    expect(await announced(a)).toEqual(['Alita 2 trailer is out']);
    expect(await announced(b)).toEqual([]);
  });
});
