/** Migrations on any engine: from empty, from version 1 with data, a too-new database, racing openers. */
import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/store/sql/database.ts';
import { SchemaTooNewError } from '../../src/store/sql/errors.ts';
import { openStores } from '../../src/store/sql/index.ts';
import { SCHEMA_VERSION, schemaVersion } from '../../src/store/sql/migrations.ts';
import { recordingLogger, type Engine } from './fixtures.ts';

export function migrationContract(engine: () => Engine): void {
  describe('migrations', () => {
    const log = recordingLogger();
    const versions = async (url: string) => {
      const database = await openDatabase(url, log);
      try {
        return (await database.db.selectFrom('schema_migrations').select('version').orderBy('version').execute()).map((r) => r.version);
      } finally {
        await database.close();
      }
    };

    it('bring an empty database to the current version', async () => {
      const url = await engine().freshUrl('empty');
      const database = await openDatabase(url, log);
      expect(await schemaVersion(database.db)).toBe(SCHEMA_VERSION);
      await database.close();
      expect(await versions(url)).toEqual([1, 2, 3, 4, 5]);
    });

    it('upgrade a version-1 database and keep its rows', async () => {
      const url = await engine().freshUrl('v1');
      const old = await openDatabase(url, log, { schemaVersion: 1 });
      expect(await schemaVersion(old.db)).toBe(1);
      // Version 1 has no keyv table and no outbox kind: write as a version-1 bot would.
      await expect(sql`select count(*) from keyv`.execute(old.db)).rejects.toThrow();
      await sql`insert into outbox (channel_id, item_id, guild_id, title, body, batch, at, enqueued_at)
        values ('c1', 'i1', null, 'T', ${JSON.stringify({ embeds: [], allowed_mentions: { parse: [] } })}, 'b1', 'a1', 't')`.execute(old.db);
      await old.db.insertInto('guild_settings').values({ guild_id: 'g1', channel_id: 'c1', role_id: null, updated_at: 't', updated_by: null, extra: null }).execute();
      await old.db.insertInto('feed_state').values({ url: 'https://a', state: '{"initialized":true}' }).execute();
      await old.close();

      const stores = await openStores(url, log);
      try {
        expect(await schemaVersion(stores.database.db)).toBe(SCHEMA_VERSION);
        expect((await stores.outbox.pending()).map((e) => [e.key, e.kind])).toEqual([['c1:i1', 'post']]);
        expect(await stores.settings.guild('g1')).toMatchObject({ channelId: 'c1' });
        expect(await stores.news.getFeedState('https://a')).toEqual({ initialized: true });
        await stores.keyv.set('k', 'v');
        expect(await stores.keyv.get('k')).toBe('v');
      } finally {
        await stores.close();
      }
    });

    it('upgrade a version-2 database: its servers\' feeds stay, none declared about Alita', async () => {
      const url = await engine().freshUrl('v2');
      const old = await openDatabase(url, log, { schemaVersion: 2 });
      await old.db.insertInto('guild_feeds').values({ guild_id: 'g1', url: 'https://f.example/1', added_at: 't', added_by: 'mod' }).execute();
      await old.close();
      const stores = await openStores(url, log);
      try {
        expect(await schemaVersion(stores.database.db)).toBe(SCHEMA_VERSION);
        expect(await stores.settings.guildFeeds('g1')).toEqual([{ guildId: 'g1', url: 'https://f.example/1', addedAt: 't', addedBy: 'mod' }]);
      } finally {
        await stores.close();
      }
    });

    it('upgrade a version-3 database: delivered messages are not published, servers keep the default', async () => {
      const url = await engine().freshUrl('v3');
      const old = await openDatabase(url, log, { schemaVersion: 3 });
      await old.db.insertInto('guild_settings').values({ guild_id: 'g1', channel_id: 'c1', role_id: null, updated_at: 't', updated_by: null, extra: null } as never).execute();
      await old.db.insertInto('outbox').values({ channel_id: 'c1', item_id: 'i1', guild_id: 'g1', title: 'T', body: '{"embeds":[],"allowed_mentions":{"parse":[]}}', batch: 'b', at: 'a', state: 'delivered', enqueued_at: 't', finished_at: 't' } as never).execute();
      await old.close();
      const stores = await openStores(url, log);
      try {
        expect(await schemaVersion(stores.database.db)).toBe(SCHEMA_VERSION);
        expect(await stores.settings.guild('g1')).toEqual({ guildId: 'g1', channelId: 'c1', updatedAt: 't' });
        expect(await stores.outbox.pendingPublishes()).toEqual([]);
        expect(await stores.outbox.counts()).toMatchObject({ publishing: 0 });
      } finally {
        await stores.close();
      }
    });

    it('refuse a database newer than this bot with one clear line', async () => {
      const url = await engine().freshUrl('future');
      const database = await openDatabase(url, log);
      await database.db.insertInto('schema_migrations').values({ version: SCHEMA_VERSION + 1, name: 'from the future', applied_at: 't' }).execute();
      await database.close();
      const opening = openDatabase(url, log);
      await expect(opening).rejects.toBeInstanceOf(SchemaTooNewError);
      await expect(opening).rejects.toThrow(
        `DATABASE_URL: the database is at schema version ${SCHEMA_VERSION + 1}, newer than this bot's ${SCHEMA_VERSION}; run a newer version of the bot or restore a backup`,
      );
    });

    it('let openers racing on an empty database all succeed, migrating once', async () => {
      const url = await engine().freshUrl('race');
      const opened = await Promise.all(Array.from({ length: 4 }, () => openDatabase(url, log)));
      await Promise.all(opened.map((d) => d.close()));
      expect(await versions(url)).toEqual([1, 2, 3, 4, 5]);
    });
  });
}
