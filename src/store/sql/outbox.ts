/**
 * The durable queue between "new item found" and "Discord accepted it", as rows: an entry is
 * pending until delivered or dead, and then stays for 30 days as the marker that makes a repeat
 * enqueue of the same item for the same channel a no-op (UNIQUE(channel_id, item_id)).
 */
import { sql } from 'kysely';
import { createHash } from 'node:crypto';
import type { Database, DatabaseLogger } from './database.ts';
import { inProcess } from './locks.ts';
import { DEAD_LETTER_LIMIT, FINISHED_RETENTION_MS, insertEntries, toEntry, type DeadLetter, type NewEntry, type OutboxEntry, type OutboxKey } from './outbox-entries.ts';
import { MessageEdits } from './message-edits.ts';
import { chunks, RowReader } from './rows.ts';

export * from './outbox-entries.ts';
/**
 * A Discord message nonce for an entry's key (at most 25 characters); a digest's is derived by the
 * caller from its channel and batch. With `enforce_nonce`, Discord returns the earlier message
 * instead of posting again when a crash made us send it twice.
 */
export function entryNonce(key: string): string {
  return createHash('sha256').update(key).digest('hex').slice(0, 25);
}

export interface OutboxCounts {
  pending: number;
  dead: number;
  /** Pending entries that failed at least once and wait for their next attempt. */
  retrying: number;
  /** Delivered messages waiting to be published (Discord's hourly limit, or a retry). */
  publishing: number;
}

/** What a send made: the message's id, and whether it is to be published. */
export interface Sent {
  messageId?: string;
  publish?: boolean;
}

export class Outbox {
  private readonly reader: RowReader;
  /** Edits of delivered messages ("Also reported by"), delivered after the posts. */
  readonly edits: MessageEdits;

  constructor(
    private readonly database: Database,
    logger: DatabaseLogger,
  ) {
    this.reader = new RowReader(logger);
    this.edits = new MessageEdits(database, logger);
  }

  /** The entry of an item in a channel, whatever its state (the message an edit changes). */
  async entry(key: OutboxKey): Promise<OutboxEntry | undefined> {
    const row = await this.database.db.selectFrom('outbox').selectAll().where('channel_id', '=', key.channelId).where('item_id', '=', key.itemId).executeTakeFirst();
    return row ? toEntry(row, this.reader) : undefined;
  }

  /** Queues entries in one transaction; returns how many were new (see insertEntries for the post/digest rule). */
  enqueue(entries: NewEntry[], now: Date, options: { maxPostsPerChannel?: number } = {}): Promise<number> {
    if (entries.length === 0) return Promise.resolve(0);
    return inProcess(this.database, 'outbox', () => this.database.transaction((trx) => insertEntries(this.database, trx, entries, now, options.maxPostsPerChannel)));
  }

  /** Pending entries in the order they should reach Discord: oldest cycle, then oldest item, then queue order. */
  async pending(): Promise<OutboxEntry[]> {
    const rows = await this.database.db.selectFrom('outbox').selectAll().where('state', '=', 'pending').orderBy('batch').orderBy('at').orderBy('id').execute();
    return rows.map((row) => toEntry(row, this.reader)).filter((e): e is OutboxEntry => e !== undefined);
  }

  /**
   * Marks several entries delivered at once (a digest covers many), in one transaction, with the
   * message they made; the first entry carries its publish when `sent.publish` (one message, one publish).
   */
  async markDelivered(keys: OutboxKey[], now: Date, sent: Sent = {}): Promise<number> {
    if (keys.length === 0) return 0;
    const byChannel = new Map<string, string[]>();
    for (const key of keys) byChannel.set(key.channelId, [...(byChannel.get(key.channelId) ?? []), key.itemId]);
    return this.database.transaction(async (trx) => {
      let marked = 0;
      for (const [channelId, itemIds] of byChannel) {
        for (const part of chunks(itemIds)) {
          const result = await trx
            .updateTable('outbox')
            .set({ state: 'delivered', finished_at: now.toISOString(), next_attempt_at: null, ...(sent.messageId ? { message_id: sent.messageId } : {}) })
            .where('channel_id', '=', channelId)
            .where('item_id', 'in', part)
            .where('state', '<>', 'delivered')
            .executeTakeFirst();
          marked += Number(result.numUpdatedRows);
        }
      }
      const first = keys[0]!;
      if (sent.publish && sent.messageId) {
        await trx.updateTable('outbox').set({ publish: 'pending' }).where('channel_id', '=', first.channelId).where('item_id', '=', first.itemId).where('publish', '=', 'no').execute();
      }
      return marked;
    });
  }

  async isDelivered(key: OutboxKey): Promise<boolean> {
    const row = await this.database.db.selectFrom('outbox').select('state').where('channel_id', '=', key.channelId).where('item_id', '=', key.itemId).executeTakeFirst();
    return row?.state === 'delivered';
  }

  /** A failed attempt that may work later: counted, and not tried again before `nextAttemptAt`. */
  async reschedule(entry: OutboxEntry, error: string, nextAttemptAt: Date): Promise<OutboxEntry> {
    await this.database.db
      .updateTable('outbox')
      .set((eb) => ({ attempts: eb('attempts', '+', 1), last_error: error, next_attempt_at: nextAttemptAt.toISOString() }))
      .where('channel_id', '=', entry.channelId)
      .where('item_id', '=', entry.itemId)
      .where('state', '=', 'pending')
      .execute();
    return { ...entry, attempts: entry.attempts + 1, lastError: error, nextAttemptAt: nextAttemptAt.toISOString() };
  }

  /** A refusal retrying cannot fix: the entry leaves the queue and is kept for the operator to see. */
  async deadLetter(entry: OutboxKey, reason: string, now: Date): Promise<void> {
    await this.database.db
      .updateTable('outbox')
      .set({ state: 'dead', reason, finished_at: now.toISOString(), next_attempt_at: null })
      .where('channel_id', '=', entry.channelId)
      .where('item_id', '=', entry.itemId)
      .where('state', '=', 'pending')
      .execute();
  }

  /** The newest dead letters first. */
  async deadLetters(limit = DEAD_LETTER_LIMIT): Promise<DeadLetter[]> {
    const rows = await this.database.db.selectFrom('outbox').selectAll().where('state', '=', 'dead').orderBy('finished_at', 'desc').orderBy('id', 'desc').limit(limit).execute();
    return rows
      .map((row) => toEntry(row, this.reader))
      .filter((e): e is OutboxEntry => e !== undefined)
      .map((e) => ({ ...e, failedAt: e.finishedAt ?? e.enqueuedAt, reason: e.reason ?? '' }));
  }

  async counts(): Promise<OutboxCounts> {
    const row = await this.database.db
      .selectFrom('outbox')
      .select([
        sql<number>`sum(case when state = 'pending' then 1 else 0 end)`.as('pending'),
        sql<number>`sum(case when state = 'dead' then 1 else 0 end)`.as('dead'),
        sql<number>`sum(case when state = 'pending' and attempts > 0 then 1 else 0 end)`.as('retrying'),
        sql<number>`sum(case when publish = 'pending' then 1 else 0 end)`.as('publishing'),
      ])
      .executeTakeFirst();
    // sum() is NULL on an empty table, and a numeric string on PostgreSQL.
    return { pending: Number(row?.pending ?? 0), dead: Number(row?.dead ?? 0), retrying: Number(row?.retrying ?? 0), publishing: Number(row?.publishing ?? 0) };
  }

  /** Delivered messages waiting to be published, oldest first. */
  async pendingPublishes(): Promise<OutboxEntry[]> {
    const rows = await this.database.db.selectFrom('outbox').selectAll().where('publish', '=', 'pending').orderBy('id').execute();
    return rows.map((row) => toEntry(row, this.reader)).filter((e): e is OutboxEntry => e !== undefined && e.messageId !== undefined);
  }

  /** When a channel's messages were published since `since`, oldest first: Discord allows about 10 an hour. */
  async publishedSince(channelId: string, since: Date): Promise<Date[]> {
    const rows = await this.database.db
      .selectFrom('outbox')
      .select('published_at')
      .where('channel_id', '=', channelId)
      .where('published_at', '>=', since.toISOString())
      .orderBy('published_at')
      .execute();
    return rows.map((row) => new Date(row.published_at!));
  }

  async markPublished(key: OutboxKey, now: Date): Promise<void> {
    await this.publishUpdate(key, { publish: 'done', published_at: now.toISOString(), publish_after: null, publish_error: null });
  }

  /** Not yet: Discord's limit (`counts` false) or a failure that may pass (counted as an attempt). */
  async deferPublish(key: OutboxKey, until: Date, reason: string, counts: boolean): Promise<void> {
    await this.database.db
      .updateTable('outbox')
      .set((eb) => ({ publish_after: until.toISOString(), publish_error: reason, ...(counts ? { publish_attempts: eb('publish_attempts', '+', 1) } : {}) }))
      .where('channel_id', '=', key.channelId)
      .where('item_id', '=', key.itemId)
      .where('publish', '=', 'pending')
      .execute();
  }

  /** A refusal retrying cannot fix (no longer an announcement channel, no permission): the post stays, unpublished. */
  async failPublish(key: OutboxKey, reason: string): Promise<void> {
    await this.publishUpdate(key, { publish: 'failed', publish_after: null, publish_error: reason });
  }

  private async publishUpdate(key: OutboxKey, set: { publish: 'done' | 'failed'; published_at?: string; publish_after: null; publish_error: string | null }): Promise<void> {
    await this.database.db.updateTable('outbox').set(set).where('channel_id', '=', key.channelId).where('item_id', '=', key.itemId).where('publish', '=', 'pending').execute();
  }

  /**
   * Deletes the rows that finished more than `maxAgeMs` (30 days) ago, delivered or dead: a bot
   * facing a channel it lost access to would otherwise keep every refused announcement forever.
   * The cycle calls it after each delivery round.
   */
  async pruneFinished(now: Date, maxAgeMs = FINISHED_RETENTION_MS): Promise<number> {
    const cutoff = new Date(now.getTime() - maxAgeMs).toISOString();
    const result = await this.database.db.deleteFrom('outbox').where('state', 'in', ['delivered', 'dead']).where('finished_at', '<', cutoff).executeTakeFirst();
    return Number(result.numDeletedRows);
  }
}
