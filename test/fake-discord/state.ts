// The fake's world: application, bot user, guilds with channels/roles/members, in Discord's wire shapes.
import { PermissionFlagsBits } from 'discord.js';
import type { APIChannel, APIGuildMember, APIOverwrite, APIRole, APIUser } from 'discord.js';
import { forumFields } from './forums.ts';

const DISCORD_EPOCH = 1420070400000n;
let increment = 0n;

/** Real-looking snowflakes, so discord.js derives sensible createdTimestamps from them. */
export function snowflake(): string {
  increment = (increment + 1n) & 0xfffn;
  return (((BigInt(Date.now()) - DISCORD_EPOCH) << 22n) | increment).toString();
}

const P = PermissionFlagsBits;
/** An ordinary member: can chat and use commands, cannot manage the server. */
export const MEMBER_PERMISSIONS = P.ViewChannel | P.SendMessages | P.EmbedLinks | P.AttachFiles | P.ReadMessageHistory |
  P.AddReactions | P.UseExternalEmojis | P.UseApplicationCommands | P.CreateInstantInvite | P.ChangeNickname |
  P.Connect | P.Speak | P.SendMessagesInThreads | P.CreatePublicThreads;
/** A moderator: MEMBER_PERMISSIONS plus Manage Server (0x20) and Manage Messages. */
export const MODERATOR_PERMISSIONS = MEMBER_PERMISSIONS | P.ManageGuild | P.ManageMessages;
/** What the bot's own role grants it in every channel. */
export const BOT_PERMISSIONS = MEMBER_PERMISSIONS | P.MentionEveryone | P.ManageMessages;
/** Every permission bit (what Administrator amounts to). */
export const ALL_PERMISSIONS = Object.values(P).reduce((all, bit) => all | bit, 0n);

export interface ChannelSpec {
  id?: string;
  name: string;
  /** Discord channel type: 0 = GUILD_TEXT (default), 2 = voice, 4 = category, 5 = announcement, 13 = stage, 15 = forum. */
  type?: number;
  /** The bot lacks Send Messages here (a member overwrite denying it): posting gets 403 Missing Permissions (50013). */
  readOnly?: boolean;
  /**
   * Permissions a member overwrite for the bot denies here, e.g. `PermissionFlagsBits.EmbedLinks`.
   * The fake refuses as Discord does: no View Channel → 403 50001 on every call about the channel;
   * no Send Messages → 403 50013 on posting; no Embed Links → an embed-only message gets 403 50013,
   * and the embeds of a message with content are dropped.
   */
  denyBot?: bigint;
  /** Permissions a role overwrite for @everyone denies here (ViewChannel makes a private channel, the bot included). */
  denyEveryone?: bigint;
  /** Permissions allowed by role overwrites here, by role name or id (e.g. { Moderators: ViewChannel }). */
  allowRoles?: Record<string, bigint>;
  /** Forum (type 15) tags: names, or full specs; `fake.tagId(forum, name)` gives their ids. */
  tags?: (string | ForumTagSpec)[];
  /** Forum flag REQUIRE_TAG: a post without a tag gets 400 40067. */
  requireTag?: boolean;
}
export interface ForumTagSpec { id?: string; name: string; moderated?: boolean; emojiId?: string | null; emojiName?: string | null }
/** `position`: higher is more powerful; default: in order above the bot's role (which is 1). */
export interface RoleSpec { id?: string; name: string; permissions?: bigint; color?: number; position?: number }
/** A human member; `roles` (names or ids of the guild's roles) decide their permissions in interactions. */
export type MemberSpec = Partial<APIUser> & { roles?: string[] };
export interface GuildSpec {
  id?: string;
  name: string;
  channels?: ChannelSpec[];
  roles?: RoleSpec[];
  /**
   * Extra human members (the default interaction user is always added, without roles). The same
   * user id in two guilds is one user, with each guild's roles.
   */
  members?: MemberSpec[];
  /** The bot's managed role: its permissions (default BOT_PERMISSIONS, without Manage Roles) and position (default 1). */
  botRole?: { permissions?: bigint; position?: number };
}

export interface FakeGuild {
  id: string;
  name: string;
  channels: (APIChannel & { guild_id: string; name: string; permission_overwrites: APIOverwrite[] })[];
  roles: APIRole[];
  members: APIGuildMember[];
  /** Threads and forum posts created through the API (not in GET /guilds/{id}/channels, as on Discord). */
  threads: FakeGuild['channels'];
  /** Channels where the bot lacks Send Messages (ChannelSpec.readOnly or denyBot), as declared. */
  readOnlyChannels: Set<string>;
}

export const DEFAULT_GUILDS: GuildSpec[] = [{
  name: 'Alita Army',
  channels: [{ name: 'news' }, { name: 'general' }],
  roles: [{ name: 'Sequel News', color: 0xc0392b }],
}];

export function makeUser(partial: Partial<APIUser> = {}): APIUser {
  return {
    id: snowflake(), username: 'gally', global_name: 'Gally', discriminator: '0', avatar: null,
    public_flags: 0, flags: 0, ...partial,
  } as APIUser;
}

function role(guildId: string, spec: RoleSpec, position: number, extra: Partial<APIRole> = {}): APIRole {
  return {
    id: spec.id ?? snowflake(), name: spec.name, color: spec.color ?? 0,
    colors: { primary_color: spec.color ?? 0, secondary_color: null, tertiary_color: null },
    hoist: false, icon: null, unicode_emoji: null, position, managed: false, mentionable: true, flags: 0,
    permissions: (spec.permissions ?? 0n).toString(), ...extra,
  } as APIRole;
}

export function member(user: APIUser, roles: string[] = []): APIGuildMember {
  return {
    user, roles, nick: null, avatar: null, banner: null, joined_at: new Date().toISOString(), premium_since: null,
    deaf: false, mute: false, flags: 0, pending: false, communication_disabled_until: null,
  } as unknown as APIGuildMember;
}

export const OVERWRITE_ROLE = 0;
export const OVERWRITE_MEMBER = 1;

function overwrite(id: string, type: number, allow: bigint, deny: bigint): APIOverwrite {
  return { id, type, allow: allow.toString(), deny: deny.toString() } as APIOverwrite;
}

/** Extra fields Discord sends for each channel type (discord.js reads them when present). */
function typeFields(type: number): Record<string, unknown> {
  if (type === 2 || type === 13) return { bitrate: 64_000, user_limit: 0, rtc_region: null, video_quality_mode: 1 };
  if (type === 15 || type === 16) {
    return { available_tags: [], default_reaction_emoji: null, default_sort_order: null, default_forum_layout: 0, default_thread_rate_limit_per_user: 0 };
  }
  return {};
}

export function buildGuild(spec: GuildSpec, bot: APIUser, defaultUser: APIUser): FakeGuild {
  const id = spec.id ?? snowflake();
  const everyone = role(id, { id, name: '@everyone', permissions: MEMBER_PERMISSIONS }, 0, { mentionable: false });
  const botRole = role(id, { name: bot.username, permissions: spec.botRole?.permissions ?? BOT_PERMISSIONS }, spec.botRole?.position ?? 1,
    { managed: true, tags: { bot_id: bot.id } });
  const roles = [everyone, botRole, ...(spec.roles ?? []).map((r, i) => role(id, r, r.position ?? i + 2))];
  const roleId = (nameOrId: string) => {
    const found = roles.find((r) => r.name === nameOrId || r.id === nameOrId);
    if (!found) throw new Error(`fake Discord: guild "${spec.name}" has no role "${nameOrId}"`);
    return found.id;
  };
  const readOnlyChannels = new Set<string>();
  const channels = (spec.channels ?? []).map((c, position) => {
    const channelId = c.id ?? snowflake();
    const denyBot = (c.denyBot ?? 0n) | (c.readOnly ? P.SendMessages : 0n);
    if (denyBot & P.SendMessages) readOnlyChannels.add(channelId);
    const overwrites: APIOverwrite[] = [];
    if (c.denyEveryone) overwrites.push(overwrite(id, OVERWRITE_ROLE, 0n, c.denyEveryone));
    for (const [name, allow] of Object.entries(c.allowRoles ?? {})) overwrites.push(overwrite(roleId(name), OVERWRITE_ROLE, allow, 0n));
    if (denyBot) overwrites.push(overwrite(bot.id, OVERWRITE_MEMBER, 0n, denyBot));
    const type = c.type ?? 0;
    return {
      id: channelId, type, guild_id: id, name: c.name, position, permission_overwrites: overwrites,
      parent_id: null, topic: null, nsfw: false, last_message_id: null, rate_limit_per_user: 0, flags: 0, ...typeFields(type), ...forumFields(c),
    } as unknown as FakeGuild['channels'][number];
  });
  // A spec with the default user's id gives that user roles here instead of adding another member.
  const extra = (spec.members ?? []).map(({ roles: memberRoles, ...user }) =>
    member(user.id === defaultUser.id ? { ...defaultUser, ...user } : makeUser(user), (memberRoles ?? []).map(roleId)));
  const defaultMember = extra.find((m) => m.user.id === defaultUser.id) ?? member(defaultUser);
  const members = [member(bot, [botRole.id]), defaultMember, ...extra.filter((m) => m !== defaultMember)];
  return { id, name: spec.name, channels, roles, members, threads: [], readOnlyChannels };
}

/** GUILD_CREATE payload: everything discord.js' Guild#_patch iterates over must be present. */
export function guildCreatePayload(g: FakeGuild, botId: string): Record<string, unknown> {
  return {
    id: g.id, name: g.name, icon: null, splash: null, discovery_splash: null, banner: null, description: null,
    owner_id: g.members.find((m) => m.user.id !== botId)?.user.id ?? botId, afk_channel_id: null, afk_timeout: 300,
    verification_level: 0, default_message_notifications: 1, explicit_content_filter: 0, mfa_level: 0, nsfw_level: 0,
    features: [], premium_tier: 0, premium_subscription_count: 0, premium_progress_bar_enabled: false,
    system_channel_id: null, system_channel_flags: 0, rules_channel_id: null, public_updates_channel_id: null,
    safety_alerts_channel_id: null, vanity_url_code: null, preferred_locale: 'en-US', max_members: 500000,
    max_video_channel_users: 25, max_stage_video_channel_users: 50, application_id: null, widget_enabled: false,
    joined_at: new Date().toISOString(), large: false, unavailable: false, lazy: true, member_count: g.members.length,
    roles: g.roles, channels: g.channels, members: g.members, threads: g.threads, presences: [], voice_states: [],
    stage_instances: [], guild_scheduled_events: [], emojis: [], stickers: [], soundboard_sounds: [],
    embedded_activities: [], activity_instances: [], version: Date.now(), hub_type: null, incidents_data: null,
  };
}
