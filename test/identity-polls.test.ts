/**
 * Item identity over successive polls (pollFeed against a local feed and a real SQLite store):
 * what the README promises about edits, and the two cases where an identity used to fail —
 * an undated, link-less item whose guid changes on every request, and a feed whose items all
 * share one <link>.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { pollFeed, type PollDeps } from '../src/bot/poll-feed.ts';
import type { Target } from '../src/bot/targets.ts';
import { formatAnnouncement } from '../src/engine/format.ts';
import { loadTopic } from '../src/engine/topic.ts';
import { rss, type TestItem } from './support/feeds.ts';
import { startHttpServer, type TestServer } from './support/http-server.ts';
import { tempSqliteStore } from './support/store.ts';

const topic = loadTopic();
const HOUR = 3600_000;
const A: Target = { channelId: '100000000000000001', guildId: '900000000000000001' };

let server: TestServer;
let body: string;
let temp: Awaited<ReturnType<typeof tempSqliteStore>>;
let now: Date;

beforeEach(async () => {
  body = rss([]);
  now = new Date('2024-03-01T12:00:00Z');
  temp = await tempSqliteStore();
  server = await startHttpServer((_req, res) => res.writeHead(200, { 'content-type': 'application/rss+xml' }).end(body));
});

afterEach(async () => {
  await server.close();
  await temp.cleanup();
});

function deps(): PollDeps {
  return { store: temp.stores.news, topic, clock: () => now, backfill: 0, targets: [A], format: (item) => formatAnnouncement(item), batch: now.toISOString() };
}

/** Publishes `items` and polls once; the titles this poll announced. */
async function poll(items: TestItem[]): Promise<string[]> {
  body = rss(items);
  return (await pollFeed(`${server.url}/feed.xml`, deps())).announced.map((i) => i.title);
}

const later = (hours: number) => (now = new Date(now.getTime() + hours * HOUR));

describe('identity over polls', () => {
  it('an item with neither link nor date whose guid changes on every poll is announced once, however long it stays', async () => {
    await poll([]);
    const item = (guid: string): TestItem => ({ title: 'Alita 2 news: set photos', guid, summary: 'Photos from the set of the Alita sequel were shared today by the crew.' });
    expect(await poll([item('request-1')])).toEqual(['Alita 2 news: set photos']);
    for (const [hours, guid] of [[1, 'request-2'], [49, 'request-3'], [100, 'request-4']] as const) {
      later(hours);
      expect(await poll([item(guid)])).toEqual([]);
    }
    expect(await temp.stores.outbox.pending()).toHaveLength(1);
  });

  it('announces each later item of a feed whose items all share one link (distinct guids and titles)', async () => {
    const home = 'https://news.example.com/';
    const story = (n: number): TestItem => ({ title: `Alita 2 news number ${n}`, link: home, guid: `post-${n}`, date: `2024-02-${10 + n}T10:00:00Z` });
    await poll([story(2), story(1)]);
    expect(await poll([story(3), story(2), story(1)])).toEqual(['Alita 2 news number 3']);
    later(1);
    expect(await poll([story(5), story(4), story(3), story(2)])).toEqual(['Alita 2 news number 4', 'Alita 2 news number 5']);
    expect(await poll([story(5), story(4), story(3)])).toEqual([]);
  });

  it('when a feed’s one item gets company under the same link, only the newcomer is announced', async () => {
    const home = 'https://news.example.com/';
    await poll([{ title: 'Alita 2 news number 1', link: home, guid: 'post-1', date: '2024-02-11T10:00:00Z' }]);
    // The first item's id changes (its link is now shared), but its story mark still knows it.
    expect(await poll([{ title: 'Alita 2 news number 2', link: home, guid: 'post-2', date: '2024-02-12T10:00:00Z' }, { title: 'Alita 2 news number 1', link: home, guid: 'post-1', date: '2024-02-11T10:00:00Z' }]))
      .toEqual(['Alita 2 news number 2']);
  });

  it('items under one link with distinct guids but one title stay one story', async () => {
    await poll([]);
    const copy = (guid: string): TestItem => ({ title: 'Alita 2 trailer is out', link: 'https://news.example.com/', guid, date: '2024-02-29T10:00:00Z' });
    expect(await poll([copy('a'), copy('b')])).toEqual(['Alita 2 trailer is out']);
    expect(await poll([copy('c'), copy('b'), copy('a')])).toEqual([]);
  });
});

describe('an edited guid, date or title keeps an item one item (README: identity)', () => {
  const linked: TestItem = { title: 'Alita 2 news: casting', link: 'https://news.example.com/casting', guid: 'g-1', date: '2024-02-20T10:00:00Z' };
  const linkless: TestItem = { title: 'Alita 2 news: casting', guid: 'g-1', date: '2024-02-20T10:00:00Z' };
  const shared = (item: TestItem): TestItem[] => [{ ...item, link: 'https://news.example.com/' }, { title: 'Alita 2 news: other', link: 'https://news.example.com/', guid: 'g-0', date: '2024-02-19T10:00:00Z' }];
  const edits: Array<[string, Partial<TestItem>]> = [
    ['guid', { guid: 'g-1-edited' }],
    ['date', { date: '2024-02-20T18:00:00Z' }],
    ['title', { title: 'Alita 2 news: casting (updated)' }],
  ];

  for (const [kind, build] of [['with a link', (i: TestItem) => [i]], ['with a date but no link', (i: TestItem) => [i]], ['under a link other stories share', shared]] as const) {
    for (const [field, edit] of edits) {
      it(`${kind}: edited ${field}`, async () => {
        const original = kind === 'with a date but no link' ? linkless : linked;
        await poll([]);
        expect(await poll(build(original))).toContain(original.title);
        expect(await poll(build({ ...original, ...edit }))).toEqual([]);
        later(72);
        expect(await poll(build({ ...original, ...edit }))).toEqual([]);
      });
    }
  }

  it('with neither link nor date: edited guid (its title and text identify it)', async () => {
    const undated: TestItem = { title: 'Alita 2 news: casting', guid: 'g-1', summary: 'Two new cast members join the sequel.' };
    await poll([]);
    expect(await poll([undated])).toEqual([undated.title]);
    later(72);
    expect(await poll([{ ...undated, guid: 'g-1-edited' }])).toEqual([]);
  });
});
