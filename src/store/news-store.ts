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

export const ARCHIVE_LIMIT = 1000;

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

  /** On-topic items, newest first. */
  async archive(): Promise<NewsItem[]> {
    return (await this.keyv.get<NewsItem[]>('archive')) ?? [];
  }

  async addToArchive(items: NewsItem[], sortKey: (item: NewsItem) => string): Promise<void> {
    if (items.length === 0) return;
    const ids = new Set(items.map((item) => item.id));
    const merged = [...items, ...(await this.archive()).filter((item) => !ids.has(item.id))];
    merged.sort((a, b) => sortKey(b).localeCompare(sortKey(a)));
    await this.keyv.set('archive', merged.slice(0, ARCHIVE_LIMIT));
  }
}
