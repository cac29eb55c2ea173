// The fake's world: application, bot user, guilds with channels/roles/members, in Discord's wire shapes.
import { PermissionFlagsBits } from 'discord.js';
import type { APIChannel, APIGuildMember, APIRole, APIUser } from 'discord.js';

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

export interface ChannelSpec {
  id?: string;
  name: string;
  /** Discord channel type; 0 = GUILD_TEXT (default), 2 = voice, 4 = category, 5 = announcement. */
  type?: number;
  /** The bot lacks Send Messages here: posting gets 403 Missing Permissions (50013). */
  readOnly?: boolean;
}
export interface RoleSpec { id?: string; name: string; permissions?: bigint; color?: number }
export interface GuildSpec {
  id?: string;
  name: string;
  channels?: ChannelSpec[];
  roles?: RoleSpec[];
  /** Extra human members (the default interaction user is always added). */
  members?: Partial<APIUser>[];
}

export interface FakeGuild {
  id: string;
  name: string;
  channels: (APIChannel & { guild_id: string; name: string })[];
  roles: APIRole[];
  members: APIGuildMember[];
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

export function buildGuild(spec: GuildSpec, bot: APIUser, defaultUser: APIUser): FakeGuild {
  const id = spec.id ?? snowflake();
  const everyone = role(id, { id, name: '@everyone', permissions: MEMBER_PERMISSIONS }, 0, { mentionable: false });
  const botRole = role(id, { name: bot.username, permissions: BOT_PERMISSIONS }, 1, { managed: true, tags: { bot_id: bot.id } });
  const roles = [everyone, botRole, ...(spec.roles ?? []).map((r, i) => role(id, r, i + 2))];
  const readOnlyChannels = new Set<string>();
  const channels = (spec.channels ?? []).map((c, position) => {
    const channelId = c.id ?? snowflake();
    if (c.readOnly) readOnlyChannels.add(channelId);
    return {
      id: channelId, type: c.type ?? 0, guild_id: id, name: c.name, position, permission_overwrites: [],
      parent_id: null, topic: null, nsfw: false, last_message_id: null, rate_limit_per_user: 0, flags: 0,
    } as unknown as FakeGuild['channels'][number];
  });
  const humans = [defaultUser, ...(spec.members ?? []).map((m) => makeUser(m))];
  const members = [member(bot, [botRole.id]), ...humans.map((u) => member(u))];
  return { id, name: spec.name, channels, roles, members, readOnlyChannels };
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
    roles: g.roles, channels: g.channels, members: g.members, threads: [], presences: [], voice_states: [],
    stage_instances: [], guild_scheduled_events: [], emojis: [], stickers: [], soundboard_sounds: [],
    embedded_activities: [], activity_instances: [], version: Date.now(), hub_type: null, incidents_data: null,
  };
}
