import type { MessageBody } from '../engine/format.ts';
import type { Logger } from '../log.ts';
import { entryNonce, type Outbox, type OutboxEntry } from '../store/outbox.ts';

/** The one thing delivery needs from Discord (or the console): post this body in that channel. */
export interface AnnouncePort {
  send(channelId: string, body: MessageBody & { nonce?: string; enforce_nonce?: boolean }): Promise<void>;
}

/** A failed send: `retryable` for outages (network, 5xx, 429), not for what retrying cannot fix. */
export class DeliveryError extends Error {
  constructor(
    message: string,
    readonly retryable: boolean,
    readonly status?: number,
  ) {
    super(message);
    this.name = 'DeliveryError';
  }
}

export interface DeliveryDeps {
  outbox: Outbox;
  port: AnnouncePort;
  clock: () => Date;
  logger: Logger;
  /** Delay before retry N (1-based). */
  backoff?: (attempt: number) => number;
}

export const defaultBackoff = (attempt: number): number => Math.min(5_000 * 2 ** (attempt - 1), 10 * 60_000);

export interface DeliveryResult {
  sent: number;
  retrying: number;
  dead: number;
}

/**
 * Sends what the outbox holds, oldest first. A channel whose send fails for a passing reason
 * is left for a later round with back-off (and nothing after it in that channel jumps the
 * queue); a refusal retrying cannot fix goes to the dead letters and the queue moves on.
 */
export async function deliverPending(deps: DeliveryDeps): Promise<DeliveryResult> {
  const { outbox, port, clock, logger } = deps;
  const backoff = deps.backoff ?? defaultBackoff;
  const blocked = new Set<string>();
  const result: DeliveryResult = { sent: 0, retrying: 0, dead: 0 };
  for (const entry of await outbox.pending()) {
    if (blocked.has(entry.channelId)) continue;
    if (entry.nextAttemptAt && Date.parse(entry.nextAttemptAt) > clock().getTime()) {
      blocked.add(entry.channelId);
      result.retrying++;
      continue;
    }
    // A crash between Discord's answer and our bookkeeping leaves a delivered entry behind.
    if (await outbox.isDelivered(entry.key)) {
      await outbox.markDelivered(entry, clock());
      continue;
    }
    try {
      await port.send(entry.channelId, { ...entry.body, nonce: entryNonce(entry.key), enforce_nonce: true });
      await outbox.markDelivered(entry, clock());
      result.sent++;
    } catch (error) {
      await handleFailure(entry, error, { ...deps, backoff }, result, blocked);
    }
  }
  if (result.sent || result.dead) logger.info('delivery round', { ...result });
  return result;
}

async function handleFailure(entry: OutboxEntry, error: unknown, deps: Required<Pick<DeliveryDeps, 'backoff'>> & DeliveryDeps, result: DeliveryResult, blocked: Set<string>): Promise<void> {
  const { outbox, clock, logger } = deps;
  const reason = error instanceof Error ? error.message : String(error);
  const retryable = !(error instanceof DeliveryError) || error.retryable;
  if (!retryable) {
    await outbox.deadLetter(entry, reason, clock());
    logger.error('announcement refused by Discord; moved to dead letters', { channel: entry.channelId, item: entry.title, reason });
    result.dead++;
    return;
  }
  const attempt = entry.attempts + 1;
  const next = new Date(clock().getTime() + deps.backoff(attempt));
  await outbox.reschedule(entry, reason, next);
  logger.warn('announcement not delivered; will retry', { channel: entry.channelId, item: entry.title, attempt, retryAt: next.toISOString(), reason });
  blocked.add(entry.channelId);
  result.retrying++;
}
