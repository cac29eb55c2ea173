/**
 * Concurrent writers lose nothing, on any engine: many calls at once in this process, on two
 * connections, and in two separate Node processes (child.ts) started together.
 */
import { describe, expect, it } from 'vitest';
import { openStores } from '../../src/store/sql/index.ts';
import { entry, freshStores, runTogether, type Engine } from './fixtures.ts';

// Child processes load TypeScript through tsx: seconds on a busy machine.
const SLOW = 120_000;

export function concurrencyContract(engine: () => Engine): void {
  describe('concurrency', () => {
    const current = freshStores(engine);

    it('200 concurrent enqueues on two connections leave 200 pending', async () => {
      const { stores, url, log } = current();
      const other = await openStores(url, log);
      try {
        const outboxes = [stores.outbox, other.outbox];
        const counts = await Promise.all(Array.from({ length: 200 }, (_, i) => outboxes[i % 2]!.enqueue([entry(`c${i % 3}`, `item-${i}`)], new Date(), { maxPostsPerChannel: 50 })));
        expect(counts.every((n) => n === 1)).toBe(true);
        const pending = await stores.outbox.pending();
        expect(pending).toHaveLength(200);
        // The post count per channel and batch held across both connections.
        expect(pending.filter((e) => e.kind === 'post')).toHaveLength(150);
      } finally {
        await other.close();
      }
    }, SLOW);

    it('holds the feed limit against concurrent adds on two connections', async () => {
      const { stores, url, log } = current();
      const other = await openStores(url, log);
      try {
        const settings = [stores.settings, other.settings];
        const outcomes = await Promise.all(Array.from({ length: 20 }, (_, i) => settings[i % 2]!.addGuildFeed({ guildId: 'g', url: `https://f/${i}`, addedAt: 't' }, 5)));
        expect(outcomes.filter((o) => o === 'added')).toHaveLength(5);
        expect(await stores.settings.guildFeeds('g')).toHaveLength(5);
      } finally {
        await other.close();
      }
    }, SLOW);

    it('two processes × 50 concurrent addGuildFeed (different servers) leave all 100', async () => {
      const { stores, url } = current();
      const results = await runTogether([['add-feeds', url, 'p1', '50'], ['add-feeds', url, 'p2', '50']]);
      expect(results.flat()).toEqual(Array.from({ length: 100 }, () => 'added'));
      expect(await stores.settings.allGuildFeeds()).toHaveLength(100);
    }, SLOW);

    it('two processes adding to one server at once never pass its limit', async () => {
      const { stores, url } = current();
      const results = (await runTogether([['add-feeds-one-guild', url, 'p1', '10', '5'], ['add-feeds-one-guild', url, 'p2', '10', '5']])).flat();
      expect(results.filter((o) => o === 'added')).toHaveLength(5);
      expect(results.filter((o) => o === 'limit')).toHaveLength(15);
      expect(await stores.settings.guildFeeds('shared-guild')).toHaveLength(5);
    }, SLOW);

    it('two processes writing settings at once lose nothing', async () => {
      const { stores, url } = current();
      expect(await runTogether([['settings', url, 'p1', '50'], ['settings', url, 'p2', '50']])).toEqual([50, 50]);
      expect(await stores.settings.guilds()).toHaveLength(100);
    }, SLOW);

    it('two processes opening an empty database at once both migrate it successfully', async () => {
      const url = await engine().freshUrl('race-processes');
      expect(await runTogether([['settings', url, 'p1', '1'], ['settings', url, 'p2', '1']])).toEqual([1, 1]);
      const stores = await openStores(url, current().log);
      expect(await stores.settings.guilds()).toHaveLength(2);
      await stores.close();
    }, SLOW);
  });
}
