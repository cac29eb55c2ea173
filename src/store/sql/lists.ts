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

/** A column of rowList: its name, and its type on PostgreSQL (SQLite takes what JSON gives). */
export type ListColumn = readonly [name: string, type: 'text' | 'int' | 'bigint'];

const columnTexts = new WeakMap<readonly ListColumn[], { sqlite: RawBuilder<unknown>; names: RawBuilder<unknown> }>();

/**
 * `select …` of `rows` (each an array in `columns`' order) with the columns named, bound as one
 * parameter on SQLite (a JSON array of arrays) and one per column on PostgreSQL (arrays): the
 * statement's text is the same whatever the number of rows, so it is prepared once, and Kysely
 * builds no node per value. An upsert that selects from it needs `where true` before its
 * `on conflict` (SQLite's rule: else `on` reads as a join's).
 */
export function rowList(kind: Kind, columns: readonly ListColumn[], rows: readonly (readonly unknown[])[]): RawBuilder<unknown> {
  let texts = columnTexts.get(columns);
  if (!texts) {
    const sqlite = sql.raw(columns.map(([name], i) => `value ->> ${i} as ${name}`).join(', '));
    columnTexts.set(columns, (texts = { sqlite, names: sql.raw(columns.map(([name]) => name).join(', ')) }));
  }
  if (kind === 'sqlite') return sql`select ${texts.sqlite} from json_each(${JSON.stringify(rows)})`;
  const arrays = columns.map(([, type], i) => sql`${rows.map((row) => row[i])}::${sql.raw(type)}[]`);
  return sql`select * from unnest(${sql.join(arrays)}) as t(${texts.names})`;
}

export interface SeenRow {
  itemId: string;
  firstSeen: string;
  relevant: boolean;
}

const SEEN_COLUMNS: readonly ListColumn[] = [
  ['item_id', 'text'],
  ['first_seen', 'text'],
  ['relevant', 'int'],
];

/** Inserts a feed's seen marks; an id already seen keeps its first row. */
export async function insertSeen(kind: Kind, trx: Kysely<Tables>, feedUrl: string, rows: readonly SeenRow[]): Promise<void> {
  if (rows.length === 0) return;
  const list = rowList(kind, SEEN_COLUMNS, rows.map((r) => [r.itemId, r.firstSeen, r.relevant ? 1 : 0]));
  await sql`insert into seen (feed_url, item_id, first_seen, relevant)
    select ${feedUrl}, item_id, first_seen, relevant from (${list}) as t where true
    on conflict do nothing`.execute(trx);
}
