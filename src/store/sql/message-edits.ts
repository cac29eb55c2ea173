/**
 * Edits of announced messages ("Also reported by"), as rows: queued in the record transaction of
 * the poll that found another outlet's item of a story, delivered like posts (in order, retried,
 * dead-lettered when Discord refuses for good). One row per (channel, story, cause), so a poll
 * repeated after a crash queues nothing twice, and an edit's body is rebuilt from every outlet
 * known so far, so sending it twice changes nothing.
 */
import { sql, type Kysely } from 'kysely';
import { z } from 'zod';
import type { Embed } from '../../engine/format.ts';
import type { StoryEdit } from '../../engine/record-plan.ts';
import type { Database, DatabaseLogger } from './database.ts';
import { rowList, type ListColumn } from './lists.ts';
import { RowReader, toJson } from './rows.ts';
import type { Tables } from './tables.ts';

export interface PendingEdit {
  id: number;
  channelId: string;
  itemId: string;
  attempts: number;
  nextAttemptAt?: string;
}

export interface Outlet {
  source: string;
  link?: string;
}

const outletSchema: z.ZodType<Outlet> = z.object({ source: z.string(), link: z.string().optional() });
/** A publisher's change: the story's embeds as they read now. */
const updateSchema = z.object({ embeds: z.array(z.looseObject({ title: z.string() })) });

/** The cause of a publisher's change starts so; other causes are outlets' item ids. */
export const UPDATE_CAUSE = 'update:';

const EDIT_COLUMNS: readonly ListColumn[] = [
  ['channel_id', 'text'],
  ['item_id', 'text'],
  ['cause', 'text'],
  ['payload', 'text'],
];

/** Inserts a poll's edits inside its record transaction; a cause already queued is ignored. */
export async function insertEdits(kind: Database['kind'], trx: Kysely<Tables>, edits: StoryEdit[], now: Date): Promise<void> {
  if (edits.length === 0) return;
  // One statement whatever the number of edits (lists.ts): a cold cycle queues hundreds of them.
  const rows = edits.map((e) => [e.channelId, e.itemId, e.cause, toJson(e.outlet ?? { embeds: e.embeds ?? [] })]);
  await sql`insert into message_edits (channel_id, item_id, cause, payload, enqueued_at)
    select channel_id, item_id, cause, payload, ${now.toISOString()} from (${rowList(kind, EDIT_COLUMNS, rows)}) as t where true
    on conflict (channel_id, item_id, cause) do nothing`.execute(trx);
}

export class MessageEdits {
  private readonly reader: RowReader;

  constructor(
    private readonly database: Database,
    logger: DatabaseLogger,
  ) {
    this.reader = new RowReader(logger);
  }

  /** Pending edits, oldest first. */
  async pending(): Promise<PendingEdit[]> {
    const rows = await this.database.db.selectFrom('message_edits').select(['id', 'channel_id', 'item_id', 'attempts', 'next_attempt_at']).where('state', '=', 'pending').orderBy('id').execute();
    return rows.map((r) => ({ id: Number(r.id), channelId: r.channel_id, itemId: r.item_id, attempts: Number(r.attempts), ...(r.next_attempt_at ? { nextAttemptAt: r.next_attempt_at } : {}) }));
  }

  /** Every outlet queued so far for a story's message in a channel, in the order they came. */
  async outlets(channelId: string, itemId: string): Promise<Outlet[]> {
    const rows = await this.rows(channelId, itemId);
    return rows.filter((r) => !r.cause.startsWith(UPDATE_CAUSE)).map((r) => this.reader.json('message_edits', String(r.id), r.payload, outletSchema)).filter((o): o is Outlet => o !== undefined);
  }

  /** The story's embeds after the publisher's latest change, when it changed. */
  async latestUpdate(channelId: string, itemId: string): Promise<Embed[] | undefined> {
    const update = (await this.rows(channelId, itemId)).filter((r) => r.cause.startsWith(UPDATE_CAUSE)).at(-1);
    return update ? (this.reader.json('message_edits', String(update.id), update.payload, updateSchema)?.embeds as Embed[] | undefined) : undefined;
  }

  private rows(channelId: string, itemId: string) {
    return this.database.db.selectFrom('message_edits').select(['id', 'cause', 'payload']).where('channel_id', '=', channelId).where('item_id', '=', itemId).where('state', '<>', 'dead').orderBy('id').execute();
  }

  /** Done: every pending edit of that message up to `id` (one PATCH carries them all). */
  async markDone(channelId: string, itemId: string, upToId: number): Promise<void> {
    await this.database.db.updateTable('message_edits').set({ state: 'done', next_attempt_at: null }).where('channel_id', '=', channelId).where('item_id', '=', itemId).where('id', '<=', upToId).where('state', '=', 'pending').execute();
  }

  async reschedule(id: number, error: string, next: Date): Promise<void> {
    await this.database.db
      .updateTable('message_edits')
      .set((eb) => ({ attempts: eb('attempts', '+', 1), last_error: error, next_attempt_at: next.toISOString() }))
      .where('id', '=', id)
      .where('state', '=', 'pending')
      .execute();
  }

  /** A refusal retrying cannot fix (the message was deleted): the edit is dropped; the post stands. */
  async drop(id: number, reason: string): Promise<void> {
    await this.database.db.updateTable('message_edits').set({ state: 'dead', last_error: reason, next_attempt_at: null }).where('id', '=', id).where('state', '=', 'pending').execute();
  }

}
