/** Publishing on any engine: the message a delivery made, publishes waiting, done, deferred or failed. */
import { describe, expect, it } from 'vitest';
import { at, entry, freshStores, type Engine } from './fixtures.ts';

const key = (channelId: string, itemId: string) => ({ channelId, itemId });

export function publishContract(engine: () => Engine): void {
  describe('outbox publishing', () => {
    const current = freshStores(engine);

    it('keeps the message a delivery made; only a send meant to be published waits, once per message', async () => {
      const { outbox } = current().stores;
      await outbox.enqueue([entry('c1', 'a'), entry('c1', 'b'), entry('c1', 'c'), entry('c2', 'd')], new Date(at(0)));
      await outbox.markDelivered([key('c1', 'a')], new Date(at(1)), { messageId: 'm-a', publish: true });
      // A digest: one message for two entries, published once.
      await outbox.markDelivered([key('c1', 'b'), key('c1', 'c')], new Date(at(1)), { messageId: 'm-bc', publish: true });
      await outbox.markDelivered([key('c2', 'd')], new Date(at(1)), { messageId: 'm-d' });
      const waiting = await outbox.pendingPublishes();
      expect(waiting.map((e) => [e.key, e.messageId, e.publish])).toEqual([['c1:a', 'm-a', 'pending'], ['c1:b', 'm-bc', 'pending']]);
      expect(await outbox.counts()).toMatchObject({ pending: 0, publishing: 2 });
    });

    it('records publishes per channel for the hourly limit, defers and fails them', async () => {
      const { outbox } = current().stores;
      const ids = ['1', '2', '3', '4'];
      await outbox.enqueue(ids.map((id) => entry('c1', id)), new Date(at(0)));
      for (const id of ids) await outbox.markDelivered([key('c1', id)], new Date(at(0)), { messageId: `m${id}`, publish: true });
      await outbox.markPublished(key('c1', '1'), new Date(at(10)));
      await outbox.markPublished(key('c1', '2'), new Date(at(20)));
      // Publishing twice changes nothing: the first time stands.
      await outbox.markPublished(key('c1', '1'), new Date(at(30)));
      expect(await outbox.publishedSince('c1', new Date(at(15)))).toEqual([new Date(at(20))]);
      expect(await outbox.publishedSince('c1', new Date(at(0)))).toEqual([new Date(at(10)), new Date(at(20))]);
      expect(await outbox.publishedSince('c2', new Date(at(0)))).toEqual([]);
      await outbox.deferPublish(key('c1', '3'), new Date(at(90)), 'limit', false);
      await outbox.deferPublish(key('c1', '3'), new Date(at(95)), 'Discord 500', true);
      await outbox.failPublish(key('c1', '4'), 'not an announcement channel');
      const waiting = await outbox.pendingPublishes();
      expect(waiting.map((e) => [e.key, e.publishAfter, e.publishAttempts])).toEqual([['c1:3', at(95), 1]]);
      expect(await outbox.counts()).toMatchObject({ publishing: 1 });
    });
  });
}
