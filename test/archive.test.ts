import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { NewsItem } from '../src/engine/types.ts';
import { ARCHIVE_LIMIT, NewsStore, RECENT_LIMIT } from '../src/store/news-store.ts';
import { tempSqliteStore } from './support/store.ts';

let temp: Awaited<ReturnType<typeof tempSqliteStore>>;
beforeEach(async () => {
  temp = await tempSqliteStore();
});
afterEach(() => temp.cleanup());

const item = (n: number): NewsItem => ({ id: `id-${n}`, feed: 'f', source: 's', title: `Alita 2 news ${n}`, summary: '', published: new Date(Date.UTC(2020, 0, 1) + n * 60_000).toISOString() });
const byDate = (i: NewsItem) => i.published!;

describe('archive', () => {
  it('keeps the newest items for /latest in one small read, newest first', async () => {
    const store = new NewsStore(temp.keyv);
    await store.addToArchive([item(1), item(3)], byDate);
    await store.addToArchive([item(2), item(3)], byDate);
    expect((await store.archive()).map((i) => i.id)).toEqual(['id-3', 'id-2', 'id-1']);
    expect(await store.archivedCount()).toBe(3);
  });

  it('holds up to ARCHIVE_LIMIT items, dropping the oldest, while /latest reads only RECENT_LIMIT', async () => {
    const store = new NewsStore(temp.keyv);
    const total = ARCHIVE_LIMIT + 50;
    for (let start = 0; start < total; start += 2_000) {
      await store.addToArchive(Array.from({ length: Math.min(2_000, total - start) }, (_, i) => item(start + i)), byDate);
    }
    expect(await store.archivedCount()).toBe(ARCHIVE_LIMIT);
    const recent = await store.archive();
    expect(recent).toHaveLength(RECENT_LIMIT);
    expect(recent[0]!.id).toBe(`id-${total - 1}`);
    expect(await temp.keyv.get('archive:item:id-0')).toBeUndefined();
    expect(await temp.keyv.get(`archive:item:id-${total - 1}`)).toMatchObject({ id: `id-${total - 1}` });
  });
});
