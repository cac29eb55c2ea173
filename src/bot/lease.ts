/**
 * The leader lease: when several bot processes share one database, exactly one of them (the
 * leader) polls and delivers; the others answer commands only. The lease is a row in the shared
 * database (src/store/sql/lease.ts: compare-and-set in one statement) holding the leader's id
 * with an expiry. The leader renews it every TTL/3; the others try to take it every TTL/3, so
 * when the leader dies without releasing it (SIGKILL, power cut) another instance takes over at
 * most TTL + TTL/3 later. On SQLite, whose processes all run on this host, a lease held by a
 * dead process is taken at once.
 *
 * The leader counts itself leader only until TTL after it *sent* its last successful renewal,
 * which is never later than the database's own expiry, so two instances never both believe they
 * lead (barring a process frozen for longer than a TTL; Discord's nonce then still drops a
 * repeated send).
 */
import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import cron from 'node-cron';
import type { Logger } from '../log.ts';
import type { LeaseBackend } from '../store/sql/lease.ts';

export type { LeaseBackend };

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

/** The lease for a running bot: the database's lease row, TTL from POLL_CRON. */
export function createLease(backend: LeaseBackend, pollCron: string, logger: Logger): LeaderLease {
  return new LeaderLease({ backend, ttlMs: leaseTtlFor(pollCron), logger });
}
