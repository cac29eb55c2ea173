import { createHash } from 'node:crypto';
import type Keyv from 'keyv';
import type { MessageBody } from '../engine/format.ts';

/** One announcement waiting to be accepted by Discord in one channel. */
export interface OutboxEntry {
  /** `${channelId}:${itemId}`: the same item is queued for a channel once. */
  key: string;
  channelId: string;
  guildId?: string;
  itemId: string;
  title: string;
  body: MessageBody;
  seq: number;
  /** The poll cycle that queued it; within one cycle, items go out by `at`, oldest first. */
  batch?: string;
  /** The item's date (published, else first seen). */
  at?: string;
  enqueuedAt: string;
  attempts: number;
  nextAttemptAt?: string;
  lastError?: string;
}

export type NewEntry = Pick<OutboxEntry, 'channelId' | 'guildId' | 'itemId' | 'title' | 'body' | 'batch' | 'at'>;

/** Oldest cycle first; inside a cycle (feeds polled in parallel) oldest item first; then queue order. */
function deliveryOrder(a: OutboxEntry, b: OutboxEntry): number {
  return (a.batch ?? '').localeCompare(b.batch ?? '') || (a.at ?? '').localeCompare(b.at ?? '') || a.seq - b.seq;
}

export interface DeadLetter extends OutboxEntry {
  failedAt: string;
  reason: string;
}

export const DEAD_LETTER_LIMIT = 100;

/**
 * A Discord message nonce for an entry (at most 25 characters). With `enforce_nonce`, Discord
 * returns the earlier message instead of posting again if a crash made us send it twice.
 */
export function entryNonce(key: string): string {
  return createHash('sha256').update(key).digest('hex').slice(0, 25);
}

/**
 * The durable queue between "new item found" and "Discord accepted it". Entries are written
 * before their items are marked seen and removed only after Discord accepted them, so a crash
 * anywhere repeats work instead of losing it; `delivered:` markers make the repeat harmless.
 */
export class Outbox {
  constructor(private readonly keyv: Keyv) {}

  private async index(): Promise<string[]> {
    return (await this.keyv.get<string[]>('outbox:index')) ?? [];
  }

  async enqueue(entries: NewEntry[], now: Date): Promise<number> {
    if (entries.length === 0) return 0;
    const index = await this.index();
    const queued = new Set(index);
    const keys = entries.map((e) => `${e.channelId}:${e.itemId}`);
    const delivered = await this.keyv.getMany<string>(keys.map((k) => `delivered:${k}`));
    let seq = (await this.keyv.get<number>('outbox:seq')) ?? 0;
    const fresh: OutboxEntry[] = [];
    entries.forEach((entry, i) => {
      const key = keys[i]!;
      if (queued.has(key) || delivered[i] || fresh.some((f) => f.key === key)) return;
      fresh.push({ ...entry, key, seq: ++seq, enqueuedAt: now.toISOString(), attempts: 0 });
    });
    if (fresh.length === 0) return 0;
    // Entries before the index: an entry without an index line is rewritten by the next enqueue.
    await this.keyv.setMany(fresh.map((entry) => ({ key: `outbox:entry:${entry.key}`, value: entry })));
    await this.keyv.set('outbox:seq', seq);
    await this.keyv.set('outbox:index', [...index, ...fresh.map((e) => e.key)]);
    return fresh.length;
  }

  /** Pending entries in the order they should reach Discord. */
  async pending(): Promise<OutboxEntry[]> {
    const index = await this.index();
    if (index.length === 0) return [];
    const entries = await this.keyv.getMany<OutboxEntry>(index.map((k) => `outbox:entry:${k}`));
    return entries.filter((e): e is OutboxEntry => Boolean(e)).sort(deliveryOrder);
  }

  async isDelivered(key: string): Promise<boolean> {
    return Boolean(await this.keyv.get(`delivered:${key}`));
  }

  async markDelivered(entry: OutboxEntry, now: Date): Promise<void> {
    await this.keyv.set(`delivered:${entry.key}`, now.toISOString());
    await this.remove(entry.key);
  }

  async reschedule(entry: OutboxEntry, error: string, nextAttemptAt: Date): Promise<OutboxEntry> {
    const updated = { ...entry, attempts: entry.attempts + 1, lastError: error, nextAttemptAt: nextAttemptAt.toISOString() };
    await this.keyv.set(`outbox:entry:${entry.key}`, updated);
    return updated;
  }

  async deadLetter(entry: OutboxEntry, reason: string, now: Date): Promise<void> {
    const dead = await this.deadLetters();
    await this.keyv.set('outbox:dead', [...dead, { ...entry, reason, failedAt: now.toISOString() }].slice(-DEAD_LETTER_LIMIT));
    await this.remove(entry.key);
  }

  async deadLetters(): Promise<DeadLetter[]> {
    return (await this.keyv.get<DeadLetter[]>('outbox:dead')) ?? [];
  }

  async counts(): Promise<{ pending: number; dead: number }> {
    return { pending: (await this.index()).length, dead: (await this.deadLetters()).length };
  }

  private async remove(key: string): Promise<void> {
    await this.keyv.set('outbox:index', (await this.index()).filter((k) => k !== key));
    await this.keyv.delete(`outbox:entry:${key}`);
  }
}
