/** The archive /latest reads: filled by recordPoll, read newest first, per feed, and bounded. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { NewsItem } from '../src/engine/types.ts';
import { silentLogger } from '../src/log.ts';
import { NewsStore, openStores, type Stores } from '../src/store/sql/index.ts';

let dir: string;
let stores: Stores;
beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'alita-archive-'));
  stores = await openStores(`sqlite://${join(dir, 'bot.sqlite')}`, silentLogger);
});
afterEach(async () => {
  await stores.close();
  rmSync(dir, { recursive: true, force: true });
});

const F = 'https://f.example/rss';
const G = 'https://g.example/rss';
const item = (n: number, feed = F, title = `Alita 2 news ${n}`): NewsItem => ({ id: `id-${n}`, feed, source: 's', title, summary: '', published: new Date(Date.UTC(2020, 0, 1) + n * 60_000).toISOString() });

/** Archives items as a poll of their feed does. */
async function archive(store: NewsStore, items: NewsItem[]): Promise<void> {
  const feedUrl = items[0]!.feed;
  await store.recordPoll({ feedUrl, itemIds: items.map((i) => i.id), scopes: [], titleHashes: [] }, () => ({ result: undefined, archive: items.map((i) => ({ item: i, sortKey: i.published! })) }));
}
const idsOf = (items: NewsItem[]) => items.map((i) => i.id);

describe('archive', () => {
  it('is read newest first, up to the limit asked, an edited item replacing its row', async () => {
    await archive(stores.news, [item(1), item(3)]);
    await archive(stores.news, [item(2), item(3, F, 'Alita 2 news 3, edited')]);
    expect(idsOf(await stores.news.latest({ limit: 10 }))).toEqual(['id-3', 'id-2', 'id-1']);
    expect((await stores.news.latest({ limit: 1 }))[0]!.title).toBe('Alita 2 news 3, edited');
    expect(await stores.news.archivedCount()).toBe(3);
  });

  it('keeps the items of the feeds asked for only (how /latest scopes a server)', async () => {
    await archive(stores.news, [item(1, F), item(2, F)]);
    await archive(stores.news, [item(3, G)]);
    expect(idsOf(await stores.news.latest({ feedUrls: [F], limit: 10 }))).toEqual(['id-2', 'id-1']);
    expect(idsOf(await stores.news.latest({ feedUrls: [G, 'https://none.example/rss'], limit: 10 }))).toEqual(['id-3']);
    expect(await stores.news.latest({ feedUrls: [], limit: 10 })).toEqual([]);
  });

  it('holds at most its limit, dropping the earliest archived', async () => {
    const small = new NewsStore(stores.database, silentLogger, { archiveLimit: 5 });
    await archive(small, [1, 2, 3, 4].map((n) => item(n)));
    await archive(small, [5, 6, 7].map((n) => item(n)));
    expect(await small.archivedCount()).toBe(5);
    expect(idsOf(await small.latest({ limit: 10 }))).toEqual(['id-7', 'id-6', 'id-5', 'id-4', 'id-3']);
  });
});
