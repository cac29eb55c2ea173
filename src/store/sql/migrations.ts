/**
 * Versioned migrations, in code. The mechanism is our own `schema_migrations` table (version,
 * name, applied_at), not Kysely's Migrator: all pending migrations and the version check run in
 * ONE transaction under a lock (SQLite: BEGIN IMMEDIATE; PostgreSQL: an advisory lock), so two
 * processes starting at once on an empty database both succeed, one migrating, the other
 * finding it done. DDL is transactional on both engines: a failed migration leaves nothing.
 * Never edit a shipped migration; add the next one.
 */
import { sql, type Kysely } from 'kysely';
import type { Database } from './database.ts';
import { SchemaTooNewError } from './errors.ts';
import { lockFor } from './locks.ts';
import type { Tables } from './tables.ts';

export interface Migration {
  version: number;
  name: string;
  up(db: Kysely<any>, kind: Database['kind']): Promise<void>;
}

/** An autoincrementing integer id: monotonic on SQLite too (AUTOINCREMENT never reuses a deleted top id). */
function idColumn(db: Kysely<any>, kind: Database['kind'], table: string) {
  return db.schema.createTable(table).addColumn('id', 'integer', (c) => (kind === 'sqlite' ? c.primaryKey().autoIncrement() : c.primaryKey().generatedByDefaultAsIdentity()));
}

const core: Migration = {
  version: 1,
  name: 'core tables',
  async up(db, kind) {
    await db.schema.createTable('feed_state').addColumn('url', 'text', (c) => c.primaryKey()).addColumn('state', 'text', (c) => c.notNull()).execute();
    // Seen per feed: an item one server's feed brought is still new to an operator feed that
    // carries it later (record-plan.ts), so the servers the first feed did not reach get it.
    await db.schema
      .createTable('seen')
      .addColumn('feed_url', 'text', (c) => c.notNull())
      .addColumn('item_id', 'text', (c) => c.notNull())
      .addColumn('first_seen', 'text', (c) => c.notNull())
      .addColumn('relevant', 'integer', (c) => c.notNull())
      .addPrimaryKeyConstraint('seen_pk', ['feed_url', 'item_id'])
      .execute();
    await db.schema
      .createTable('story_marks')
      .addColumn('scope', 'text', (c) => c.notNull())
      .addColumn('title_hash', 'text', (c) => c.notNull())
      .addColumn('item_id', 'text', (c) => c.notNull())
      .addColumn('at', 'text', (c) => c.notNull())
      .addPrimaryKeyConstraint('story_marks_pk', ['scope', 'title_hash', 'item_id'])
      .execute();
    // A channel's marks are also read by item id: an item it holds is not announced there again.
    await db.schema.createIndex('story_marks_item').on('story_marks').columns(['scope', 'item_id']).execute();
    await db.schema
      .createTable('archive')
      .addColumn('item_id', 'text', (c) => c.primaryKey())
      .addColumn('feed_url', 'text', (c) => c.notNull())
      .addColumn('sort_key', 'text', (c) => c.notNull())
      .addColumn('archived_seq', 'bigint', (c) => c.notNull())
      .addColumn('item', 'text', (c) => c.notNull())
      .execute();
    // /latest: newest first, overall or for a server's feeds; pruning: earliest archived first.
    await db.schema.createIndex('archive_newest').on('archive').columns(['sort_key', 'archived_seq']).execute();
    await db.schema.createIndex('archive_feed_newest').on('archive').columns(['feed_url', 'sort_key']).execute();
    await db.schema.createIndex('archive_seq').on('archive').column('archived_seq').execute();
    await idColumn(db, kind, 'outbox')
      .addColumn('channel_id', 'text', (c) => c.notNull())
      .addColumn('item_id', 'text', (c) => c.notNull())
      .addColumn('guild_id', 'text')
      .addColumn('title', 'text', (c) => c.notNull())
      .addColumn('body', 'text', (c) => c.notNull())
      .addColumn('batch', 'text', (c) => c.notNull().defaultTo(''))
      .addColumn('at', 'text', (c) => c.notNull().defaultTo(''))
      .addColumn('state', 'text', (c) => c.notNull().defaultTo('pending').check(sql`state in ('pending', 'delivered', 'dead')`))
      .addColumn('enqueued_at', 'text', (c) => c.notNull())
      .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('next_attempt_at', 'text')
      .addColumn('last_error', 'text')
      .addColumn('finished_at', 'text')
      .addColumn('reason', 'text')
      .addUniqueConstraint('outbox_channel_item', ['channel_id', 'item_id'])
      .execute();
    await db.schema.createIndex('outbox_queue').on('outbox').columns(['state', 'batch', 'at', 'id']).execute();
    await db.schema.createIndex('outbox_finished').on('outbox').columns(['state', 'finished_at']).execute();
    await db.schema
      .createTable('guild_settings')
      .addColumn('guild_id', 'text', (c) => c.primaryKey())
      .addColumn('channel_id', 'text', (c) => c.notNull())
      .addColumn('role_id', 'text')
      .addColumn('updated_at', 'text', (c) => c.notNull())
      .addColumn('updated_by', 'text')
      .addColumn('extra', 'text')
      .execute();
    await db.schema
      .createTable('guild_feeds')
      .addColumn('guild_id', 'text', (c) => c.notNull())
      .addColumn('url', 'text', (c) => c.notNull())
      .addColumn('added_at', 'text', (c) => c.notNull())
      .addColumn('added_by', 'text')
      .addPrimaryKeyConstraint('guild_feeds_pk', ['guild_id', 'url'])
      .execute();
    await db.schema
      .createTable('leases')
      .addColumn('name', 'text', (c) => c.primaryKey())
      .addColumn('holder', 'text', (c) => c.notNull())
      .addColumn('expires_at', 'bigint', (c) => c.notNull())
      .execute();
    await db.schema.createTable('status').addColumn('key', 'text', (c) => c.primaryKey()).addColumn('value', 'text', (c) => c.notNull()).execute();
  },
};

const keyvAndDigests: Migration = {
  version: 2,
  name: 'keyv table, outbox kind',
  async up(db) {
    await db.schema.createTable('keyv').addColumn('key', 'text', (c) => c.primaryKey()).addColumn('value', 'text', (c) => c.notNull()).execute();
    // Existing entries were all single posts.
    await db.schema
      .alterTable('outbox')
      .addColumn('kind', 'text', (c) => c.notNull().defaultTo('post').check(sql`kind in ('post', 'digest')`))
      .execute();
    // The post/digest rule counts a channel's posts in one batch.
    await db.schema.createIndex('outbox_batch_kind').on('outbox').columns(['channel_id', 'batch', 'kind']).execute();
  },
};

const feedAboutAlita: Migration = {
  version: 3,
  name: 'guild feed about Alita',
  async up(db) {
    // A server's feed declared about Alita (/feeds add about_alita): its items need no mention of
    // Alita, only the sequel. Feeds added before were not declared.
    await db.schema.alterTable('guild_feeds').addColumn('about_alita', 'integer', (c) => c.notNull().defaultTo(0)).execute();
  },
};

const publishing: Migration = {
  version: 4,
  name: 'publishing, notify button, daily digest, message edits',
  async up(db, kind) {
    // The message a delivery made (to publish or edit it later), and its publish: 'no' (not an
    // announcement channel, or turned off), 'pending' (waits for Discord's limit), 'done', 'failed'.
    await db.schema.alterTable('outbox').addColumn('message_id', 'text').execute();
    await db.schema
      .alterTable('outbox')
      .addColumn('publish', 'text', (c) => c.notNull().defaultTo('no').check(sql`publish in ('no', 'pending', 'done', 'failed')`))
      .execute();
    await db.schema.alterTable('outbox').addColumn('publish_after', 'text').execute();
    await db.schema.alterTable('outbox').addColumn('published_at', 'text').execute();
    await db.schema.alterTable('outbox').addColumn('publish_attempts', 'integer', (c) => c.notNull().defaultTo(0)).execute();
    await db.schema.alterTable('outbox').addColumn('publish_error', 'text').execute();
    // Waiting publishes, and a channel's publishes of the last hour (Discord allows about 10).
    await db.schema.createIndex('outbox_publish').on('outbox').columns(['publish', 'id']).execute();
    await db.schema.createIndex('outbox_published').on('outbox').columns(['channel_id', 'published_at']).execute();
    // A server's /setup publish choice; null: the default (publish in announcement channels).
    await db.schema.alterTable('guild_settings').addColumn('publish', 'integer').execute();
    // Its /setup button choice; null: the default (a "Notify me" button when a ping role is set).
    await db.schema.alterTable('guild_settings').addColumn('notify_button', 'integer').execute();
    // /setup mode:digest hour:H: one message a day at H:00 UTC instead of a post per story; null: posts.
    await db.schema.alterTable('guild_settings').addColumn('digest_hour', 'integer').execute();
    // Living story messages: edits of an announced message, queued with the poll that caused them
    // and delivered like posts. One row per cause (another outlet's item), so a repeat is a no-op.
    await idColumn(db, kind, 'message_edits')
      .addColumn('channel_id', 'text', (c) => c.notNull())
      .addColumn('item_id', 'text', (c) => c.notNull())
      .addColumn('cause', 'text', (c) => c.notNull())
      .addColumn('payload', 'text', (c) => c.notNull())
      .addColumn('state', 'text', (c) => c.notNull().defaultTo('pending').check(sql`state in ('pending', 'done', 'dead')`))
      .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('next_attempt_at', 'text')
      .addColumn('last_error', 'text')
      .addColumn('enqueued_at', 'text', (c) => c.notNull())
      .addUniqueConstraint('message_edits_cause', ['channel_id', 'item_id', 'cause'])
      .execute();
    await db.schema.createIndex('message_edits_queue').on('message_edits').columns(['state', 'id']).execute();
  },
};

const quoteCandidates: Migration = {
  version: 5,
  name: 'quote candidates',
  async up(db, kind) {
    // Quotations found in announced stories, waiting for a server's review. One row per server and
    // quotation (speaker + words, folded): the same words from another outlet are the same
    // candidate, and a rejected one stays, so it is never proposed again.
    await idColumn(db, kind, 'quote_candidates')
      .addColumn('guild_id', 'text', (c) => c.notNull())
      .addColumn('key', 'text', (c) => c.notNull())
      .addColumn('speaker', 'text', (c) => c.notNull())
      .addColumn('text', 'text', (c) => c.notNull())
      .addColumn('context', 'text', (c) => c.notNull())
      .addColumn('item_id', 'text', (c) => c.notNull())
      .addColumn('link', 'text')
      .addColumn('title', 'text', (c) => c.notNull())
      .addColumn('outlet', 'text', (c) => c.notNull())
      .addColumn('published', 'text', (c) => c.notNull())
      .addColumn('state', 'text', (c) => c.notNull().defaultTo('pending').check(sql`state in ('pending', 'approved', 'rejected')`))
      .addColumn('found_at', 'text', (c) => c.notNull())
      .addColumn('decided_at', 'text')
      .addColumn('decided_by', 'text')
      .addUniqueConstraint('quote_candidates_key', ['guild_id', 'key'])
      .execute();
    await db.schema.createIndex('quote_candidates_queue').on('quote_candidates').columns(['guild_id', 'state', 'published', 'id']).execute();
    // /quotes queue on:false turns a server's queue off (a server may have no /setup row).
    await db.schema
      .createTable('quote_review')
      .addColumn('guild_id', 'text', (c) => c.primaryKey())
      .addColumn('enabled', 'integer', (c) => c.notNull())
      .addColumn('updated_at', 'text', (c) => c.notNull())
      .addColumn('updated_by', 'text')
      .execute();
  },
};

export const MIGRATIONS: readonly Migration[] = [core, keyvAndDigests, feedAboutAlita, publishing, quoteCandidates];
export const SCHEMA_VERSION = MIGRATIONS.length;

/** The version the database is at (0: empty). */
export async function schemaVersion(db: Kysely<Tables>): Promise<number> {
  const row = await db.selectFrom('schema_migrations').select((eb) => eb.fn.max('version').as('version')).executeTakeFirst();
  return Number(row?.version ?? 0);
}

/** Applies the migrations after the database's version, up to `target`. Throws SchemaTooNewError. */
export async function migrate(database: Database, target = SCHEMA_VERSION): Promise<{ from: number; to: number }> {
  return database.transaction(async (trx) => {
    await lockFor(database, trx, 'migrate');
    await trx.schema
      .createTable('schema_migrations')
      .ifNotExists()
      .addColumn('version', 'integer', (c) => c.primaryKey())
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('applied_at', 'text', (c) => c.notNull())
      .execute();
    const from = await schemaVersion(trx);
    if (from > SCHEMA_VERSION) throw new SchemaTooNewError(from, SCHEMA_VERSION);
    for (const migration of MIGRATIONS) {
      if (migration.version <= from || migration.version > target) continue;
      await migration.up(trx, database.kind);
      await trx.insertInto('schema_migrations').values({ version: migration.version, name: migration.name, applied_at: new Date().toISOString() }).execute();
    }
    return { from, to: Math.max(from, Math.min(target, SCHEMA_VERSION)) };
  });
}
