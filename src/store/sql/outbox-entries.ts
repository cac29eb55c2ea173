/** Outbox entries: their types, how a row becomes one, and the insert shared by enqueue and recordPoll. */
import { sql, type Kysely, type Selectable } from 'kysely';
import { z } from 'zod';
import type { Database } from './database.ts';
import { rowList, textList, type ListColumn } from './lists.ts';
import { lockFor } from './locks.ts';
import { orUndefined, RowReader, toJson } from './rows.ts';
import type { OutboxTable, Tables } from './tables.ts';
import { messageBodySchema, type MessageBody } from './types.ts';

export interface OutboxKey {
  channelId: string;
  itemId: string;
}

export interface OutboxEntry extends OutboxKey {
  id: number;
  /** `${channelId}:${itemId}` (for entryNonce). */
  key: string;
  guildId?: string;
  title: string;
  body: MessageBody;
  /** The poll cycle that queued it; within one cycle, items go out by `at`, oldest first. */
  batch?: string;
  at?: string;
  /** 'digest': beyond the channel's posts for this batch; the caller folds these into one message. */
  kind: 'post' | 'digest';
  state: 'pending' | 'delivered' | 'dead';
  enqueuedAt: string;
  attempts: number;
  nextAttemptAt?: string;
  lastError?: string;
  finishedAt?: string;
  reason?: string;
  /** The message the delivery made (Discord's id), once delivered. */
  messageId?: string;
  /** Publishing it to the channel's followers (see Outbox.pendingPublishes); absent: 'no'. */
  publish?: PublishState;
  publishAfter?: string;
  publishAttempts?: number;
}

export type PublishState = 'no' | 'pending' | 'done' | 'failed';

export type NewEntry = Pick<OutboxEntry, 'channelId' | 'guildId' | 'itemId' | 'title' | 'body' | 'batch' | 'at'>;

export interface DeadLetter extends OutboxEntry {
  failedAt: string;
  reason: string;
}

export const DEAD_LETTER_LIMIT = 100;
/**
 * Finished rows (delivered, or dead letters) are kept this long, then pruned: delivered ones as
 * "already sent" markers, dead letters for /status. The seen marks keep either item from coming back.
 */
export const FINISHED_RETENTION_MS = 30 * 24 * 60 * 60 * 1000;

export const outboxKey = (key: OutboxKey): string => `${key.channelId}:${key.itemId}`;

/**
 * The batch of a digest-mode channel's entries: `daily:` and the time its digest is due. All
 * entries of one day share it, so they become one digest message, sent once that time has come.
 */
export const DAILY_BATCH = 'daily:';
export const isDaily = (batch: string | undefined): boolean => batch?.startsWith(DAILY_BATCH) === true;
/** When a daily batch is due (ms), or undefined for any other batch. */
export const dailyDue = (batch: string | undefined): number | undefined => (isDaily(batch) ? Date.parse(batch!.slice(DAILY_BATCH.length)) : undefined);

const rowSchema = z.object({
  id: z.coerce.number(),
  channel_id: z.string(),
  item_id: z.string(),
  kind: z.enum(['post', 'digest']),
  state: z.enum(['pending', 'delivered', 'dead']),
  attempts: z.coerce.number(),
  publish: z.enum(['no', 'pending', 'done', 'failed']),
  publish_attempts: z.coerce.number(),
});

export function toEntry(row: Selectable<OutboxTable>, reader: RowReader): OutboxEntry | undefined {
  const key = `${row.channel_id}:${row.item_id}`;
  const checked = reader.check('outbox', key, row, rowSchema);
  const body = checked && reader.json('outbox', key, row.body, messageBodySchema);
  if (!checked || !body) return undefined;
  return {
    id: checked.id,
    key,
    channelId: row.channel_id,
    ...(row.guild_id ? { guildId: row.guild_id } : {}),
    itemId: row.item_id,
    title: row.title,
    body,
    ...(row.batch ? { batch: row.batch } : {}),
    ...(row.at ? { at: row.at } : {}),
    kind: checked.kind,
    state: checked.state,
    enqueuedAt: row.enqueued_at,
    attempts: checked.attempts,
    nextAttemptAt: orUndefined(row.next_attempt_at),
    lastError: orUndefined(row.last_error),
    finishedAt: orUndefined(row.finished_at),
    reason: orUndefined(row.reason),
    ...(row.message_id ? { messageId: row.message_id } : {}),
    publish: checked.publish,
    ...(row.publish_after ? { publishAfter: row.publish_after } : {}),
    publishAttempts: checked.publish_attempts,
  };
}

const distinct = <T>(values: T[]) => [...new Set(values)];

const ENTRY_COLUMNS: readonly ListColumn[] = [
  ['channel_id', 'text'],
  ['item_id', 'text'],
  ['guild_id', 'text'],
  ['title', 'text'],
  ['body', 'text'],
  ['batch', 'text'],
  ['at', 'text'],
  ['kind', 'text'],
  ['enqueued_at', 'text'],
];

/**
 * Inserts new entries inside `trx` (for Outbox.enqueue and NewsStore.recordPoll). An entry
 * already queued, delivered or dead for its channel is ignored. In entry order, an entry is a
 * 'post' while its channel has fewer than `maxPostsPerChannel` posts in the same batch, else a
 * 'digest'; counted here, under the outbox lock, so concurrent writers cannot both take the last post.
 */
export async function insertEntries(database: Database, trx: Kysely<Tables>, entries: NewEntry[], now: Date, maxPostsPerChannel = Infinity): Promise<number> {
  const byKey = new Map<string, NewEntry>();
  for (const entry of entries) if (!byKey.has(outboxKey(entry))) byKey.set(outboxKey(entry), entry);
  const firstWins = [...byKey.values()];
  if (firstWins.length === 0) return 0;
  await lockFor(database, trx, 'outbox');
  // SQL with lists bound whole (lists.ts): every record step with news runs these.
  const { kind } = database;
  const channels = textList(kind, distinct(firstWins.map((e) => e.channelId)));
  const items = textList(kind, distinct(firstWins.map((e) => e.itemId)));
  const existing = new Set<string>();
  const queued = await sql<{ channel_id: string; item_id: string }>`select channel_id, item_id from outbox where channel_id in ${channels} and item_id in ${items}`.execute(trx);
  for (const row of queued.rows) existing.add(`${row.channel_id}:${row.item_id}`);
  const fresh = firstWins.filter((e) => !existing.has(outboxKey(e)));
  if (fresh.length === 0) return 0;
  const posts = new Map<string, number>();
  const slot = (e: NewEntry) => `${e.channelId}\u0000${e.batch ?? ''}`;
  if (Number.isFinite(maxPostsPerChannel)) {
    const freshChannels = textList(kind, distinct(fresh.map((e) => e.channelId)));
    const batches = textList(kind, distinct(fresh.map((e) => e.batch ?? '')));
    const counted = await sql<{ channel_id: string; batch: string; n: number | string | bigint }>`select channel_id, batch, count(*) as n from outbox
      where kind = 'post' and channel_id in ${freshChannels} and batch in ${batches} group by channel_id, batch`.execute(trx);
    for (const row of counted.rows) posts.set(`${row.channel_id}\u0000${row.batch}`, Number(row.n));
  }
  const enqueuedAt = now.toISOString();
  const rows = fresh.map((e) => {
    const used = posts.get(slot(e)) ?? 0;
    // A digest-mode channel's entries all wait for its daily digest (see DAILY_BATCH).
    const entryKind = !isDaily(e.batch) && used < maxPostsPerChannel ? 'post' : 'digest';
    if (entryKind === 'post') posts.set(slot(e), used + 1);
    return [e.channelId, e.itemId, e.guildId ?? null, e.title, toJson(e.body), e.batch ?? '', e.at ?? '', entryKind, enqueuedAt];
  });
  const result = await sql`insert into outbox (channel_id, item_id, guild_id, title, body, batch, at, kind, state, enqueued_at, attempts)
    select channel_id, item_id, guild_id, title, body, batch, at, kind, 'pending', enqueued_at, 0 from (${rowList(kind, ENTRY_COLUMNS, rows)}) as t where true
    on conflict (channel_id, item_id) do nothing`.execute(trx);
  return Number(result.numAffectedRows ?? 0);
}
