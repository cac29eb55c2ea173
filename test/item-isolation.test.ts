/**
 * One item never fails its feed: an item too big or too deep for some step of the pipeline is
 * either handled or skipped with a logged reason (feed, title, link, reason), and the feed's other
 * items are still judged, archived and announced.
 */
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { pollFeed, type PollDeps } from '../src/bot/poll-feed.ts';
import type { Analyze } from '../src/engine/analyze.ts';
import { formatAnnouncement } from '../src/engine/format.ts';
import { ParsePool } from '../src/engine/parse-pool.ts';
import { loadTopic } from '../src/engine/topic.ts';
import { createLogger } from '../src/log.ts';
import { startHttpServer, type TestServer } from './support/http-server.ts';
import { tempSqliteStore } from './support/store.ts';

const topic = loadTopic();
const NOW = new Date('2024-03-01T12:00:00Z');
const TARGET = { channelId: '100000000000000001', guildId: '900000000000000001' };
const pool = new ParsePool({ topic, size: 1 });
const ANALYZERS: Array<[string, Analyze | undefined]> = [
  ['in-thread', undefined],
  ['in the parse pool', pool.analyze],
];

let server: TestServer;
let body = '';
let temp: Awaited<ReturnType<typeof tempSqliteStore>>;
let logs: string[];

beforeEach(async () => {
  temp = await tempSqliteStore();
  logs = [];
  server = await startHttpServer((_req, res) => res.writeHead(200, { 'content-type': 'application/rss+xml; charset=utf-8' }).end(body));
});
afterEach(async () => {
  await server.close();
  await temp.cleanup();
});
afterAll(() => pool.close());

function item(title: string, slug: string, description = `News about ${title}.`, day = 20): string {
  return `<item><title>${title}</title><link>https://news.example.com/${slug}</link><pubDate>${new Date(Date.UTC(2024, 1, day, 10)).toUTCString()}</pubDate><description>${description}</description></item>`;
}

const feed = (...items: string[]) => `<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>Isolation Wire</title><link>https://news.example.com/</link>${items.join('')}</channel></rss>`;

/** The first poll of the feed, asked to announce its newest on-topic items (backfill). */
function poll(analyze: Analyze | undefined, over: Partial<PollDeps> = {}) {
  return pollFeed(`${server.url}/feed.xml`, {
    store: temp.stores.news,
    topic,
    clock: () => NOW,
    backfill: 10,
    targets: [TARGET],
    format: (one) => formatAnnouncement(one),
    batch: NOW.toISOString(),
    logger: createLogger({ level: 'debug', write: (line) => logs.push(line) }),
    ...(analyze ? { analyze } : {}),
    ...over,
  });
}

const titles = (items: Array<{ title: string }>) => items.map((i) => i.title).sort();
const skippedLines = () => logs.filter((line) => line.includes('item skipped'));

describe.each(ANALYZERS)('one item of a feed, analysed %s', (_name, analyze) => {
  it('of 650 KB of words without sentence punctuation is judged, and the feed’s other on-topic items are announced', async () => {
    const words = `Alita 2 sequel update ${'and then the long story goes on '.repeat(20_500)}`;
    expect(words.length).toBeGreaterThan(650_000);
    body = feed(item('Alita 2 sequel: filming starts', 'a'), item('The endless Alita 2 sequel liveblog', 'huge', words, 21), item('Alita 2 sequel casting news', 'b', undefined, 19));

    const result = await poll(analyze);
    expect(titles(result.announced)).toEqual(['Alita 2 sequel casting news', 'Alita 2 sequel: filming starts', 'The endless Alita 2 sequel liveblog']);
    expect(skippedLines()).toEqual([]);
    expect(await temp.stores.news.getFeedState(result.feed)).toMatchObject({ consecutiveFailures: 0 });
  });

  it('whose content nests 20,000 elements deep (too deep to rebuild) is skipped with a logged reason; the rest is announced', async () => {
    const deep = `${'<div>'.repeat(20_000)}Alita 2 sequel${'</div>'.repeat(20_000)}`;
    body = feed(item('Alita 2 sequel: filming starts', 'a'), item('A very deep Alita 2 sequel page', 'deep', deep, 21), item('Alita 2 sequel casting news', 'b', undefined, 19));

    const result = await poll(analyze);
    expect(titles(result.announced)).toEqual(['Alita 2 sequel casting news', 'Alita 2 sequel: filming starts']);
    const skipped = skippedLines();
    expect(skipped).toHaveLength(1);
    expect(skipped[0]).toContain(`feed=${server.url}/feed.xml`);
    expect(skipped[0]).toContain('title="A very deep Alita 2 sequel page"');
    expect(skipped[0]).toContain('link=https://news.example.com/deep');
    expect(skipped[0]).toMatch(/reason="?Maximum call stack size exceeded/);
    expect(await temp.stores.news.getFeedState(result.feed)).toMatchObject({ consecutiveFailures: 0, initialized: true });
  });

  it('whose title nests 100,000 <name> elements deep is read like any other', async () => {
    const title = `${'<name>'.repeat(100_000)}Alita 2 sequel: the deep title${'</name>'.repeat(100_000)}`;
    body = feed(item('Alita 2 sequel: filming starts', 'a'), item(title, 'deep-title', undefined, 21));

    const result = await poll(analyze);
    expect(titles(result.announced)).toEqual(['Alita 2 sequel: filming starts', 'Alita 2 sequel: the deep title']);
    expect(skippedLines()).toEqual([]);
  });
});

describe('an item whose announcement cannot be formatted', () => {
  it('is left out with a logged reason; the feed’s other items are announced and the poll succeeds', async () => {
    body = feed(item('Alita 2 sequel: filming starts', 'a'), item('Alita 2 sequel: the cursed headline', 'cursed', undefined, 21), item('Alita 2 sequel casting news', 'b', undefined, 19));
    const format: PollDeps['format'] = (one) => {
      if (one.title.includes('cursed')) throw new RangeError('Maximum call stack size exceeded');
      return formatAnnouncement(one);
    };

    const result = await poll(undefined, { format });
    expect(titles(result.announced)).toEqual(['Alita 2 sequel casting news', 'Alita 2 sequel: filming starts']);
    expect((await temp.stores.outbox.pending()).map((entry) => entry.title).sort()).toEqual(['Alita 2 sequel casting news', 'Alita 2 sequel: filming starts']);
    const skipped = skippedLines();
    expect(skipped).toHaveLength(1);
    expect(skipped[0]).toContain('title="Alita 2 sequel: the cursed headline"');
    expect(skipped[0]).toContain('link=https://news.example.com/cursed');
    expect(skipped[0]).toContain('no message: Maximum call stack size exceeded');
  });
});
