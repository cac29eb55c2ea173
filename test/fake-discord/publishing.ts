// What was published (crossposted) from announcement channels, and Discord's limit of 10
// publishes per channel per hour (a sliding window on the fake's clock).
import type { Clock } from './clock.ts';

export const PUBLISH_LIMIT = 10;
export const PUBLISH_WINDOW_MS = 60 * 60_000;

export class Publishing {
  private readonly log = new Map<string, { messageId: string; at: number }[]>();

  constructor(private readonly clock: Clock) {}

  /** Message ids published in the channel, in order. */
  published(channelId: string): string[] {
    return (this.log.get(channelId) ?? []).map((p) => p.messageId);
  }

  /** Seconds until the channel may publish again (0: it may now). */
  retryAfter(channelId: string): number {
    const now = this.clock.now();
    const recent = (this.log.get(channelId) ?? []).filter((p) => now - p.at < PUBLISH_WINDOW_MS);
    if (recent.length < PUBLISH_LIMIT) return 0;
    const freesAt = recent[recent.length - PUBLISH_LIMIT]!.at + PUBLISH_WINDOW_MS;
    return Math.max(0.001, (freesAt - now) / 1000);
  }

  record(channelId: string, messageId: string): void {
    const list = this.log.get(channelId) ?? [];
    list.push({ messageId, at: this.clock.now() });
    this.log.set(channelId, list);
  }
}
