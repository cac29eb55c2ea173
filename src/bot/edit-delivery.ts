/**
 * Living story messages: a story already told in a channel that arrives again through other
 * outlets is not posted again; its message is edited to name them ("Also reported by"). Edits wait
 * in the database (message-edits.ts) until the story's own message exists, go out in order after
 * the round's posts, are retried with back-off, and are dropped when Discord refuses for good
 * (the message was deleted); the post stands either way.
 */
import { withOutlets } from '../engine/format.ts';
import type { Logger } from '../log.ts';
import type { Outbox } from '../store/sql/outbox.ts';
import { DeliveryError, type AnnouncePort } from './delivery.ts';

export interface EditDeps {
  outbox: Outbox;
  port: AnnouncePort;
  clock: () => Date;
  logger: Logger;
  backoff: (attempt: number) => number;
}

export async function deliverEdits(deps: EditDeps): Promise<{ edited: number; waiting: number }> {
  const { outbox, port, clock, logger } = deps;
  const pending = await outbox.edits.pending();
  if (pending.length === 0 || !port.edit) return { edited: 0, waiting: pending.length };
  // One PATCH per message carries every outlet queued for it so far.
  const byMessage = new Map<string, typeof pending>();
  for (const edit of pending) {
    const key = `${edit.channelId}\u0000${edit.itemId}`;
    byMessage.set(key, [...(byMessage.get(key) ?? []), edit]);
  }
  const blocked = new Set<string>();
  let edited = 0;
  let waiting = 0;
  for (const edits of byMessage.values()) {
    const { channelId, itemId } = edits[0]!;
    const last = edits.at(-1)!;
    const waitUntil = Math.max(...edits.map((e) => (e.nextAttemptAt ? Date.parse(e.nextAttemptAt) : 0)));
    if (blocked.has(channelId) || waitUntil > clock().getTime()) {
      blocked.add(channelId);
      waiting += edits.length;
      continue;
    }
    const entry = await outbox.entry({ channelId, itemId });
    // Told in a digest, never told here, or refused: there is no message of this story to grow.
    if (!entry || entry.state === 'dead' || entry.kind === 'digest') {
      for (const edit of edits) await outbox.edits.drop(edit.id, entry ? `the story went out as ${entry.kind === 'digest' ? 'part of a digest' : 'a dead letter'}` : 'the story was not announced here');
      continue;
    }
    // Its post has not gone out yet: the edit follows it.
    if (entry.state !== 'delivered' || !entry.messageId) {
      waiting += edits.length;
      continue;
    }
    const outlets = await outbox.edits.outlets(channelId, itemId);
    const embeds = (await outbox.edits.latestUpdate(channelId, itemId)) ?? entry.body.embeds;
    try {
      await port.edit(channelId, entry.messageId, { embeds: withOutlets(embeds, outlets) });
      await outbox.edits.markDone(channelId, itemId, last.id);
      edited++;
    } catch (error) {
      const failure = error instanceof DeliveryError ? error : new DeliveryError(error instanceof Error ? error.message : String(error), true);
      if (!failure.retryable) {
        for (const edit of edits) await outbox.edits.drop(edit.id, failure.message);
        logger.warn('story message not edited; Discord refused', { channel: channelId, item: itemId, reason: failure.message });
        continue;
      }
      blocked.add(channelId);
      waiting += edits.length;
      const next = new Date(clock().getTime() + (failure.retryAfterMs ?? deps.backoff(last.attempts + 1)));
      await outbox.edits.reschedule(last.id, failure.message, next);
      logger.warn('story message not edited; will retry', { channel: channelId, item: itemId, retryAt: next.toISOString(), reason: failure.message });
    }
  }
  return { edited, waiting };
}
