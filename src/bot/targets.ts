import type { Target } from '../engine/record-plan.ts';
import type { ServerSettings } from '../store/sql/types.ts';
import type { PolledFeed } from './context.ts';

export type { Target };

/** The next time it is `hour`:00 UTC, after `now`: when a digest-mode server's daily digest is due. */
export function nextDigestAt(now: Date, hour: number): string {
  const at = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate(), hour));
  if (at.getTime() <= now.getTime()) at.setUTCDate(at.getUTCDate() + 1);
  return at.toISOString();
}

/**
 * Every server that ran /setup gets its own channel and role. ANNOUNCE_CHANNEL_ID (with
 * PING_ROLE_ID) serves the server it belongs to until that server runs /setup; when its server
 * is unknown (console mode, or not yet in the cache) it is used as it is.
 * A digest-mode server's target carries when its next daily digest is due.
 */
export function announcementTargets(guilds: ServerSettings[], fallback: { channelId?: string; roleId?: string; guildId?: string }, now = new Date()): Target[] {
  const targets: Target[] = guilds.map((g) => ({
    channelId: g.channelId,
    guildId: g.guildId,
    ...(g.roleId ? { roleId: g.roleId } : {}),
    ...(g.digestHour !== undefined ? { dailyAt: nextDigestAt(now, g.digestHour) } : {}),
  }));
  const { channelId, roleId, guildId } = fallback;
  const replaced = guildId !== undefined && guilds.some((g) => g.guildId === guildId);
  if (channelId && !replaced && !targets.some((t) => t.channelId === channelId)) {
    targets.push({ channelId, ...(guildId ? { guildId } : {}), ...(roleId ? { roleId } : {}) });
  }
  return targets;
}

/** Where a feed's items go: an operator feed everywhere, a server's own feed in that server only. */
export function targetsForFeed(feed: PolledFeed, targets: Target[]): Target[] {
  if (feed.operator) return targets;
  const guilds = new Set(feed.guilds);
  return targets.filter((target) => target.guildId !== undefined && guilds.has(target.guildId));
}
