// The leader lease (src/bot/lease.ts) on each store, with an injected clock where the store
// lets us: one holder at a time, renewal only by the holder, expiry, release, and on SQLite
// the immediate takeover from a dead process of this host.
import { spawnSync } from 'node:child_process';
import { hostname } from 'node:os';
import { afterEach, describe, expect, it } from 'vitest';
import { LeaderLease, leaseBackendFor, leaseTtlFor, processLeaseBackend, type LeaseBackend } from '../../src/bot/lease.ts';
import { silentLogger, type Logger } from '../../src/log.ts';
import { openKeyv } from '../../src/store/open.ts';
import { describeWithRedis } from '../support/redis.ts';
import { tempSqliteStore } from '../support/store.ts';

function clock(start = 1_700_000_000_000) {
  let now = start;
  return { now: () => now, advance: (ms: number) => (now += ms) };
}

function recordingLogger(): Logger & { lines: string[] } {
  const lines: string[] = [];
  const log = (level: string) => (message: string) => void lines.push(`${level} ${message}`);
  return { lines, debug: log('debug'), info: log('info'), warn: log('warn'), error: log('error') };
}

/** The rules every backend keeps, with `advance` moving past expiries. */
function backendContract(make: () => Promise<{ a: LeaseBackend; b: LeaseBackend; advance(ms: number): Promise<void> }>) {
  it('one holder at a time; only the holder renews or releases; an expired lease is free', async () => {
    const { a, b, advance } = await make();
    expect(await a.acquire('A', 1_000)).toBe(true);
    expect(await b.acquire('B', 1_000)).toBe(false);
    expect(await b.renew('B', 1_000)).toBe(false);
    expect(await a.acquire('A', 1_000)).toBe(true); // taking it again extends it
    expect(await a.renew('A', 1_000)).toBe(true);
    expect(await b.holder()).toBe('A');
    await b.release('B'); // not B's: nothing happens
    expect(await b.acquire('B', 1_000)).toBe(false);

    await advance(1_200); // A stopped renewing
    expect(await b.acquire('B', 1_000)).toBe(true);
    expect(await a.renew('A', 1_000)).toBe(false);
    expect(await a.acquire('A', 1_000)).toBe(false);

    await b.release('B');
    expect(await a.holder()).toBeUndefined();
    expect(await a.acquire('A', 1_000)).toBe(true);
  });
}

describe('leaseTtlFor', () => {
  it('is 1.5 poll intervals within 3–60 s', () => {
    expect(leaseTtlFor('*/1 * * * * *')).toBe(3_000);
    expect(leaseTtlFor('*/2 * * * * *')).toBe(3_000);
    expect(leaseTtlFor('*/10 * * * * *')).toBe(15_000);
    expect(leaseTtlFor('* * * * *')).toBe(60_000);
    expect(leaseTtlFor('0 0 1 1 *')).toBe(60_000);
  });
});

describe('lease in one process (stores no other process can open)', () => {
  backendContract(async () => {
    const c = clock();
    const shared = new Map();
    return { a: processLeaseBackend(c.now, shared), b: processLeaseBackend(c.now, shared), advance: async (ms) => void c.advance(ms) };
  });
});

describe('LeaderLease', () => {
  it('leads only while its last renewal is younger than the TTL; reports changes; hands over on stop', async () => {
    const c = clock();
    const shared = new Map();
    const logs = recordingLogger();
    const a = new LeaderLease({ backend: processLeaseBackend(c.now, shared), ttlMs: 3_000, logger: logs, owner: 'host:1:aa', now: c.now });
    const b = new LeaderLease({ backend: processLeaseBackend(c.now, shared), ttlMs: 3_000, logger: silentLogger, owner: 'host:2:bb', now: c.now });
    const changes: boolean[] = [];
    expect(await a.start((leader) => changes.push(leader))).toBe(true);
    expect(await b.start()).toBe(false);
    expect(a.isLeader()).toBe(true);
    expect(b.isLeader()).toBe(false);

    c.advance(2_000);
    await a.tick(); // renewed
    c.advance(2_000);
    expect(a.isLeader()).toBe(true);
    expect(await b.tick()).toBe(false);

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
    const backend = processLeaseBackend(c.now);
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

describe('lease on SQLite: two processes on one file', () => {
  const stores: Array<{ cleanup(): Promise<void> }> = [];
  afterEach(async () => {
    for (const s of stores.splice(0)) await s.cleanup();
  });

  const twoOnOneFile = async (now: () => number) => {
    const first = await tempSqliteStore();
    stores.push(first);
    const second = await openKeyv(first.url, silentLogger);
    stores.push({ cleanup: () => second.disconnect() });
    return { a: leaseBackendFor(first.keyv, now), b: leaseBackendFor(second, now) };
  };

  backendContract(async () => {
    const c = clock();
    const { a, b } = await twoOnOneFile(c.now);
    expect([a.kind, b.kind]).toEqual(['sqlite', 'sqlite']);
    return { a, b, advance: async (ms) => void c.advance(ms) };
  });

  it('takes over at once from a dead process of this host, never from a live one', async () => {
    const { a, b } = await twoOnOneFile(Date.now);
    const dead = spawnSync(process.execPath, ['-e', '']).pid;
    expect(await a.acquire(`${hostname()}:${dead}:abcdef`, 60_000)).toBe(true);
    expect(await b.acquire('B', 60_000)).toBe(true);
    expect(await b.holder()).toBe('B');

    expect(await a.acquire(`${hostname()}:${process.pid}:abcdef`, 60_000)).toBe(false); // alive: this test
    expect(await a.acquire(`elsewhere:${dead}:abcdef`, 60_000)).toBe(false); // not this host: wait for expiry
  });
});

describeWithRedis('lease on Redis', (redis) => {
  const opened: Array<{ disconnect(): Promise<unknown> }> = [];
  afterEach(async () => {
    for (const k of opened.splice(0)) await k.disconnect().catch(() => undefined);
  });

  backendContract(async () => {
    const namespace = redis().namespace('lease');
    const [one, two] = [await openKeyv(redis().url, silentLogger, namespace), await openKeyv(redis().url, silentLogger, namespace)];
    opened.push(one, two);
    const a = leaseBackendFor(one);
    const b = leaseBackendFor(two);
    expect([a.kind, b.kind]).toEqual(['redis', 'redis']);
    // Redis keeps the time: wait for the real expiry (the contract uses 1 s leases).
    return { a, b, advance: (ms) => new Promise((resolve) => setTimeout(resolve, ms)) };
  });
});
