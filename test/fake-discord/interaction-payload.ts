// Builds INTERACTION_CREATE payloads shaped like Discord's, complete enough for discord.js to
// construct ChatInputCommandInteraction / AutocompleteInteraction objects.
import { randomBytes } from 'node:crypto';
import type { APIUser } from 'discord.js';
import { makeUser, member, BOT_PERMISSIONS, snowflake } from './state.ts';
import type { StoredCommand, World } from './world.ts';

export type OptionValue = string | number | boolean;
/** An option exactly as Discord sends it; type 1 = subcommand, 2 = group, 3 string, 4 integer, 5 boolean, 10 number… */
export interface RawOption { name: string; type: number; value?: OptionValue; options?: RawOption[]; focused?: boolean }

export interface InteractionInput {
  /** Default: the first guild. null = a DM with the bot. */
  guildId?: string | null;
  /** Default: the guild's #general (or first text channel). */
  channelId?: string;
  /** Default: the world's default user. A partial without id becomes a new user. */
  user?: Partial<APIUser>;
  /**
   * Member's permissions in the channel. Default: computed from @everyone, the member's roles in
   * that guild (GuildSpec.members) and `roles`, and the channel's overwrites; for the default user
   * without roles that is MEMBER_PERMISSIONS (no Manage Server).
   */
  memberPermissions?: bigint | string | number;
  /** Role ids or names the member has (besides those the guild gives them). */
  roles?: string[];
  /** The bot's permissions in the channel. Default: computed from its role and the channel's overwrites. */
  appPermissions?: bigint | string | number;
  locale?: string;
}

export interface CommandInput extends InteractionInput {
  name: string;
  subcommandGroup?: string;
  subcommand?: string;
  /** Values by option name (types come from the registered command, else from JS types), or raw options. */
  options?: Record<string, OptionValue> | RawOption[];
  /** Extra `data.resolved` entries, merged over what the fake resolves itself. */
  resolved?: Record<string, unknown>;
}

export interface AutocompleteInput extends Omit<CommandInput, 'options'> {
  /** Name of the option being typed in. */
  focused: string;
  value: string | number;
  options?: Record<string, OptionValue>;
}

function optionDefs(def: StoredCommand | undefined, group?: string, sub?: string): RawOption[] | undefined {
  let defs = def?.options as RawOption[] | undefined;
  if (group) defs = defs?.find((o) => o.name === group)?.options;
  if (sub) defs = defs?.find((o) => o.name === sub)?.options;
  return defs;
}

function inferType(value: OptionValue, declared?: number): number {
  if (declared) return declared;
  if (typeof value === 'boolean') return 5;
  if (typeof value === 'number') return Number.isInteger(value) ? 4 : 10;
  return 3;
}

function nest(leaf: RawOption[], group?: string, sub?: string): RawOption[] {
  if (!sub) return leaf;
  const subcommand: RawOption = { type: 1, name: sub, options: leaf };
  return group ? [{ type: 2, name: group, options: [subcommand] }] : [subcommand];
}

function resolve(world: World, leaf: RawOption[], guildId: string | undefined, userId: string, roleIds: string[], memberPermissions: InteractionInput['memberPermissions']): Record<string, unknown> | undefined {
  const resolved: Record<string, Record<string, unknown>> = {};
  const put = (kind: string, id: string, value: unknown) => { (resolved[kind] ??= {})[id] = value; };
  const guild = guildId ? world.guild(guildId) : undefined;
  for (const o of leaf) {
    const id = String(o.value);
    const user = world.findUser(id);
    const role = guild?.roles.find((r) => r.id === id);
    const found = world.channel(id);
    if ((o.type === 6 || o.type === 9) && user) {
      put('users', id, user);
      const m = guild?.members.find((x) => x.user.id === id);
      if (m) put('members', id, { ...m, user: undefined, permissions: world.memberPermissions(guild!.id, id).toString() });
    }
    if ((o.type === 8 || o.type === 9) && role) put('roles', id, role);
    if (o.type === 7 && found) {
      // `permissions`: the invoking member's in that channel. Any channel id resolves, even another
      // guild's, as a modified client could send one; its guild_id says where it is.
      const { channel } = found;
      const permissions = memberPermissions ?? world.memberPermissions(found.guild.id, userId, channel.id, found.guild.id === guildId ? roleIds : []);
      put('channels', id, { id, name: channel.name, type: channel.type, guild_id: found.guild.id, permissions: String(permissions) });
    }
  }
  return Object.keys(resolved).length ? resolved : undefined;
}

type Guild = NonNullable<ReturnType<World['guild']>>;
/** Where and by whom an interaction happens. */
export interface InteractionContext { guild?: Guild; user: APIUser; channel: Record<string, unknown> & { id: string }; roleIds: string[]; memberRoles: string[] }

export function interactionContext(world: World, input: InteractionInput): InteractionContext {
  const guild = input.guildId === null ? undefined : world.guild(input.guildId ?? world.guilds[0]?.id ?? '');
  if (input.guildId && !guild) throw new Error(`fake Discord has no guild ${input.guildId}`);
  const known = input.user?.id ? world.findUser(input.user.id) : undefined;
  const user: APIUser = input.user ? { ...makeUser(input.user), ...known, ...input.user } : world.defaultUser;
  const channel = guild
    ? (input.channelId ? world.channel(input.channelId)?.channel : undefined) ??
      guild.channels.find((c) => c.name === 'general' && c.type === 0) ?? guild.channels.find((c) => c.type === 0)
    : { id: input.channelId ?? snowflake(), type: 1, recipients: [user], last_message_id: null, flags: 0 };
  if (!channel) throw new Error(`fake Discord: channel ${input.channelId} not found`);
  const roleIds = (input.roles ?? []).map((r) => guild?.roles.find((x) => x.name === r)?.id ?? r);
  const memberRoles = [...new Set([...(guild?.members.find((m) => m.user.id === user.id)?.roles ?? []), ...roleIds])];
  return { guild, user, channel: channel as InteractionContext['channel'], roleIds, memberRoles };
}

/** The INTERACTION_CREATE envelope around `data`: ids, token, channel, member or user, permissions. */
export function interactionEnvelope(world: World, ctx: InteractionContext, input: InteractionInput, type: number, data: Record<string, unknown>) {
  const { guild, user, channel } = ctx;
  const id = snowflake();
  const payload: Record<string, unknown> = {
    id, application_id: world.applicationId, type, data,
    token: `${Buffer.from(`interaction:${id}:`).toString('base64url')}${randomBytes(48).toString('base64url')}`,
    version: 1, channel_id: channel.id, channel, locale: input.locale ?? 'en-US',
    app_permissions: String(input.appPermissions ?? (guild ? world.botPermissions(channel.id) : BOT_PERMISSIONS)), entitlements: [],
    attachment_size_limit: 10_485_760, context: guild ? 0 : 1,
    authorizing_integration_owners: guild ? { 0: guild.id } : { 1: user.id },
  };
  if (guild) {
    Object.assign(payload, {
      guild_id: guild.id, guild_locale: 'en-US', guild: { id: guild.id, locale: 'en-US', features: [] },
      member: { ...member(user, ctx.memberRoles), permissions: String(input.memberPermissions ?? world.memberPermissions(guild.id, user.id, channel.id, ctx.roleIds)) },
    });
  } else {
    payload.user = user;
  }
  return { payload, id, token: payload.token as string, channelId: channel.id, guildId: guild?.id };
}

export function buildInteraction(world: World, kind: 'command' | 'autocomplete', input: CommandInput | AutocompleteInput) {
  const ctx = interactionContext(world, input);
  const { guild, user, roleIds } = ctx;
  const def = world.findCommand(input.name, guild?.id);
  const defs = optionDefs(def, input.subcommandGroup, input.subcommand);
  const typeOf = (name: string, value: OptionValue) => inferType(value, defs?.find((d) => d.name === name)?.type);

  let leaf: RawOption[];
  if (Array.isArray(input.options)) leaf = input.options;
  else leaf = Object.entries(input.options ?? {}).map(([name, value]) => ({ name, type: typeOf(name, value), value }));
  if (kind === 'autocomplete') {
    const a = input as AutocompleteInput;
    leaf = [...leaf.filter((o) => o.name !== a.focused), { name: a.focused, type: typeOf(a.focused, a.value), value: a.value, focused: true }];
  }
  const options = nest(leaf, input.subcommandGroup, input.subcommand);
  const data: Record<string, unknown> = { id: def?.id ?? snowflake(), name: input.name, type: 1 };
  if (options.length) data.options = options;
  const resolved = { ...resolve(world, leaf, guild?.id, user.id, roleIds, input.memberPermissions), ...(input as CommandInput).resolved };
  if (Object.keys(resolved).length) data.resolved = resolved;
  if (def?.guild_id) data.guild_id = def.guild_id;
  return interactionEnvelope(world, ctx, input, kind === 'command' ? 2 : 4, data);
}
