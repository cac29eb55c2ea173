import { ChannelType, Client, Events, GatewayIntentBits, Status, type ClientOptions } from 'discord.js';
import type { Command } from '../bot/command.ts';
import type { BotContext } from '../bot/context.ts';
import type { AnnouncePort } from '../bot/delivery.ts';
import { handleInteraction } from './interactions.ts';
import { rejectPublishRateLimits, restAnnouncePort } from './port.ts';

export interface DiscordBot {
  client: Client;
  port: AnnouncePort;
  guildOfChannel(channelId: string): string | undefined;
  /** Whether the channel is an announcement channel (its messages can be published), as the gateway told. */
  isAnnouncementChannel(channelId: string): boolean;
  /** Whether the bot can give and take the role in the channel's server: Manage Roles, and the role below its highest. */
  canManageRole(channelId: string, roleId: string): boolean;
  /** Whether every gateway shard is connected and ready (false while one reconnects). */
  connected(): boolean;
  destroy(): Promise<void>;
}

/** Discord could not be reached or refused the bot at login: one line for the operator, naming the host. */
export class DiscordLoginError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'DiscordLoginError';
  }
}

const NETWORK_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ENOTFOUND', 'EAI_AGAIN', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'UND_ERR_CONNECT_TIMEOUT', 'UND_ERR_SOCKET']);
const DEFAULT_API = 'https://discord.com/api';

/** "connect ECONNREFUSED 127.0.0.1:1" named no one: say it is Discord's API, and where. */
export function loginFailure(error: unknown, apiUrl = DEFAULT_API): Error {
  const { code, cause, name, status, message } = (error ?? {}) as { code?: unknown; cause?: { code?: unknown }; name?: unknown; status?: unknown; message?: unknown };
  const host = URL.canParse(apiUrl) ? new URL(apiUrl).host : apiUrl;
  const custom = apiUrl === DEFAULT_API ? '' : ' (DISCORD_API_URL)';
  const text = typeof message === 'string' ? message : String(error);
  const network = [code, cause?.code].some((c) => typeof c === 'string' && NETWORK_CODES.has(c));
  if (network || name === 'AbortError') return new DiscordLoginError(`cannot reach Discord: its API at ${host}${custom} did not answer (${text}); check the network and firewall`, { cause: error });
  // discord.js turns the API's 401 into its own TokenInvalid error.
  if (status === 401 || code === 'TokenInvalid') return new DiscordLoginError(`DISCORD_TOKEN: Discord's API at ${host}${custom} refused the token (${text}); copy it again from the Developer Portal (Bot → Reset Token)`, { cause: error });
  return error instanceof Error ? error : new Error(text);
}

export interface DiscordOptions {
  token: string;
  /** Discord's own API unless set (DISCORD_API_URL): Discord-compatible servers and tests. */
  apiUrl?: string;
  /** Extra client options (tests shorten timeouts and retries). */
  client?: Partial<ClientOptions>;
}

/** Logs in and wires interactions to the commands; resolves once the gateway is ready. */
export async function startDiscord(ctx: BotContext, commands: Command[], options: DiscordOptions): Promise<DiscordBot> {
  const { logger } = ctx;
  const client = new Client({
    intents: [GatewayIntentBits.Guilds],
    ...options.client,
    // A few quick retries only: the outbox owns retrying with back-off across cycles.
    rest: { retries: 1, timeout: 15_000, rejectOnRateLimit: rejectPublishRateLimits, ...(options.apiUrl ? { api: options.apiUrl } : {}), ...options.client?.rest },
  });
  const byName = new Map(commands.map((c) => [c.data.name, c]));
  client.on(Events.InteractionCreate, (interaction) => void handleInteraction(interaction, byName, ctx));
  client.on(Events.Error, (error) => logger.error('discord client error', { error: error.message }));
  client.on(Events.ShardDisconnect, (event, shard) => logger.warn('gateway disconnected', { shard, code: event.code }));
  client.on(Events.ShardResume, (shard) => logger.info('gateway resumed', { shard }));
  const ready = new Promise<void>((resolve) => client.once(Events.ClientReady, () => resolve()));
  try {
    await client.login(options.token);
  } catch (error) {
    throw loginFailure(error, options.apiUrl);
  }
  await ready;
  logger.info('connected to Discord', { user: client.user?.tag, guilds: client.guilds.cache.size });
  return {
    client,
    port: restAnnouncePort(client.rest, (channelId) => {
      const channel = client.channels.cache.get(channelId);
      if (channel?.type !== ChannelType.GuildForum) return undefined;
      return { guildId: channel.guildId, tags: channel.availableTags.map((t) => ({ id: t.id, name: t.name })) };
    }),
    guildOfChannel(channelId) {
      const channel = client.channels.cache.get(channelId);
      return channel && 'guildId' in channel ? channel.guildId : undefined;
    },
    isAnnouncementChannel(channelId) {
      return client.channels.cache.get(channelId)?.type === ChannelType.GuildAnnouncement;
    },
    canManageRole(channelId, roleId) {
      const channel = client.channels.cache.get(channelId);
      const guild = channel && 'guild' in channel ? channel.guild : undefined;
      // discord.js's `editable`: the bot has Manage Roles, the role is below its highest, and no integration manages it.
      return guild?.roles.cache.get(roleId)?.editable === true;
    },
    connected() {
      return client.ws.shards.size > 0 && client.ws.shards.every((shard) => shard.status === Status.Ready);
    },
    async destroy() {
      await client.destroy();
    },
  };
}
