/**
 * The leader lease: when several bot processes share one store, exactly one of them (the
 * leader) polls and delivers; the others answer commands only. The lease is a key in the
 * shared store holding the leader's id with an expiry. The leader renews it every TTL/3; the
 * others try to take it every TTL/3, so when the leader dies without releasing it (SIGKILL,
 * power cut) another instance takes over at most TTL + TTL/3 later.
 *
 * - Redis: `SET key owner NX PX ttl` takes a free key; renewing and releasing compare the owner
 *   and extend or delete in one Lua script, so both are atomic on the server, and the expiry is
 *   Redis's own clock.
 * - SQLite: one `INSERT … ON CONFLICT DO UPDATE … WHERE <mine or expired>` statement (atomic in
 *   SQLite) in the Keyv table, under a key Keyv never uses. Every process on the file is on this
 *   host, so a lease whose owner is a dead process of this host is taken at once (a restart
 *   after a crash does not wait for the expiry).
 * - Any other store (an in-memory Keyv in tests) cannot be shared between processes: the lease
 *   lives in this process.
 *
 * The leader counts itself leader only until TTL after it *sent* its last successful renewal,
 * which is never later than the store's own expiry, so two instances never both believe they
 * lead (barring a process frozen for longer than a TTL; Discord's nonce then still drops a
 * repeated send).
 */
import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import type Keyv from 'keyv';
import cron from 'node-cron';
import type { Logger } from '../log.ts';

export interface LeaseBackend {
  readonly kind: 'redis' | 'sqlite' | 'process';
  /** Takes the lease when it is free, expired or already ours (then extends it). True when held. */
  acquire(owner: string, ttlMs: number): Promise<boolean>;
  /** Extends the lease only if `owner` still holds it. */
  renew(owner: string, ttlMs: number): Promise<boolean>;
  /** Gives the lease up if `owner` holds it. */
  release(owner: string): Promise<void>;
  /** Who holds it now (for logs and tests). */
  holder(): Promise<string | undefined>;
}

export const MIN_LEASE_TTL_MS = 3_000;
export const MAX_LEASE_TTL_MS = 60_000;

/** The shortest gap between the schedule's next runs (a cron that runs rarely counts as rare). */
export function pollIntervalMs(pollCron: string): number {
  const task = cron.createTask(pollCron, () => undefined);
  try {
    const runs = task.getNextRuns(6).map((d) => d.getTime());
    const gaps = runs.slice(1).map((t, i) => t - runs[i]!);
    return gaps.length > 0 ? Math.min(...gaps) : MAX_LEASE_TTL_MS;
  } finally {
    void task.destroy();
  }
}

/**
 * 1.5 poll intervals, within 3–60 s. Renewed and retried every TTL/3, a dead leader is replaced
 * within TTL + TTL/3 = two poll intervals (for intervals of 2–40 s; at most 80 s for longer ones,
 * 4 s for shorter ones).
 */
export function leaseTtlFor(pollCron: string): number {
  return Math.min(MAX_LEASE_TTL_MS, Math.max(MIN_LEASE_TTL_MS, Math.round(1.5 * pollIntervalMs(pollCron))));
}

/** This process's id in the lease: host, pid and a random part (a reused pid is another owner). */
export function newOwnerId(): string {
  return `${hostname()}:${process.pid}:${randomBytes(3).toString('hex')}`;
}

function parseOwner(owner: string): { host: string; pid: number } | undefined {
  const match = /^(.*):(\d+):[0-9a-f]+$/.exec(owner);
  return match ? { host: match[1]!, pid: Number(match[2]) } : undefined;
}

/** True unless `pid` certainly does not exist on this host (EPERM: it exists, owned by another user). */
function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code !== 'ESRCH';
  }
}

// --- Redis -----------------------------------------------------------------------------------

/** The part of node-redis's client the lease uses. */
export interface RedisLeaseClient {
  set(key: string, value: string, options: { condition: 'NX'; expiration: { type: 'PX'; value: number } }): Promise<unknown>;
  get(key: string): Promise<unknown>;
  eval(script: string, options: { keys: string[]; arguments: string[] }): Promise<unknown>;
}

const RENEW_SCRIPT = "if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('PEXPIRE', KEYS[1], ARGV[2]) else return 0 end";
const RELEASE_SCRIPT = "if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) else return 0 end";

export function redisLeaseBackend(client: () => Promise<RedisLeaseClient>, key: string): LeaseBackend {
  const renew = async (owner: string, ttlMs: number) => Number(await (await client()).eval(RENEW_SCRIPT, { keys: [key], arguments: [owner, String(ttlMs)] })) === 1;
  return {
    kind: 'redis',
    async acquire(owner, ttlMs) {
      const reply = await (await client()).set(key, owner, { condition: 'NX', expiration: { type: 'PX', value: ttlMs } });
      return reply === 'OK' || (await renew(owner, ttlMs));
    },
    renew,
    async release(owner) {
      await (await client()).eval(RELEASE_SCRIPT, { keys: [key], arguments: [owner] });
    },
    async holder() {
      const value = await (await client()).get(key);
      return typeof value === 'string' ? value : undefined;
    },
  };
}

// --- SQLite ----------------------------------------------------------------------------------

export type SqlQuery = (sql: string, ...params: unknown[]) => Promise<Array<Record<string, unknown>>>;

interface SqliteLeaseValue {
  owner: string;
  expiresAt: number;
}

export function sqliteLeaseBackend(query: SqlQuery, table: string, key: string, now: () => number = Date.now): LeaseBackend {
  if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(table)) throw new Error(`unexpected SQLite table name ${table}`);
  const value = (owner: string, ttlMs: number) => JSON.stringify({ owner, expiresAt: now() + ttlMs } satisfies SqliteLeaseValue);
  const current = async (): Promise<{ raw: string; lease: SqliteLeaseValue } | undefined> => {
    const rows = await query(`SELECT value FROM ${table} WHERE key = ?`, key);
    const raw = rows[0]?.value;
    return typeof raw === 'string' ? { raw, lease: JSON.parse(raw) as SqliteLeaseValue } : undefined;
  };
  return {
    kind: 'sqlite',
    async acquire(owner, ttlMs) {
      // One statement: insert, or overwrite only a lease that is ours or has expired.
      const taken = await query(
        `INSERT INTO ${table} (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value
         WHERE json_extract(${table}.value, '$.owner') = ? OR json_extract(${table}.value, '$.expiresAt') <= ? RETURNING key`,
        key,
        value(owner, ttlMs),
        owner,
        now(),
      );
      if (taken.length > 0) return true;
      // A holder that is a dead process of this host will never renew: take its lease, but only
      // if it is still exactly that lease (compare-and-swap on the stored value).
      const held = await current();
      const holder = held && parseOwner(held.lease.owner);
      if (!held || !holder || holder.host !== hostname() || processAlive(holder.pid)) return false;
      const stolen = await query(`UPDATE ${table} SET value = ? WHERE key = ? AND value = ? RETURNING key`, value(owner, ttlMs), key, held.raw);
      return stolen.length > 0;
    },
    async renew(owner, ttlMs) {
      const rows = await query(`UPDATE ${table} SET value = ? WHERE key = ? AND json_extract(value, '$.owner') = ? RETURNING key`, value(owner, ttlMs), key, owner);
      return rows.length > 0;
    },
    async release(owner) {
      await query(`DELETE FROM ${table} WHERE key = ? AND json_extract(value, '$.owner') = ?`, key, owner);
    },
    async holder() {
      const held = await current();
      return held && held.lease.expiresAt > now() ? held.lease.owner : undefined;
    },
  };
}

// --- One process -----------------------------------------------------------------------------

/** For stores no other process can open (in-memory): the same rules, in a Map. */
export function processLeaseBackend(now: () => number = Date.now, leases = new Map<string, SqliteLeaseValue>(), key = 'leader'): LeaseBackend {
  const live = () => {
    const lease = leases.get(key);
    return lease && lease.expiresAt > now() ? lease : undefined;
  };
  return {
    kind: 'process',
    async acquire(owner, ttlMs) {
      const lease = live();
      if (lease && lease.owner !== owner) return false;
      leases.set(key, { owner, expiresAt: now() + ttlMs });
      return true;
    },
    async renew(owner, ttlMs) {
      if (leases.get(key)?.owner !== owner) return false;
      leases.set(key, { owner, expiresAt: now() + ttlMs });
      return true;
    },
    async release(owner) {
      if (leases.get(key)?.owner === owner) leases.delete(key);
    },
    async holder() {
      return live()?.owner;
    },
  };
}

/** Picks the backend for the store Keyv was opened on (see open.ts). */
export function leaseBackendFor(keyv: Keyv, now: () => number = Date.now): LeaseBackend {
  const store = keyv.store as Record<string, unknown> | undefined;
  const key = `lease:${keyv.namespace ?? 'keyv'}:leader`;
  // @keyv/redis: its node-redis client (connected by openKeyv; never reconnected from here).
  const client = store?.client as Partial<RedisLeaseClient> | undefined;
  if (client && typeof client.eval === 'function' && typeof client.set === 'function') {
    return redisLeaseBackend(async () => client as RedisLeaseClient, key);
  }
  const opts = store?.opts as { table?: unknown; dialect?: unknown } | undefined;
  if (store && typeof store.query === 'function' && opts?.dialect === 'sqlite' && typeof opts.table === 'string') {
    const query = store.query as SqlQuery;
    return sqliteLeaseBackend((sql, ...params) => query.call(store, sql, ...params), opts.table, key, now);
  }
  return processLeaseBackend(now);
}

// --- The lease -------------------------------------------------------------------------------

export interface LeaseOptions {
  backend: LeaseBackend;
  ttlMs: number;
  logger: Logger;
  owner?: string;
  /** Milliseconds since the epoch; injectable for tests. */
  now?: () => number;
}

export class LeaderLease {
  readonly owner: string;
  readonly ttlMs: number;
  private readonly backend: LeaseBackend;
  private readonly logger: Logger;
  private readonly now: () => number;
  private validUntil = 0;
  private reported: boolean | undefined;
  private timer: NodeJS.Timeout | undefined;
  private inFlight: Promise<boolean> | undefined;
  private stopped = false;
  private onChange: (leader: boolean) => void = () => undefined;

  constructor(options: LeaseOptions) {
    this.backend = options.backend;
    this.ttlMs = options.ttlMs;
    this.logger = options.logger;
    this.owner = options.owner ?? newOwnerId();
    this.now = options.now ?? Date.now;
  }

  get kind(): LeaseBackend['kind'] {
    return this.backend.kind;
  }

  /** Whether this instance may poll and deliver right now. */
  isLeader(): boolean {
    return !this.stopped && this.now() < this.validUntil;
  }

  /** One step: renew when leading, else try to take the lease. Reports a change to the listener. */
  tick(): Promise<boolean> {
    this.inFlight ??= this.step().finally(() => {
      this.inFlight = undefined;
    });
    return this.inFlight;
  }

  private async step(): Promise<boolean> {
    if (this.stopped) return false;
    const sentAt = this.now();
    try {
      const held = this.isLeader()
        ? (await this.backend.renew(this.owner, this.ttlMs)) || (await this.backend.acquire(this.owner, this.ttlMs))
        : await this.backend.acquire(this.owner, this.ttlMs);
      this.validUntil = held ? sentAt + this.ttlMs : 0;
    } catch (error) {
      // The store did not answer: keep leading until the lease we last got runs out, no longer.
      this.logger.warn('leader lease check failed', { error: error instanceof Error ? error.message : String(error) });
    }
    if (this.stopped) return false;
    await this.report();
    return this.isLeader();
  }

  private async report(): Promise<void> {
    const leader = this.isLeader();
    if (leader === this.reported) return;
    const first = this.reported === undefined;
    this.reported = leader;
    if (leader) {
      this.logger.info('leader lease acquired: this instance polls and delivers', { instance: this.owner, store: this.backend.kind, ttlMs: this.ttlMs });
    } else {
      const holder = await this.backend.holder().catch(() => undefined);
      const message = first ? 'another instance holds the leader lease: answering commands only' : 'leader lease lost: no longer polling or delivering';
      this.logger[first ? 'info' : 'warn'](message, { instance: this.owner, leader: holder });
    }
    this.onChange(leader);
  }

  /** Takes the lease if it can, then keeps renewing (or retrying) every TTL/3 until stop(). */
  async start(onChange: (leader: boolean) => void = () => undefined): Promise<boolean> {
    this.onChange = onChange;
    const leader = await this.tick();
    const schedule = () => {
      if (this.stopped) return;
      this.timer = setTimeout(() => void this.tick().finally(schedule), Math.max(100, Math.floor(this.ttlMs / 3)));
      this.timer.unref();
    };
    schedule();
    return leader;
  }

  /** Stops renewing and gives the lease up, so another instance takes over at once. */
  async stop(): Promise<void> {
    const wasLeader = this.isLeader() || this.reported === true;
    this.stopped = true;
    clearTimeout(this.timer);
    // A step in flight may still take the lease; release after it (release compares the owner).
    await this.inFlight?.catch(() => undefined);
    this.validUntil = 0;
    try {
      await this.backend.release(this.owner);
      if (wasLeader) this.logger.info('leader lease released', { instance: this.owner });
    } catch (error) {
      this.logger.warn('could not release the leader lease', { error: error instanceof Error ? error.message : String(error) });
    }
  }
}

/** The lease for a running bot: backend from the store, TTL from POLL_CRON. */
export function createLease(keyv: Keyv, pollCron: string, logger: Logger): LeaderLease {
  return new LeaderLease({ backend: leaseBackendFor(keyv), ttlMs: leaseTtlFor(pollCron), logger });
}
