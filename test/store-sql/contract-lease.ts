/** The leader lease on any engine: compare-and-set in the database, so two owners never both hold it. */
import { describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/store/sql/database.ts';
import { sqlLeaseBackend } from '../../src/store/sql/lease.ts';
import { freshStores, until, type Engine } from './fixtures.ts';

export function leaseContract(engine: () => Engine): void {
  describe('leader lease', () => {
    const current = freshStores(engine);

    it('is acquired, renewed and released by its owner only', async () => {
      const { stores } = current();
      const lease = stores.lease;
      expect(lease.kind).toBe(engine().kind);
      expect(await lease.holder()).toBeUndefined();
      expect(await lease.acquire('host:1:aa', 60_000)).toBe(true);
      expect(await lease.acquire('host:1:aa', 60_000)).toBe(true);
      expect(await lease.acquire('host:2:bb', 60_000)).toBe(false);
      expect(await lease.holder()).toBe('host:1:aa');
      expect(await lease.renew('host:1:aa', 60_000)).toBe(true);
      expect(await lease.renew('host:2:bb', 60_000)).toBe(false);
      await lease.release('host:2:bb');
      expect(await lease.holder()).toBe('host:1:aa');
      await lease.release('host:1:aa');
      expect(await lease.holder()).toBeUndefined();
      expect(await lease.acquire('host:2:bb', 60_000)).toBe(true);
      // Leases of other names are independent.
      expect(await sqlLeaseBackend(stores.database, 'other').acquire('host:1:aa', 60_000)).toBe(true);
    });

    it('expires: once its time is up, another owner takes it', async () => {
      const { stores } = current();
      expect(await stores.lease.acquire('host:1:aa', 300)).toBe(true);
      await until(async () => (await stores.lease.holder()) === undefined);
      expect(await stores.lease.renew('host:1:aa', 300)).toBe(true);
      await until(async () => (await stores.lease.holder()) === undefined);
      expect(await stores.lease.acquire('host:2:bb', 60_000)).toBe(true);
      expect(await stores.lease.acquire('host:1:aa', 60_000)).toBe(false);
    });

    it('is held by exactly one of many owners racing on separate connections', async () => {
      const { stores, url, log } = current();
      const other = await openDatabase(url, log);
      try {
        const backends = [stores.lease, sqlLeaseBackend(other)];
        const owners = Array.from({ length: 20 }, (_, i) => `host:${100 + i}:ab`);
        const results = await Promise.all(owners.map((owner, i) => backends[i % 2]!.acquire(owner, 60_000)));
        expect(results.filter(Boolean)).toHaveLength(1);
        expect(await stores.lease.holder()).toBe(owners[results.indexOf(true)]);
      } finally {
        await other.close();
      }
    });
  });
}
