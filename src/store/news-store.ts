import type Keyv from 'keyv';
import type { NewsItem } from '../engine/types.ts';
import type { FeedState } from '../engine/feed-state.ts';
import type { StoryMark } from '../engine/dedupe.ts';

export type { FeedState, StoryMark };

export interface SeenMark {
  firstSeen: string;
  relevant: boolean;
}

/** How many on-topic items the archive keeps (each under its own key). */
export const ARCHIVE_LIMIT = 10_000;
/** The newest items, kept together so /latest is one small read however big the archive is. */
export const RECENT_LIMIT = 100;

/** Ids in arrival order, in chunks, so adding to a big archive touches one small value. */
const CHUNK = 500;

interface ArchiveMeta {
  head: number;
  tail: number;
  count: number;
}

/**
 * The engine's memory on top of Keyv. Keys are small and per item, so a feed with thousands
 * of items costs one getMany and one setMany per poll, on SQLite and Redis alike.
 */
export class NewsStore {
  constructor(readonly keyv: Keyv) {}

  async getFeedState(feed: string): Promise<FeedState | undefined> {
    return (await this.keyv.get<FeedState>(`feed:${feed}`)) ?? undefined;
  }

  /** getFeedState for many feeds in one store round trip (a cycle reads every feed's). */
  async getFeedStates(feeds: string[]): Promise<Array<FeedState | undefined>> {
    if (feeds.length === 0) return [];
    const values = await this.keyv.getMany<FeedState>(feeds.map((feed) => `feed:${feed}`));
    return values.map((value) => value ?? undefined);
  }

  async setFeedState(feed: string, state: FeedState): Promise<void> {
    await this.keyv.set(`feed:${feed}`, state);
  }

  /** For each id, whether it was seen before. */
  async seen(ids: string[]): Promise<boolean[]> {
    if (ids.length === 0) return [];
    const values = await this.keyv.getMany<SeenMark>(ids.map((id) => `seen:${id}`));
    return values.map((value) => value !== undefined && value !== null);
  }

  async markSeen(marks: Array<{ id: string } & SeenMark>): Promise<void> {
    if (marks.length === 0) return;
    await this.keyv.setMany(marks.map(({ id, ...mark }) => ({ key: `seen:${id}`, value: mark })));
  }

  async storyMarks(titleKeys: string[]): Promise<StoryMark[][]> {
    if (titleKeys.length === 0) return [];
    const values = await this.keyv.getMany<StoryMark[]>(titleKeys.map((key) => `story:${key}`));
    return values.map((value) => value ?? []);
  }

  async setStoryMarks(entries: Array<{ titleKey: string; marks: StoryMark[] }>): Promise<void> {
    if (entries.length === 0) return;
    await this.keyv.setMany(entries.map(({ titleKey, marks }) => ({ key: `story:${titleKey}`, value: marks })));
  }

  /** The newest on-topic items, newest first (at most RECENT_LIMIT). */
  async archive(): Promise<NewsItem[]> {
    return (await this.keyv.get<NewsItem[]>('archive:recent')) ?? [];
  }

  async archivedCount(): Promise<number> {
    return (await this.archiveMeta()).count;
  }

  private async archiveMeta(): Promise<ArchiveMeta> {
    return (await this.keyv.get<ArchiveMeta>('archive:meta')) ?? { head: 0, tail: 0, count: 0 };
  }

  /**
   * Adds on-topic items: each under its own key (an edit overwrites it), new ids appended to
   * chunked lists, the earliest-archived dropped beyond ARCHIVE_LIMIT; the newest RECENT_LIMIT
   * by date are kept again in one key for /latest.
   */
  async addToArchive(items: NewsItem[], sortKey: (item: NewsItem) => string): Promise<void> {
    if (items.length === 0) return;
    const unique = [...new Map(items.map((item) => [item.id, item])).values()];
    const known = await this.keyv.getMany<NewsItem>(unique.map((item) => `archive:item:${item.id}`));
    const fresh = unique.filter((_, i) => !known[i]).map((item) => item.id);
    await this.keyv.setMany(unique.map((item) => ({ key: `archive:item:${item.id}`, value: item })));
    const meta = await this.archiveMeta();
    let chunk = (await this.keyv.get<string[]>(`archive:chunk:${meta.head}`)) ?? [];
    for (const id of fresh) {
      if (chunk.length >= CHUNK) {
        await this.keyv.set(`archive:chunk:${meta.head}`, chunk);
        meta.head++;
        chunk = [];
      }
      chunk.push(id);
    }
    await this.keyv.set(`archive:chunk:${meta.head}`, chunk);
    meta.count += fresh.length;
    while (meta.count > ARCHIVE_LIMIT && meta.tail <= meta.head) {
      const oldest = (await this.keyv.get<string[]>(`archive:chunk:${meta.tail}`)) ?? [];
      const drop = oldest.slice(0, meta.count - ARCHIVE_LIMIT);
      await this.keyv.deleteMany(drop.map((id) => `archive:item:${id}`));
      meta.count -= drop.length;
      if (drop.length === oldest.length && meta.tail < meta.head) {
        await this.keyv.delete(`archive:chunk:${meta.tail}`);
        meta.tail++;
      } else {
        await this.keyv.set(`archive:chunk:${meta.tail}`, oldest.slice(drop.length));
      }
      if (drop.length === 0) break;
    }
    await this.keyv.set('archive:meta', meta);
    const ids = new Set(unique.map((item) => item.id));
    const recent = [...unique, ...(await this.archive()).filter((item) => !ids.has(item.id))]
      .sort((a, b) => sortKey(b).localeCompare(sortKey(a)))
      .slice(0, RECENT_LIMIT);
    await this.keyv.set('archive:recent', recent);
  }
}
