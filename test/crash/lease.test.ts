// The leader lease: LeaderLease (src/bot/lease.ts) over an in-memory backend with an injected
// clock, and the SQL backend (src/store/sql/lease.ts) on SQLite and on PostgreSQL, two connections
// standing for two processes: one holder at a time, renewal only by the holder, expiry and
// takeover, release, and on SQLite the immediate takeover from a dead process of this host.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { LeaderLease, leaseTtlFor, pollIntervalMs, type LeaseBackend } from '../../src/bot/lease.ts';
import { silentLogger, type Logger } from '../../src/log.ts';
import { openDatabase, type Database } from '../../src/store/sql/database.ts';
import { sqlLeaseBackend } from '../../src/store/sql/lease.ts';
import { describeWithPostgres } from '../support/postgres.ts';

function clock(start = 1_700_000_000_000) {
  let now = start;
  return { now: () => now, advance: (ms: number) => (now += ms) };
}

function recordingLogger(): Logger & { lines: string[] } {
  const lines: string[] = [];
  const log = (level: string) => (message: string) => void lines.push(`${level} ${message}`);
  return { lines, debug: log('debug'), info: log('info'), warn: log('warn'), error: log('error') };
}

/** The lease rules in memory, for LeaderLease's own tests (the clock is the test's). */
function memoryBackend(now: () => number, leases = new Map<string, { owner: string; expiresAt: number }>()): LeaseBackend {
  const live = () => {
    const lease = leases.get('leader');
    return lease && lease.expiresAt > now() ? lease : undefined;
  };
  return {
    kind: 'sqlite',
    async acquire(owner, ttlMs) {
      if (live() && live()!.owner !== owner) return false;
      leases.set('leader', { owner, expiresAt: now() + ttlMs });
      return true;
    },
    async renew(owner, ttlMs) {
      if (leases.get('leader')?.owner !== owner) return false;
      leases.set('leader', { owner, expiresAt: now() + ttlMs });
      return true;
    },
    async release(owner) {
      if (leases.get('leader')?.owner === owner) leases.delete('leader');
    },
    holder: async () => live()?.owner,
  };
}

describe('pollIntervalMs and leaseTtlFor', () => {
  it('measure the schedule; the TTL is 1.5 poll intervals within 3–60 s', () => {
    expect(pollIntervalMs('*/1 * * * * *')).toBe(1_000);
    expect(pollIntervalMs('*/10 * * * * *')).toBe(10_000);
    expect(pollIntervalMs('* * * * *')).toBe(60_000);
    expect(leaseTtlFor('*/1 * * * * *')).toBe(3_000);
    expect(leaseTtlFor('*/2 * * * * *')).toBe(3_000);
    expect(leaseTtlFor('*/10 * * * * *')).toBe(15_000);
    expect(leaseTtlFor('* * * * *')).toBe(60_000);
    expect(leaseTtlFor('0 0 1 1 *')).toBe(60_000);
  });
});

describe('LeaderLease', () => {
  it('leads only while its last renewal is younger than the TTL; reports changes; hands over on stop', async () => {
    const c = clock();
    const shared = new Map();
    const logs = recordingLogger();
    const a = new LeaderLease({ backend: memoryBackend(c.now, shared), ttlMs: 3_000, logger: logs, owner: 'host:1:aa', now: c.now });
    const b = new LeaderLease({ backend: memoryBackend(c.now, shared), ttlMs: 3_000, logger: silentLogger, owner: 'host:2:bb', now: c.now });
    const changes: boolean[] = [];
    expect(await a.start((leader) => changes.push(leader))).toBe(true);
    expect(await b.start()).toBe(false);
    c.advance(2_000);
    await a.tick(); // renewed
    c.advance(2_000);
    expect([a.isLeader(), b.isLeader(), await b.tick()]).toEqual([true, false, false]);

    // A stops renewing (frozen, or dead): past the TTL it no longer counts itself leader, and B takes over.
    c.advance(1_500);
    expect(a.isLeader()).toBe(false);
    expect(await b.tick()).toBe(true);
    expect(await a.tick()).toBe(false);
    expect(changes).toEqual([true, false]);
    expect(logs.lines).toEqual(['info leader lease acquired: this instance polls and delivers', 'warn leader lease lost: no longer polling or delivering']);

    // A graceful stop releases the lease: the other takes it at its next try, not after the TTL.
    await b.stop();
    expect(b.isLeader()).toBe(false);
    expect(await a.tick()).toBe(true);
    await a.stop();
  });

  it('keeps leading through a store hiccup shorter than the TTL, not longer', async () => {
    const c = clock();
    const backend = memoryBackend(c.now);
    let failing = false;
    const down = () => Promise.reject(new Error('store down'));
    const flaky: LeaseBackend = { ...backend, renew: (o, t) => (failing ? down() : backend.renew(o, t)), acquire: (o, t) => (failing ? down() : backend.acquire(o, t)) };
    const logs = recordingLogger();
    const lease = new LeaderLease({ backend: flaky, ttlMs: 3_000, logger: logs, now: c.now });
    expect(await lease.start()).toBe(true);
    failing = true;
    c.advance(1_000);
    expect(await lease.tick()).toBe(true);
    c.advance(2_500);
    expect(await lease.tick()).toBe(false);
    expect(logs.lines).toContain('warn leader lease check failed');
    expect(logs.lines).toContain('warn leader lease lost: no longer polling or delivering');
    failing = false;
    expect(await lease.tick()).toBe(true);
    await lease.stop();
  });
});

const LONG = 60_000;

/**
 * The SQL backend's rules over two connections to one database. `expire(owner)` lets a lease
 * last renewed with a short TTL run out: an injected clock on SQLite, the server's own on PostgreSQL.
 */
function sqlContract(open: () => Promise<{ a: LeaseBackend; b: LeaseBackend; aDb: Database; bDb: Database; expire(ttlMs: number): Promise<void> }>) {
  it('one holder at a time; only the holder renews or releases; an expired lease is taken over', async () => {
    const { a, b, expire } = await open();
    expect(await a.acquire('host:1:aa', LONG)).toBe(true);
    expect(await b.acquire('host:2:bb', LONG)).toBe(false);
    expect(await b.renew('host:2:bb', LONG)).toBe(false);
    expect(await a.acquire('host:1:aa', LONG)).toBe(true); // taking it again extends it
    expect(await b.holder()).toBe('host:1:aa');
    await b.release('host:2:bb'); // not B's: nothing happens
    expect(await b.acquire('host:2:bb', LONG)).toBe(false);

    // A's last renewal was a short one, and then A stopped renewing.
    expect(await a.renew('host:1:aa', 500)).toBe(true);
    await expire(500);
    expect(await b.acquire('host:2:bb', LONG)).toBe(true);
    expect(await a.renew('host:1:aa', LONG)).toBe(false);
    expect(await a.acquire('host:1:aa', LONG)).toBe(false);
    expect(await a.holder()).toBe('host:2:bb');

    await b.release('host:2:bb');
    expect(await a.holder()).toBeUndefined();
    expect(await a.acquire('host:1:aa', LONG)).toBe(true);
  });

  it('LeaderLease over it: one of two leads; a graceful stop hands over at the other’s next try', async () => {
    const { aDb, bDb } = await open();
    const [x, y] = [aDb, bDb].map((db, i) => new LeaderLease({ backend: sqlLeaseBackend(db), ttlMs: LONG, logger: silentLogger, owner: `host:${i + 1}:ab` }));
    expect([await x!.start(), await y!.start()]).toEqual([true, false]);
    await x!.stop();
    expect(await y!.tick()).toBe(true);
    await y!.stop();
  });
}

describe('SQL lease on SQLite: two connections to one file', () => {
  const opened: Database[] = [];
  const dirs: string[] = [];
  afterEach(async () => {
    for (const db of opened.splice(0)) await db.close();
    for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
  });
  const twoConnections = async (now?: () => number) => {
    const dir = mkdtempSync(join(tmpdir(), 'alita-lease-'));
    dirs.push(dir);
    const url = `sqlite://${join(dir, 'lease.sqlite')}`;
    const [aDb, bDb] = [await openDatabase(url, silentLogger), await openDatabase(url, silentLogger)];
    opened.push(aDb, bDb);
    const options = now ? { now } : {};
    return { aDb, bDb, a: sqlLeaseBackend(aDb, 'leader', options), b: sqlLeaseBackend(bDb, 'leader', options) };
  };

  sqlContract(async () => {
    const c = clock();
    return { ...(await twoConnections(c.now)), expire: async (ms) => void c.advance(ms + 1) };
  });

  it('takes over at once from a dead process of this host, never from a live one or another host’s', async () => {
    const { a, b } = await twoConnections();
    const dead = spawnSync(process.execPath, ['-e', '']).pid;
    expect(await a.acquire(`${hostname()}:${dead}:abcdef`, LONG)).toBe(true);
    expect(await b.acquire('host:2:bb', LONG)).toBe(true);
    expect(await b.holder()).toBe('host:2:bb');

    await b.release('host:2:bb');
    expect(await a.acquire(`${hostname()}:${process.pid}:abcdef`, LONG)).toBe(true); // alive: this test
    expect(await b.acquire('host:2:bb', LONG)).toBe(false);
    await a.release(`${hostname()}:${process.pid}:abcdef`);
    expect(await a.acquire(`elsewhere:${dead}:abcdef`, LONG)).toBe(true); // not this host: only expiry frees it
    expect(await b.acquire('host:2:bb', LONG)).toBe(false);
  });
});

describeWithPostgres('SQL lease on PostgreSQL: two connections to one database', (pg) => {
  const opened: Database[] = [];
  afterEach(async () => {
    for (const db of opened.splice(0)) await db.close();
  });
  const twoConnections = async () => {
    const { url } = await pg().freshDatabase('lease');
    const [aDb, bDb] = [await openDatabase(url, silentLogger), await openDatabase(url, silentLogger)];
    opened.push(aDb, bDb);
    return { aDb, bDb, a: sqlLeaseBackend(aDb), b: sqlLeaseBackend(bDb) };
  };

  // The server keeps the time: wait until it counts the lease as expired.
  sqlContract(async () => {
    const both = await twoConnections();
    const expire = async () => {
      const deadline = Date.now() + 90_000;
      while ((await both.b.holder()) !== undefined) {
        if (Date.now() > deadline) throw new Error('the short lease did not expire within 90 s');
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    };
    return { ...both, expire };
  });

  it('a dead process’s lease is not taken early: processes may run on other hosts, so only expiry frees it', async () => {
    const { a, b } = await twoConnections();
    const dead = spawnSync(process.execPath, ['-e', '']).pid;
    expect(await a.acquire(`${hostname()}:${dead}:abcdef`, LONG)).toBe(true);
    expect(await b.acquire('host:2:bb', LONG)).toBe(false);
  });
});
