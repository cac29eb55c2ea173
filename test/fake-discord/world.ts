// Mutable state of one fake Discord: who the bot is, where it is, what it registered and posted.
import type { APIUser } from 'discord.js';
import { permissionsOf } from './permissions.ts';
import { buildGuild, DEFAULT_GUILDS, makeUser, snowflake, type FakeGuild, type GuildSpec } from './state.ts';
import { Clock } from './clock.ts';
import { MessageStore } from './messages.ts';
import { Publishing } from './publishing.ts';

export type StoredCommand = Record<string, unknown> & { id: string; name: string; type: number };

export interface WorldOptions {
  applicationId?: string;
  /** Application flags sent in READY (e.g. GATEWAY_MESSAGE_CONTENT_LIMITED = 1 << 19). */
  applicationFlags?: number;
  botUser?: Partial<APIUser>;
  /** The user that sendCommand/sendAutocomplete act as unless told otherwise. */
  defaultUser?: Partial<APIUser>;
  /**
   * Default: one guild "Alita Army" with text channels #news and #general and a role "Sequel News".
   * Several guilds: the bot is in each (READY lists them, one GUILD_CREATE each), and so is the
   * default user; sendCommand({ guildId }) picks where a command is run.
   */
  guilds?: GuildSpec[];
}

export class World {
  readonly applicationId: string;
  readonly applicationFlags: number;
  readonly bot: APIUser;
  readonly defaultUser: APIUser;
  readonly guilds: FakeGuild[];
  readonly messages = new MessageStore();
  /** Real time plus what tests skipped (FakeDiscord#advanceTime). */
  readonly clock = new Clock();
  readonly publishing = new Publishing(this.clock);
  /** Key: 'global' or a guild id. */
  private readonly commandSets = new Map<string, StoredCommand[]>();

  constructor(options: WorldOptions = {}) {
    this.applicationId = options.applicationId ?? snowflake();
    this.applicationFlags = options.applicationFlags ?? 0;
    // Bots created since 2020 share their id with their application.
    this.bot = makeUser({ id: this.applicationId, username: 'Alita News', global_name: null, bot: true, ...options.botUser });
    this.defaultUser = makeUser(options.defaultUser);
    this.guilds = (options.guilds ?? DEFAULT_GUILDS).map((g) => buildGuild(g, this.bot, this.defaultUser));
  }

  guild(id: string): FakeGuild | undefined {
    return this.guilds.find((g) => g.id === id);
  }

  channel(id: string): { channel: FakeGuild['channels'][number]; guild: FakeGuild } | undefined {
    for (const guild of this.guilds) {
      const channel = guild.channels.find((c) => c.id === id) ?? guild.threads.find((c) => c.id === id);
      if (channel) return { channel, guild };
    }
    return undefined;
  }

  /** Channel id by name, e.g. channelId('news'); searches the given guild or all guilds. */
  channelId(name: string, guildId?: string): string {
    const guilds = guildId ? this.guilds.filter((g) => g.id === guildId) : this.guilds;
    const found = guilds.flatMap((g) => g.channels).find((c) => c.name === name.replace(/^#/, ''));
    if (!found) throw new Error(`fake Discord has no channel named "${name}"`);
    return found.id;
  }

  roleId(name: string, guildId?: string): string {
    const guilds = guildId ? this.guilds.filter((g) => g.id === guildId) : this.guilds;
    const found = guilds.flatMap((g) => g.roles).find((r) => r.name === name);
    if (!found) throw new Error(`fake Discord has no role named "${name}"`);
    return found.id;
  }

  /** The bot's permissions in a channel, from roles and overwrites (0n for an unknown channel). */
  botPermissions(channelId: string): bigint {
    const found = this.channel(channelId);
    return found ? permissionsOf(found.guild, this.bot.id, found.channel) : 0n;
  }

  /** A member's permissions in a guild, or in one of its channels, from their roles (plus `extraRoles`) and overwrites. */
  memberPermissions(guildId: string, userId: string, channelId?: string, extraRoles: string[] = []): bigint {
    const guild = this.guild(guildId);
    if (!guild) throw new Error(`fake Discord has no guild ${guildId}`);
    const channel = channelId ? guild.channels.find((c) => c.id === channelId) : undefined;
    return permissionsOf(guild, userId, channel, extraRoles);
  }

  member(guildId: string, userId: string): FakeGuild['members'][number] | undefined {
    return this.guild(guildId)?.members.find((m) => m.user.id === userId);
  }

  findUser(id: string): APIUser | undefined {
    return this.guilds.flatMap((g) => g.members).find((m) => m.user.id === id)?.user;
  }

  commands(scope = 'global'): StoredCommand[] {
    return [...(this.commandSets.get(scope) ?? [])];
  }

  /** Bulk overwrite: Discord keeps the id of a command whose name and type did not change. */
  setCommands(scope: string, bodies: Record<string, unknown>[]): StoredCommand[] {
    const previous = this.commandSets.get(scope) ?? [];
    const stored = bodies.map((b) => this.storeCommand(scope, b, previous));
    this.commandSets.set(scope, stored);
    return stored;
  }

  upsertCommand(scope: string, body: Record<string, unknown>): StoredCommand {
    const previous = this.commandSets.get(scope) ?? [];
    const stored = this.storeCommand(scope, body, previous);
    this.commandSets.set(scope, [...previous.filter((c) => c.id !== stored.id), stored]);
    return stored;
  }

  deleteCommand(scope: string, id: string): boolean {
    const previous = this.commandSets.get(scope) ?? [];
    this.commandSets.set(scope, previous.filter((c) => c.id !== id));
    return previous.some((c) => c.id === id);
  }

  /** The registered definition sendCommand should follow: guild commands shadow global ones. */
  findCommand(name: string, guildId?: string, type = 1): StoredCommand | undefined {
    const scopes = guildId ? [guildId, 'global'] : ['global'];
    for (const scope of scopes) {
      const hit = this.commandSets.get(scope)?.find((c) => c.name === name && c.type === type);
      if (hit) return hit;
    }
    return undefined;
  }

  private storeCommand(scope: string, body: Record<string, unknown>, previous: StoredCommand[]): StoredCommand {
    const type = typeof body.type === 'number' ? body.type : 1;
    const name = String(body.name);
    const existing = previous.find((c) => c.name === name && c.type === type);
    const perms = body.default_member_permissions;
    return {
      ...body, id: existing?.id ?? snowflake(), application_id: this.applicationId, version: snowflake(), type, name,
      description: typeof body.description === 'string' ? body.description : '',
      default_member_permissions: perms === undefined || perms === null ? null : String(perms),
      nsfw: body.nsfw === true, integration_types: body.integration_types ?? [0], contexts: body.contexts ?? null,
      ...(scope === 'global' ? {} : { guild_id: scope }),
    };
  }

  application(): Record<string, unknown> {
    return {
      id: this.applicationId, name: this.bot.username, icon: null, description: '', summary: '', type: null,
      bot_public: true, bot_require_code_grant: false, verify_key: 'fake', flags: this.applicationFlags,
      bot: this.bot, owner: this.defaultUser, team: null, tags: [], redirect_uris: [], interactions_endpoint_url: null,
      approximate_guild_count: this.guilds.length, integration_types_config: { 0: {} },
    };
  }
}
