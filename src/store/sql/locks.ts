/**
 * Serialising the read-decide-write steps. On SQLite every write transaction is BEGIN IMMEDIATE,
 * which already admits one writer at a time across processes. PostgreSQL runs transactions side
 * by side (READ COMMITTED), so the steps whose decision depends on what they read take a
 * transaction-scoped advisory lock first; every statement after it sees what the last holder
 * committed, and the lock goes with the commit or rollback.
 */
import { sql, type Kysely } from 'kysely';
import type { Database } from './database.ts';
import type { Tables } from './tables.ts';

/** First half of every two-key advisory lock: 'ALIT', so the bot's locks stand apart from others'. */
const LOCK_CLASS = 0x414c4954;

export const LOCKS = {
  migrate: 1,
  /** recordPoll: seen marks, story marks and the archive decide on what was read. */
  record: 2,
  /** Outbox inserts: the post/digest count per channel and batch. */
  outbox: 3,
} as const;

/** Takes a fixed lock (PostgreSQL only; a no-op on SQLite). Always in the order migrate → record → outbox. */
export async function lockFor(database: Database, trx: Kysely<Tables>, lock: keyof typeof LOCKS): Promise<void> {
  if (database.kind !== 'postgres') return;
  await sql`select pg_advisory_xact_lock(${LOCK_CLASS}::int4, ${LOCKS[lock]}::int4)`.execute(trx);
}

/** Takes the lock of one name in a family (e.g. one guild's feeds); PostgreSQL only. */
export async function lockName(database: Database, trx: Kysely<Tables>, family: string, name: string): Promise<void> {
  if (database.kind !== 'postgres') return;
  await sql`select pg_advisory_xact_lock(${LOCK_CLASS + 1}::int4, hashtext(${`${family}:${name}`}))`.execute(trx);
}

const queues = new WeakMap<Database, Map<string, Promise<unknown>>>();

/**
 * One at a time within this process, per database and name. Writers that would only queue on
 * an advisory lock wait here instead of each holding a pooled connection while they wait,
 * which would leave none for commands.
 */
export function inProcess<T>(database: Database, name: string, work: () => Promise<T>): Promise<T> {
  let byName = queues.get(database);
  if (!byName) queues.set(database, (byName = new Map()));
  const tail = byName.get(name) ?? Promise.resolve();
  const run = tail.then(work, work);
  byName.set(name, run.catch(() => undefined));
  return run;
}
