/** A malformed row (bad JSON, wrong shape) is skipped and reported once per key: never thrown. */
import Keyv from 'keyv';
import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { KeyvSqlStore } from '../../src/store/sql/keyv-store.ts';
import { entry, freshStores, newsItem, type Engine } from './fixtures.ts';

export function malformedContract(engine: () => Engine): void {
  describe('malformed rows', () => {
    const current = freshStores(engine);

    it('are skipped and logged once, with their table and key', async () => {
      const { stores, log } = current();
      const { db } = stores.database;
      await stores.news.setFeedState('https://good', { initialized: true });
      await stores.news.recordPoll({ feedUrl: 'f', itemIds: [], scopes: [], titleHashes: [] }, () => ({ result: undefined, archive: [{ item: newsItem('good'), sortKey: '1' }] }));
      await stores.outbox.enqueue([entry('c1', 'good')], new Date());
      await stores.settings.setGuild({ guildId: 'good', channelId: 'c', updatedAt: 't' });
      // Written behind the store's back, as a bug, a hand edit or a newer bot could.
      await db.insertInto('feed_state').values({ url: 'https://bad', state: '{not json' }).execute();
      await db.insertInto('archive').values({ item_id: 'bad', feed_url: 'f', sort_key: '2', archived_seq: 99, item: '{"id": 1}' }).execute();
      await db.insertInto('outbox').values({ channel_id: 'c1', item_id: 'bad', guild_id: null, title: 't', body: 'nope', batch: '', at: '', enqueued_at: 't' }).execute();
      await db.insertInto('guild_settings').values({ guild_id: 'bad', channel_id: 'c', role_id: null, updated_at: 't', updated_by: null, extra: '[1,' }).execute();
      await db.insertInto('status').values({ key: 'lastPoll', value: '{"at": 5}' }).execute();
      await db.insertInto('keyv').values({ key: 'quotes:bundled:bad', value: 'garbage' }).execute();
      await db.insertInto('keyv').values({ key: 'quotes:bundled:odd', value: JSON.stringify({ value: { id: 'odd' } }) }).execute();
      await stores.quotes.seed([{ id: 'good', speaker: 's', date: '2024', text: 't', source: { title: 'x' } }]);

      for (let round = 0; round < 2; round++) {
        expect([...(await stores.news.getFeedStates(['https://good', 'https://bad'])).keys()]).toEqual(['https://good']);
        expect((await stores.news.latest({ limit: 10 })).map((i) => i.id)).toEqual(['good']);
        expect((await stores.outbox.pending()).map((e) => e.itemId)).toEqual(['good']);
        expect((await stores.settings.guilds()).map((g) => g.guildId)).toEqual(['good']);
        expect(await stores.settings.lastPoll()).toBeUndefined();
        expect((await stores.quotes.forGuild()).map((q) => q.id)).toEqual(['good']);
        expect(await stores.keyv.get('bundled:bad')).toBeUndefined();
      }
      const reported = log.warnings.map((w) => `${String(w.context?.table)} ${String(w.context?.key)}`).sort();
      expect(reported).toEqual(['archive bad', 'feed_state https://bad', 'guild_settings bad', 'keyv quotes:bundled:bad', 'keyv quotes:bundled:odd', 'outbox c1:bad', 'status lastPoll']);
    });

    it('a bad value under a Keyv key reads as missing through Keyv, not as an exception', async () => {
      const { stores, log } = current();
      await sql`insert into keyv (key, value) values ('ns:k', '{"value": ')`.execute(stores.database.db);
      const keyv = new Keyv({ store: new KeyvSqlStore(stores.database, log), namespace: 'ns', throwOnErrors: true });
      expect(await keyv.get('k')).toBeUndefined();
      expect(await keyv.getMany(['k'])).toEqual([undefined]);
      expect(log.warnings).toHaveLength(1);
    });
  });
}
