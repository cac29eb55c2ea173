/** Outbox on any engine: order, the post/digest rule, delivered markers, retries, dead letters, pruning. */
import { describe, expect, it } from 'vitest';
import { entryNonce } from '../../src/store/sql/outbox.ts';
import { at, entry, freshStores, type Engine } from './fixtures.ts';

const now = new Date(at(0));

export function outboxContract(engine: () => Engine): void {
  describe('outbox', () => {
    const current = freshStores(engine);

    it('queues each item once per channel, in batch → date → queue order', async () => {
      const { outbox } = current().stores;
      expect(await outbox.enqueue([entry('c1', 'late', { batch: 'b2', at: at(1) }), entry('c1', 'newer', { batch: 'b1', at: at(9) })], now)).toBe(2);
      expect(await outbox.enqueue([entry('c1', 'older', { batch: 'b1', at: at(3) }), entry('c2', 'older', { batch: 'b1', at: at(3) }), entry('c1', 'late', { batch: 'b2' })], now)).toBe(2);
      expect(await outbox.enqueue([entry('c1', 'twice'), entry('c1', 'twice')], now)).toBe(1);
      const pending = await outbox.pending();
      expect(pending.map((e) => e.key)).toEqual(['c1:twice', 'c1:older', 'c2:older', 'c1:newer', 'c1:late']);
      expect(pending[0]).toMatchObject({ channelId: 'c1', itemId: 'twice', kind: 'post', state: 'pending', attempts: 0, enqueuedAt: now.toISOString() });
    });

    it('makes entries beyond maxPostsPerChannel in one batch digests, per channel, counted across calls', async () => {
      const { outbox } = current().stores;
      const batch = (b: string, channel: string, ids: string[]) => ids.map((id) => entry(channel, id, { batch: b }));
      await outbox.enqueue([...batch('b1', 'c1', ['1', '2', '3']), ...batch('b1', 'c2', ['1'])], now, { maxPostsPerChannel: 2 });
      await outbox.enqueue([...batch('b1', 'c1', ['4']), ...batch('b2', 'c1', ['5'])], now, { maxPostsPerChannel: 2 });
      // Already queued: neither counted again nor changed.
      await outbox.enqueue(batch('b1', 'c1', ['1']), now, { maxPostsPerChannel: 0 });
      const kinds = Object.fromEntries((await outbox.pending()).map((e) => [e.key, e.kind]));
      expect(kinds).toEqual({ 'c1:1': 'post', 'c1:2': 'post', 'c1:3': 'digest', 'c2:1': 'post', 'c1:4': 'digest', 'c1:5': 'post' });
    });

    it('marks several delivered at once; a delivered item is never queued again', async () => {
      const { outbox } = current().stores;
      await outbox.enqueue([entry('c1', 'a'), entry('c1', 'b'), entry('c2', 'a'), entry('c1', 'c')], now);
      expect(await outbox.markDelivered([{ channelId: 'c1', itemId: 'a' }, { channelId: 'c1', itemId: 'b' }, { channelId: 'c2', itemId: 'a' }], now)).toBe(3);
      expect((await outbox.pending()).map((e) => e.key)).toEqual(['c1:c']);
      expect(await outbox.isDelivered({ channelId: 'c1', itemId: 'a' })).toBe(true);
      expect(await outbox.isDelivered({ channelId: 'c1', itemId: 'c' })).toBe(false);
      expect(await outbox.enqueue([entry('c1', 'a')], now)).toBe(0);
      expect(await outbox.markDelivered([{ channelId: 'c1', itemId: 'a' }], now)).toBe(0);
    });

    it('reschedules, dead-letters (newest first) and counts', async () => {
      const { outbox } = current().stores;
      await outbox.enqueue([entry('c1', 'a'), entry('c1', 'b'), entry('c1', 'c'), entry('c1', 'd')], now);
      const [a] = await outbox.pending();
      const retried = await outbox.reschedule(a!, 'HTTP 503', new Date(at(5)));
      expect(retried).toMatchObject({ attempts: 1, lastError: 'HTTP 503', nextAttemptAt: at(5) });
      expect((await outbox.pending())[0]).toMatchObject({ key: 'c1:a', attempts: 1, lastError: 'HTTP 503', nextAttemptAt: at(5) });
      await outbox.deadLetter({ channelId: 'c1', itemId: 'b' }, 'Missing Access', new Date(at(1)));
      await outbox.deadLetter({ channelId: 'c1', itemId: 'c' }, 'Unknown Channel', new Date(at(2)));
      expect(await outbox.counts()).toEqual({ pending: 2, dead: 2, retrying: 1, publishing: 0 });
      const dead = await outbox.deadLetters();
      expect(dead.map((d) => [d.key, d.reason, d.failedAt])).toEqual([['c1:c', 'Unknown Channel', at(2)], ['c1:b', 'Missing Access', at(1)]]);
      expect((await outbox.deadLetters(1)).map((d) => d.key)).toEqual(['c1:c']);
      expect((await outbox.pending()).map((e) => e.key)).toEqual(['c1:a', 'c1:d']);
    });

    it('counts zero on an empty queue, and prunes delivered rows and dead letters older than 30 days only', async () => {
      const { outbox } = current().stores;
      expect(await outbox.counts()).toEqual({ pending: 0, dead: 0, retrying: 0, publishing: 0 });
      await outbox.enqueue([entry('c1', 'old'), entry('c1', 'recent'), entry('c1', 'waiting'), entry('c1', 'old-dead'), entry('c1', 'recent-dead')], now);
      await outbox.markDelivered([{ channelId: 'c1', itemId: 'old' }], new Date('2025-01-01T00:00:00Z'));
      await outbox.markDelivered([{ channelId: 'c1', itemId: 'recent' }], new Date('2025-01-25T00:00:00Z'));
      await outbox.deadLetter({ channelId: 'c1', itemId: 'old-dead' }, 'Missing Access', new Date('2025-01-02T00:00:00Z'));
      await outbox.deadLetter({ channelId: 'c1', itemId: 'recent-dead' }, 'Missing Access', new Date('2025-01-26T00:00:00Z'));
      expect(await outbox.pruneFinished(new Date('2025-02-05T00:00:00Z'))).toBe(2);
      expect(await outbox.isDelivered({ channelId: 'c1', itemId: 'recent' })).toBe(true);
      expect(await outbox.isDelivered({ channelId: 'c1', itemId: 'old' })).toBe(false);
      expect((await outbox.deadLetters()).map((d) => d.key)).toEqual(['c1:recent-dead']);
      expect((await outbox.pending()).map((e) => e.key)).toEqual(['c1:waiting']);
      expect(await outbox.counts()).toEqual({ pending: 1, dead: 1, retrying: 0, publishing: 0 });
    });

    it('keeps the nonce of the Keyv outbox: 25 hex characters from the entry key', () => {
      // Stable across versions: a retry after an upgrade still carries the nonce of the first send.
      expect(entryNonce('c1:item')).toBe('68a19e77e1e7c2aa162f495fd');
      expect(entryNonce('c1:item')).toMatch(/^[0-9a-f]{25}$/);
    });
  });
}
