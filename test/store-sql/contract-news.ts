/** NewsStore on any engine: feed states, recordPoll (one transaction), story marks, the archive. */
import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { NewsStore, type RecordPlan } from '../../src/store/sql/news.ts';
import { at, entry, freshStores, newsItem, type Engine } from './fixtures.ts';

export function newsContract(engine: () => Engine): void {
  describe('news store', () => {
    const current = freshStores(engine);

    it('round-trips feed states, many in one read', async () => {
      const { news } = current().stores;
      await news.setFeedState('https://a', { initialized: true, validators: { etag: '"x"' } });
      await news.setFeedState('https://b', { consecutiveFailures: 2, paused: true });
      await news.setFeedState('https://a', { initialized: true, lastSuccess: at(1) });
      const states = await news.getFeedStates(['https://a', 'https://b', 'https://unknown']);
      expect([...states.keys()].sort()).toEqual(['https://a', 'https://b']);
      expect(states.get('https://a')).toEqual({ initialized: true, lastSuccess: at(1) });
      expect(states.get('https://b')).toEqual({ consecutiveFailures: 2, paused: true });
      expect(await news.getFeedState('https://unknown')).toBeUndefined();
    });

    it('recordPoll reads what is known, writes the whole plan, and returns its result', async () => {
      const { news, outbox } = current().stores;
      const first = await news.recordPoll({ feedUrl: 'https://a', itemIds: ['i1', 'i2'], scopes: ['c1'], titleHashes: ['h1'] }, (known) => {
        expect(known.seen.size).toBe(0);
        expect(known.marks).toEqual([]);
        return {
          result: 'first',
          seen: [{ itemId: 'i1', firstSeen: at(0), relevant: true }, { itemId: 'i2', firstSeen: at(0), relevant: false }],
          marks: [{ scope: 'c1', titleHash: 'h1', itemId: 'i1', at: at(0) }, { scope: 'c2', titleHash: 'h1', itemId: 'i1', at: at(0) }],
          archive: [{ item: newsItem('i1', { feed: 'https://a' }), sortKey: at(0) }],
          outbox: { entries: [entry('c1', 'i1')], now: new Date(at(0)) },
          feedState: { initialized: true },
        };
      });
      expect(first).toBe('first');
      await news.recordPoll({ feedUrl: 'https://a', itemIds: ['i1', 'i2', 'i3'], scopes: ['c1', 'archive'], titleHashes: ['h1', 'h9'] }, (known) => {
        expect([...known.seen].sort()).toEqual(['i1', 'i2']);
        // Only the asked scopes: c2's mark is not c1's business.
        expect(known.marks).toEqual([{ scope: 'c1', titleHash: 'h1', itemId: 'i1', at: at(0) }]);
        return { result: undefined };
      });
      // markedIds narrows the look-up by id (a mark kept under another title), not by title or seen.
      await news.recordPoll({ feedUrl: 'https://a', itemIds: ['i1', 'i2'], scopes: ['c1'], titleHashes: ['h7'], markedIds: ['i1'] }, (known) => {
        expect([...known.seen].sort()).toEqual(['i1', 'i2']);
        expect(known.marks).toEqual([{ scope: 'c1', titleHash: 'h1', itemId: 'i1', at: at(0) }]);
        return { result: undefined };
      });
      await news.recordPoll({ feedUrl: 'https://a', itemIds: ['i1', 'i2'], scopes: ['c1'], titleHashes: ['h7'], markedIds: ['i2'] }, (known) => {
        expect(known.marks).toEqual([]);
        return { result: undefined };
      });
      expect(await news.getFeedState('https://a')).toEqual({ initialized: true });
      expect((await news.latest({ limit: 10 })).map((i) => i.id)).toEqual(['i1']);
      expect((await outbox.pending()).map((e) => e.key)).toEqual(['c1:i1']);
    });

    it('recordPoll writes nothing when decide throws or a write fails', async () => {
      const { stores } = current();
      const input = { feedUrl: 'https://a', itemIds: ['i1'], scopes: ['c1'], titleHashes: ['h1'] };
      await expect(stores.news.recordPoll(input, () => {
        throw new Error('decide failed');
      })).rejects.toThrow('decide failed');
      // The outbox row breaks NOT NULL after seen marks, story marks and the archive were written.
      const broken: RecordPlan<void> = {
        result: undefined,
        seen: [{ itemId: 'i1', firstSeen: at(0), relevant: true }],
        marks: [{ scope: 'c1', titleHash: 'h1', itemId: 'i1', at: at(0) }],
        archive: [{ item: newsItem('i1'), sortKey: at(0) }],
        outbox: { entries: [entry('c1', 'i1', { title: null as unknown as string })], now: new Date(at(0)) },
        feedState: { initialized: true },
      };
      await expect(stores.news.recordPoll(input, () => broken)).rejects.toThrow();
      await stores.news.recordPoll(input, (known) => {
        expect(known).toEqual({ seen: new Set(), marks: [] });
        return { result: undefined };
      });
      expect(await stores.news.archivedCount()).toBe(0);
      expect(await stores.news.getFeedState('https://a')).toBeUndefined();
      expect(await stores.outbox.pending()).toEqual([]);
    });

    it('ignores conflicts: the first seen mark stays, repeated marks and entries are no error', async () => {
      const { stores } = current();
      const plan = (firstSeen: string): RecordPlan<void> => ({
        result: undefined,
        seen: [{ itemId: 'i1', firstSeen, relevant: true }, { itemId: 'i1', firstSeen, relevant: true }],
        marks: [{ scope: 'c1', titleHash: 'h1', itemId: 'i1', at: firstSeen }],
        outbox: { entries: [entry('c1', 'i1'), entry('c1', 'i1')], now: new Date(firstSeen) },
      });
      await stores.news.recordPoll({ feedUrl: 'f', itemIds: [], scopes: [], titleHashes: [] }, () => plan(at(0)));
      await stores.news.recordPoll({ feedUrl: 'f', itemIds: [], scopes: [], titleHashes: [] }, () => plan(at(5)));
      const seen = await stores.database.db.selectFrom('seen').selectAll().execute();
      expect(seen).toEqual([{ feed_url: 'f', item_id: 'i1', first_seen: at(0), relevant: 1 }]);
      // Seen is per feed: another feed carrying the same item still finds it new.
      const other = await stores.news.recordPoll({ feedUrl: 'g', itemIds: ['i1'], scopes: ['c1'], titleHashes: [] }, (known) => ({ result: known }));
      expect(other.seen.size).toBe(0);
      expect(other.marks).toEqual([{ scope: 'c1', titleHash: 'h1', itemId: 'i1', at: at(0) }]);
      const marks = await stores.database.db.selectFrom('story_marks').selectAll().execute();
      expect(marks.map((m) => m.at)).toEqual([at(0)]);
      expect((await stores.outbox.pending()).length).toBe(1);
    });

    it('keeps the newest 20 story marks per scope and title', async () => {
      const { news } = current().stores;
      const marks = (scope: string, from: number, n: number) => Array.from({ length: n }, (_, i) => ({ scope, titleHash: 'h', itemId: `${scope}-${from + i}`, at: at(from + i) }));
      await news.recordPoll({ feedUrl: 'f', itemIds: [], scopes: [], titleHashes: [] }, () => ({ result: undefined, marks: [...marks('c1', 0, 15), ...marks('c2', 0, 3)] }));
      await news.recordPoll({ feedUrl: 'f', itemIds: [], scopes: [], titleHashes: [] }, () => ({ result: undefined, marks: marks('c1', 15, 10) }));
      await news.recordPoll({ feedUrl: 'f', itemIds: [], scopes: ['c1', 'c2'], titleHashes: ['h'] }, (known) => {
        const c1 = known.marks.filter((m) => m.scope === 'c1').map((m) => m.itemId).sort();
        expect(c1).toEqual(Array.from({ length: 20 }, (_, i) => `c1-${i + 5}`).sort());
        expect(known.marks.filter((m) => m.scope === 'c2')).toHaveLength(3);
        return { result: undefined };
      });
    });

    it('archive: an edit overwrites in place, the earliest archived go beyond the limit, latest filters by feed', async () => {
      const { stores, log } = current();
      const news = new NewsStore(stores.database, log, { archiveLimit: 4 });
      const record = (items: Array<[string, string, number]>) =>
        news.recordPoll({ feedUrl: 'f', itemIds: [], scopes: [], titleHashes: [] }, () => ({ result: undefined, archive: items.map(([id, feed, minute]) => ({ item: newsItem(id, { feed, title: `${id}@${minute}` }), sortKey: at(minute) })) }));
      // Archived first but published last: arrival order, not date, decides what is pruned.
      await record([['old-arrival', 'fa', 50], ['a2', 'fa', 2]]);
      await record([['b3', 'fb', 3], ['a4', 'fa', 4]]);
      await record([['a2', 'fa', 7]]);
      expect(await news.archivedCount()).toBe(4);
      expect((await news.latest({ limit: 10 })).map((i) => i.title)).toEqual(['old-arrival@50', 'a2@7', 'a4@4', 'b3@3']);
      await record([['b5', 'fb', 5]]);
      expect(await news.archivedCount()).toBe(4);
      expect((await news.latest({ limit: 10 })).map((i) => i.id)).toEqual(['a2', 'b5', 'a4', 'b3']);
      expect((await news.latest({ limit: 2 })).map((i) => i.id)).toEqual(['a2', 'b5']);
      expect((await news.latest({ limit: 10, feedUrls: ['fb'] })).map((i) => i.id)).toEqual(['b5', 'b3']);
      expect(await news.latest({ limit: 10, feedUrls: [] })).toEqual([]);
    });

    it('records a 500-item feed in one step (multi-row inserts in chunks)', async () => {
      const { stores } = current();
      const ids = Array.from({ length: 500 }, (_, i) => `item-${i}`);
      await stores.news.recordPoll({ feedUrl: 'big', itemIds: ids, scopes: ['c1', 'c2', 'archive'], titleHashes: ids }, () => ({
        result: undefined,
        seen: ids.map((itemId) => ({ itemId, firstSeen: at(0), relevant: true })),
        marks: ids.flatMap((itemId) => ['c1', 'c2', 'archive'].map((scope) => ({ scope, titleHash: itemId, itemId, at: at(0) }))),
        archive: ids.map((id) => ({ item: newsItem(id), sortKey: at(0) })),
        outbox: { entries: ids.flatMap((id) => [entry('c1', id), entry('c2', id)]), now: new Date(at(0)) },
        feedState: { initialized: true },
      }));
      const count = async (table: 'seen' | 'story_marks' | 'archive' | 'outbox') => Number((await sql<{ n: number }>`select count(*) as n from ${sql.table(table)}`.execute(stores.database.db)).rows[0]?.n);
      expect([await count('seen'), await count('story_marks'), await count('archive'), await count('outbox')]).toEqual([500, 1500, 500, 1000]);
      await stores.news.recordPoll({ feedUrl: 'big', itemIds: ids, scopes: ['c1'], titleHashes: ids }, (known) => {
        expect(known.seen.size).toBe(500);
        expect(known.marks).toHaveLength(500);
        return { result: undefined };
      });
    });

    // Seen marks and /latest's feeds are bound as one list parameter (lists.ts): any id or URL,
    // quotes, commas, braces and backslashes included, must come back exactly as it went in.
    it('seen marks and /latest\'s feed list keep any characters, in lists of any length', async () => {
      const { news } = current().stores;
      const odd = ['a"b', 'c,d', '{e}', 'f\\g', "h'i", 'NULL', '', 'ünï 𝄞', 'j k'];
      const ids = [...odd, ...Array.from({ length: 700 }, (_, i) => `id-${i}`)];
      await news.recordPoll({ feedUrl: 'odd', itemIds: ids, scopes: [], titleHashes: [] }, (known) => {
        expect(known.seen.size).toBe(0);
        return { result: undefined, seen: ids.map((itemId, i) => ({ itemId, firstSeen: at(0), relevant: i % 2 === 0 })) };
      });
      await news.recordPoll({ feedUrl: 'odd', itemIds: [...odd, 'never-seen'], scopes: [], titleHashes: [] }, (known) => {
        expect([...known.seen].sort()).toEqual([...odd].sort());
        return { result: undefined };
      });
      const feeds = [...odd, ...Array.from({ length: 600 }, (_, i) => `https://feeds.example/${i}.xml`)];
      const archive = feeds.map((feed, i) => ({ item: newsItem(`item-${i}`, { feed }), sortKey: at(i) }));
      await news.recordPoll({ feedUrl: 'odd', itemIds: [], scopes: [], titleHashes: [] }, () => ({ result: undefined, archive }));
      expect((await news.latest({ limit: 3, feedUrls: feeds })).map((i) => i.id)).toEqual(['item-608', 'item-607', 'item-606']);
      expect((await news.latest({ limit: 10, feedUrls: odd })).map((i) => i.feed)).toEqual([...odd].reverse());
      expect((await news.latest({ limit: 10, feedUrls: ['https://feeds.example/5.xml', 'elsewhere'] })).map((i) => i.id)).toEqual([`item-${odd.length + 5}`]);
    });
  });
}
