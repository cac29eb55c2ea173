/** Per-server settings, the feeds servers added, and status records such as the last poll, as rows. */
import type { Selectable } from 'kysely';
import type { z } from 'zod';
import type { Database, DatabaseLogger } from './database.ts';
import { lockName } from './locks.ts';
import { orUndefined, RowReader, toJson } from './rows.ts';
import type { GuildSettingsTable } from './tables.ts';
import { extraSchema, pollRecordSchema, type GuildFeed, type PollRecord, type ServerSettings } from './types.ts';

export type { GuildFeed, ServerSettings };

export type AddFeedOutcome = 'added' | 'exists' | 'limit';

export class SettingsStore {
  private readonly reader: RowReader;

  constructor(
    private readonly database: Database,
    logger: DatabaseLogger,
  ) {
    this.reader = new RowReader(logger);
  }

  async guilds(): Promise<ServerSettings[]> {
    const rows = await this.database.db.selectFrom('guild_settings').selectAll().orderBy('guild_id').execute();
    return rows.map((row) => this.toSettings(row)).filter((s): s is ServerSettings => s !== undefined);
  }

  async guild(guildId: string): Promise<ServerSettings | undefined> {
    const row = await this.database.db.selectFrom('guild_settings').selectAll().where('guild_id', '=', guildId).executeTakeFirst();
    return row && this.toSettings(row);
  }

  /** Creates or replaces a server's settings (one row: concurrent writers of other servers lose nothing). */
  async setGuild(settings: ServerSettings): Promise<void> {
    const row = {
      guild_id: settings.guildId,
      channel_id: settings.channelId,
      role_id: settings.roleId ?? null,
      publish: settings.publish === undefined ? null : settings.publish ? 1 : 0,
      notify_button: settings.notifyButton === undefined ? null : settings.notifyButton ? 1 : 0,
      digest_hour: settings.digestHour ?? null,
      updated_at: settings.updatedAt,
      updated_by: settings.updatedBy ?? null,
      extra: settings.extra ? toJson(settings.extra) : null,
    };
    const { guild_id: _key, ...update } = row;
    await this.database.db.insertInto('guild_settings').values(row).onConflict((oc) => oc.column('guild_id').doUpdateSet(update)).execute();
  }

  /** Forgets a server's settings (the bot left it). True when there were some. */
  async removeGuild(guildId: string): Promise<boolean> {
    const result = await this.database.db.deleteFrom('guild_settings').where('guild_id', '=', guildId).executeTakeFirst();
    return Number(result.numDeletedRows) > 0;
  }

  /** The feeds a server added, in the order it added them. */
  async guildFeeds(guildId: string): Promise<GuildFeed[]> {
    const rows = await this.database.db.selectFrom('guild_feeds').selectAll().where('guild_id', '=', guildId).orderBy('added_at').orderBy('url').execute();
    return rows.map(toFeed);
  }

  /** Every server's added feeds (the poll cycle polls them all). */
  async allGuildFeeds(): Promise<GuildFeed[]> {
    const rows = await this.database.db.selectFrom('guild_feeds').selectAll().orderBy('guild_id').orderBy('added_at').orderBy('url').execute();
    return rows.map(toFeed);
  }

  /**
   * Adds a feed for a server unless it has it or already has `limit` feeds. The count and the
   * insert are one transaction, serialised per server across processes (PostgreSQL: an advisory
   * lock on the guild; SQLite: BEGIN IMMEDIATE admits one writer), so the limit holds under races.
   */
  addGuildFeed(feed: GuildFeed, limit: number): Promise<AddFeedOutcome> {
    return this.database.transaction(async (trx) => {
      await lockName(this.database, trx, 'guild-feeds', feed.guildId);
      const rows = await trx.selectFrom('guild_feeds').select('url').where('guild_id', '=', feed.guildId).execute();
      if (rows.some((row) => row.url === feed.url)) return 'exists';
      if (rows.length >= limit) return 'limit';
      await trx.insertInto('guild_feeds').values({ guild_id: feed.guildId, url: feed.url, added_at: feed.addedAt, added_by: feed.addedBy ?? null, about_alita: feed.aboutAlita ? 1 : 0 }).execute();
      return 'added';
    });
  }

  /** False when the server had no such feed. */
  async removeGuildFeed(guildId: string, url: string): Promise<boolean> {
    const result = await this.database.db.deleteFrom('guild_feeds').where('guild_id', '=', guildId).where('url', '=', url).executeTakeFirst();
    return Number(result.numDeletedRows) > 0;
  }

  async lastPoll(): Promise<PollRecord | undefined> {
    return this.status('lastPoll', pollRecordSchema);
  }

  async setLastPoll(record: PollRecord): Promise<void> {
    await this.setStatus('lastPoll', record);
  }

  /** A status record by key (JSON), validated; undefined when missing or malformed. */
  async status<T>(key: string, schema: z.ZodType<T>): Promise<T | undefined> {
    const row = await this.database.db.selectFrom('status').select('value').where('key', '=', key).executeTakeFirst();
    return row && this.reader.json('status', key, row.value, schema);
  }

  async setStatus(key: string, value: unknown): Promise<void> {
    await this.database.db
      .insertInto('status')
      .values({ key, value: toJson(value) })
      .onConflict((oc) => oc.column('key').doUpdateSet((eb) => ({ value: eb.ref('excluded.value') })))
      .execute();
  }

  private toSettings(row: Selectable<GuildSettingsTable>): ServerSettings | undefined {
    const extra = row.extra === null ? undefined : this.reader.json('guild_settings', row.guild_id, row.extra, extraSchema);
    if (row.extra !== null && !extra) return undefined;
    return {
      guildId: row.guild_id,
      channelId: row.channel_id,
      roleId: orUndefined(row.role_id),
      // PostgreSQL and SQLite both hand back 0/1; Number() also takes a driver's string.
      ...(row.publish === null || row.publish === undefined ? {} : { publish: Number(row.publish) === 1 }),
      ...(row.notify_button === null || row.notify_button === undefined ? {} : { notifyButton: Number(row.notify_button) === 1 }),
      ...(row.digest_hour === null || row.digest_hour === undefined ? {} : { digestHour: Number(row.digest_hour) }),
      updatedAt: row.updated_at,
      updatedBy: orUndefined(row.updated_by),
      ...(extra ? { extra } : {}),
    };
  }
}

function toFeed(row: { guild_id: string; url: string; added_at: string; added_by: string | null; about_alita: number | string | null }): GuildFeed {
  // PostgreSQL and SQLite both hand back 0/1 here; Number() also takes a driver's string.
  return { guildId: row.guild_id, url: row.url, addedAt: row.added_at, ...(row.added_by ? { addedBy: row.added_by } : {}), ...(Number(row.about_alita) === 1 ? { aboutAlita: true } : {}) };
}
