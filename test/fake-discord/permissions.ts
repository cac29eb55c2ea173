// Discord's permission arithmetic over the fake's guilds: roles, overwrites, and threads (which
// take their parent channel's permissions).
import { PermissionFlagsBits as P } from 'discord.js';
import { ALL_PERMISSIONS, OVERWRITE_MEMBER, OVERWRITE_ROLE, type FakeGuild } from './state.ts';

export const THREAD_TYPES = new Set([10, 11, 12]);

/**
 * A member's permissions as Discord computes them (guild owner aside): @everyone and their roles,
 * Administrator → everything; in a channel, then the @everyone, role and member overwrites, and
 * without View Channel nothing else counts there.
 */
export function permissionsOf(guild: FakeGuild, userId: string, channel?: FakeGuild['channels'][number], extraRoles: string[] = []): bigint {
  const memberRoles = new Set([...(guild.members.find((m) => m.user.id === userId)?.roles ?? []), ...extraRoles]);
  const everyone = guild.roles.find((r) => r.id === guild.id);
  let permissions = BigInt(everyone?.permissions ?? 0);
  for (const r of guild.roles) if (memberRoles.has(r.id)) permissions |= BigInt(r.permissions);
  if (permissions & P.Administrator) return ALL_PERMISSIONS;
  if (channel && THREAD_TYPES.has(channel.type)) {
    const parentId = (channel as { parent_id?: string | null }).parent_id;
    channel = guild.channels.find((c) => c.id === parentId);
  }
  if (!channel) return permissions;
  const overwrites = channel.permission_overwrites ?? [];
  const apply = (allow: bigint, deny: bigint) => { permissions = (permissions & ~deny) | allow; };
  const base = overwrites.find((o) => o.id === guild.id);
  if (base) apply(BigInt(base.allow), BigInt(base.deny));
  let allow = 0n;
  let deny = 0n;
  for (const o of overwrites) {
    if (o.type === OVERWRITE_ROLE && o.id !== guild.id && memberRoles.has(o.id)) {
      allow |= BigInt(o.allow);
      deny |= BigInt(o.deny);
    }
  }
  apply(allow, deny);
  const own = overwrites.find((o) => o.type === OVERWRITE_MEMBER && o.id === userId);
  if (own) apply(BigInt(own.allow), BigInt(own.deny));
  return permissions & P.ViewChannel ? permissions : 0n;
}

/** A member's highest role position (0 = only @everyone): they can only manage roles below it. */
export function highestRolePosition(guild: FakeGuild, userId: string): number {
  const roles = new Set(guild.members.find((m) => m.user.id === userId)?.roles ?? []);
  return Math.max(0, ...guild.roles.filter((r) => roles.has(r.id)).map((r) => r.position));
}
