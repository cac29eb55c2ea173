/**
 * The leader lease as a row: compare-and-set in one statement (`INSERT … ON CONFLICT DO UPDATE
 * … WHERE <ours or expired>`), so two owners never both hold it. Expiry is the database's own
 * clock on PostgreSQL (processes on several hosts disagree on the time; the server is one
 * clock), and Date.now() on SQLite, whose processes all share this host's clock. On SQLite a
 * lease held by a dead process of this host is taken at once, as src/bot/lease.ts does.
 */
import { hostname } from 'node:os';
import { sql, type RawBuilder } from 'kysely';
import type { Database } from './database.ts';

export interface LeaseBackend {
  readonly kind: 'sqlite' | 'postgres';
  /** Takes the lease when it is free, expired or already ours (then extends it). True when held. */
  acquire(owner: string, ttlMs: number): Promise<boolean>;
  /** Extends the lease only if `owner` still holds it. */
  renew(owner: string, ttlMs: number): Promise<boolean>;
  /** Gives the lease up if `owner` holds it. */
  release(owner: string): Promise<void>;
  /** Who holds it now (for logs and tests). */
  holder(): Promise<string | undefined>;
}

/** Same format as newOwnerId() in src/bot/lease.ts: `host:pid:random`. (lease.ts does not export its parser.) */
export function parseOwner(owner: string): { host: string; pid: number } | undefined {
  const match = /^(.*):(\d+):[0-9a-f]+$/.exec(owner);
  return match ? { host: match[1]!, pid: Number(match[2]) } : undefined;
}

/** True unless `pid` certainly does not exist on this host (EPERM: it exists, owned by another user). */
export function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code !== 'ESRCH';
  }
}

/** `options.now`: SQLite's clock, injectable for tests (PostgreSQL always uses its own). */
export function sqlLeaseBackend(database: Database, name = 'leader', options: { now?: () => number } = {}): LeaseBackend {
  const { db } = database;
  const clock = options.now ?? Date.now;
  // Milliseconds since the epoch, evaluated by the database on PostgreSQL (clock_timestamp():
  // the time of the statement, not of its transaction).
  const now = (): RawBuilder<number> => (database.kind === 'postgres' ? sql<number>`(extract(epoch from clock_timestamp()) * 1000)::bigint` : sql<number>`${clock()}`);
  const expiry = (ttlMs: number): RawBuilder<number> => sql<number>`${now()} + ${ttlMs}`;

  /** Takes a lease held by a dead process of this host, if it is still exactly that lease. */
  const takeFromDead = async (owner: string, ttlMs: number): Promise<boolean> => {
    const held = await db.selectFrom('leases').select(['holder', 'expires_at']).where('name', '=', name).executeTakeFirst();
    const holder = held && parseOwner(held.holder);
    if (!held || !holder || holder.host !== hostname() || processAlive(holder.pid)) return false;
    const taken = await db
      .updateTable('leases')
      .set({ holder: owner, expires_at: expiry(ttlMs) })
      .where('name', '=', name)
      .where('holder', '=', held.holder)
      .where('expires_at', '=', held.expires_at)
      .executeTakeFirst();
    return Number(taken.numUpdatedRows) > 0;
  };

  const renew = async (owner: string, ttlMs: number): Promise<boolean> => {
    const result = await db.updateTable('leases').set({ expires_at: expiry(ttlMs) }).where('name', '=', name).where('holder', '=', owner).executeTakeFirst();
    return Number(result.numUpdatedRows) > 0;
  };

  return {
    kind: database.kind,
    async acquire(owner, ttlMs) {
      const taken = await db
        .insertInto('leases')
        .values({ name, holder: owner, expires_at: expiry(ttlMs) })
        .onConflict((oc) =>
          oc
            .column('name')
            .doUpdateSet((eb) => ({ holder: eb.ref('excluded.holder'), expires_at: eb.ref('excluded.expires_at') }))
            .where((eb) => eb.or([eb('leases.holder', '=', eb.ref('excluded.holder')), eb('leases.expires_at', '<=', now())])),
        )
        .returning('holder')
        .executeTakeFirst();
      if (taken?.holder === owner) return true;
      return database.kind === 'sqlite' && (await takeFromDead(owner, ttlMs));
    },
    renew,
    async release(owner) {
      await db.deleteFrom('leases').where('name', '=', name).where('holder', '=', owner).execute();
    },
    async holder() {
      const row = await db.selectFrom('leases').select('holder').where('name', '=', name).where('expires_at', '>', now()).executeTakeFirst();
      return row?.holder;
    },
  };
}
