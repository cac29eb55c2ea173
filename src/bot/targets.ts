import type { GuildSettings } from '../store/settings.ts';

/** Where an announcement goes, and which role (if any) it pings. */
export interface Target {
  channelId: string;
  guildId?: string;
  roleId?: string;
}

/**
 * Every server that ran /setup gets its own channel and role. ANNOUNCE_CHANNEL_ID (with
 * PING_ROLE_ID) serves the server it belongs to until that server runs /setup; when its server
 * is unknown (console mode, or not yet in the cache) it is used as it is.
 */
export function announcementTargets(guilds: GuildSettings[], fallback: { channelId?: string; roleId?: string; guildId?: string }): Target[] {
  const targets: Target[] = guilds.map((g) => ({ channelId: g.channelId, guildId: g.guildId, ...(g.roleId ? { roleId: g.roleId } : {}) }));
  const { channelId, roleId, guildId } = fallback;
  const replaced = guildId !== undefined && guilds.some((g) => g.guildId === guildId);
  if (channelId && !replaced && !targets.some((t) => t.channelId === channelId)) {
    targets.push({ channelId, ...(guildId ? { guildId } : {}), ...(roleId ? { roleId } : {}) });
  }
  return targets;
}
