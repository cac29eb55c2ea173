/**
 * Lists bound as ONE parameter (a JSON array on SQLite, arrays on PostgreSQL), for the statements
 * a poll runs on every item: the seen marks' look-up and insert. With a placeholder per value,
 * each list length is another statement text, and Kysely builds, freezes and compiles a node per
 * value: a cold cycle (17,000 items) spent more main-thread time, and far more garbage, on that
 * than on SQLite's own work. One parameter keeps the text, and the prepared statement, the same.
 */
import { sql, type Kysely, type RawBuilder } from 'kysely';
import type { Database } from './database.ts';
import type { Tables } from './tables.ts';

type Kind = Database['kind'];

/** `(select …)` of the values, for `where(column, 'in', textList(kind, values))`. */
export function textList(kind: Kind, values: readonly string[]): RawBuilder<string> {
  return kind === 'sqlite' ? sql<string>`(select value from json_each(${JSON.stringify(values)}))` : sql<string>`(select unnest(${values}::text[]))`;
}

export interface SeenRow {
  itemId: string;
  firstSeen: string;
  relevant: boolean;
}

/** Inserts a feed's seen marks; an id already seen keeps its first row. */
export async function insertSeen(kind: Kind, trx: Kysely<Tables>, feedUrl: string, rows: readonly SeenRow[]): Promise<void> {
  if (rows.length === 0) return;
  if (kind === 'sqlite') {
    // `where true` is SQLite's own rule for an upsert whose rows come from a select.
    const json = JSON.stringify(rows.map((r) => [r.itemId, r.firstSeen, r.relevant ? 1 : 0]));
    await sql`insert into seen (feed_url, item_id, first_seen, relevant)
      select ${feedUrl}, value ->> 0, value ->> 1, value ->> 2 from json_each(${json}) where true
      on conflict do nothing`.execute(trx);
    return;
  }
  await sql`insert into seen (feed_url, item_id, first_seen, relevant)
    select ${feedUrl}, t.item_id, t.first_seen, t.relevant
    from unnest(${rows.map((r) => r.itemId)}::text[], ${rows.map((r) => r.firstSeen)}::text[], ${rows.map((r) => (r.relevant ? 1 : 0))}::int[]) as t(item_id, first_seen, relevant)
    on conflict do nothing`.execute(trx);
}
