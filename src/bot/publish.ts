/**
 * Publishing (crossposting) delivered announcements, so that servers following an announcement
 * channel receive them. Discord allows about 10 publishes per channel per hour: the rest wait in
 * the outbox (publish = 'pending') and go out as the limit allows, across restarts. A publish
 * repeated after a crash finds the message already published, which counts as done.
 */
import type { Logger } from '../log.ts';
import type { Outbox } from '../store/sql/outbox.ts';
import { DeliveryError, type AnnouncePort } from './delivery.ts';

/** Discord's documented limit: 10 publishes per channel per hour. */
export const PUBLISHES_PER_HOUR = 10;
const HOUR_MS = 60 * 60 * 1000;

export interface PublishDeps {
  outbox: Outbox;
  port: AnnouncePort;
  clock: () => Date;
  logger: Logger;
  backoff: (attempt: number) => number;
}

/** Publishes what waits and may go now, oldest first; a channel at its limit waits for its oldest publish to age out. */
export async function publishPending(deps: PublishDeps): Promise<{ published: number; waiting: number }> {
  const { outbox, port, clock, logger } = deps;
  const waitingEntries = await outbox.pendingPublishes();
  if (waitingEntries.length === 0 || !port.publish) return { published: 0, waiting: waitingEntries.length };
  const recent = new Map<string, Date[]>();
  const blocked = new Set<string>();
  let published = 0;
  let waiting = 0;
  for (const entry of waitingEntries) {
    const now = clock();
    if (blocked.has(entry.channelId) || (entry.publishAfter && Date.parse(entry.publishAfter) > now.getTime())) {
      blocked.add(entry.channelId);
      waiting++;
      continue;
    }
    let times = recent.get(entry.channelId);
    if (!times) {
      times = await outbox.publishedSince(entry.channelId, new Date(now.getTime() - HOUR_MS));
      recent.set(entry.channelId, times);
    }
    if (times.length >= PUBLISHES_PER_HOUR) {
      const until = new Date(times[times.length - PUBLISHES_PER_HOUR]!.getTime() + HOUR_MS);
      await outbox.deferPublish(entry, until, `${PUBLISHES_PER_HOUR} publishes in the last hour`, false);
      blocked.add(entry.channelId);
      waiting++;
      continue;
    }
    try {
      await port.publish(entry.channelId, entry.messageId!);
      await outbox.markPublished(entry, clock());
      times.push(clock());
      published++;
    } catch (error) {
      const failure = error instanceof DeliveryError ? error : new DeliveryError(error instanceof Error ? error.message : String(error), true);
      if (!failure.retryable) {
        await outbox.failPublish(entry, failure.message);
        logger.warn('announcement posted but not published', { channel: entry.channelId, item: entry.title, reason: failure.message });
        continue;
      }
      blocked.add(entry.channelId);
      waiting++;
      // Discord's own wait when it gave one (its limit counts publishes we did not make); else back off.
      const wait = failure.retryAfterMs ?? deps.backoff((entry.publishAttempts ?? 0) + 1);
      await outbox.deferPublish(entry, new Date(clock().getTime() + wait), failure.message, failure.retryAfterMs === undefined);
      logger.info('publish deferred', { channel: entry.channelId, item: entry.title, retryAt: new Date(clock().getTime() + wait).toISOString(), reason: failure.message });
    }
  }
  return { published, waiting };
}
