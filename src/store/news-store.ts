import type Keyv from 'keyv';
import type { FetchValidators } from '../engine/fetch.ts';
import type { NewsItem } from '../engine/types.ts';

/** What the bot remembers about one feed between polls. */
export interface FeedState {
  validators?: FetchValidators;
  /** Set after the first successful poll; a feed without it is new and announces nothing. */
  initialized?: boolean;
  lastSuccess?: string;
  lastAttempt?: string;
  consecutiveFailures?: number;
  lastError?: string;
}

/** A story already seen, under its normalised title, for the cross-feed 48-hour check. */
export interface StoryMark {
  id: string;
  /** Published date, else the time it was first seen. */
  at: string;
}

export interface SeenMark {
  firstSeen: string;
  relevant: boolean;
}

/** How many on-topic items the archive keeps (each under its own key). */
export const ARCHIVE_LIMIT = 10_000;
/** The newest items, kept together so /latest is one small read however big the archive is. */
export const RECENT_LIMIT = 100;

interface ArchiveEntry {
  id: string;
  sortKey: string;
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
    return ((await this.keyv.get<ArchiveEntry[]>('archive:index')) ?? []).length;
  }

  /**
   * Adds on-topic items: each under its own key with a compact index (capped at
   * ARCHIVE_LIMIT, oldest dropped), and the newest RECENT_LIMIT again in one key for /latest.
   */
  async addToArchive(items: NewsItem[], sortKey: (item: NewsItem) => string): Promise<void> {
    if (items.length === 0) return;
    const ids = new Set(items.map((item) => item.id));
    const newestFirst = (a: { sortKey: string }, b: { sortKey: string }) => b.sortKey.localeCompare(a.sortKey);
    const added = items.map((item) => ({ id: item.id, sortKey: sortKey(item) }));
    const index = [...added, ...((await this.keyv.get<ArchiveEntry[]>('archive:index')) ?? []).filter((e) => !ids.has(e.id))].sort(newestFirst);
    const dropped = index.slice(ARCHIVE_LIMIT).map((e) => `archive:item:${e.id}`);
    await this.keyv.setMany(items.map((item) => ({ key: `archive:item:${item.id}`, value: item })));
    await this.keyv.set('archive:index', index.slice(0, ARCHIVE_LIMIT));
    if (dropped.length > 0) await this.keyv.deleteMany(dropped);
    const keyOf = new Map(index.map((e) => [e.id, e.sortKey]));
    const recent = [...items, ...(await this.archive()).filter((item) => !ids.has(item.id))]
      .sort((a, b) => (keyOf.get(b.id) ?? '').localeCompare(keyOf.get(a.id) ?? ''))
      .slice(0, RECENT_LIMIT);
    await this.keyv.set('archive:recent', recent);
  }
}
