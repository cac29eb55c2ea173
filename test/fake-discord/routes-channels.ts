// Bootstrap, identity, guild and channel-message routes.
import { PermissionFlagsBits } from 'discord.js';
import { errors } from './http.ts';
import { isForum } from './forums.ts';
import { makeMessage } from './messages.ts';
import { THREAD_TYPES } from './permissions.ts';
import type { Call, Route } from './rest.ts';
import { guildCreatePayload } from './state.ts';
import type { World } from './world.ts';

const TEXT_TYPES = new Set([0, 5, 10, 11, 12]);
/** How far back `enforce_nonce` looks; Discord documents only "the past few minutes". */
export const NONCE_WINDOW_MS = 5 * 60_000;

export function channelRoutes(world: World, wsUrl: () => string): Route[] {
  const P = PermissionFlagsBits;
  /** The channel, if the bot may see it: Discord answers 403 Missing Access (50001) otherwise. */
  const channelOf = (c: Call) => {
    const found = world.channel(c.params.channel!);
    if (!found) throw errors.unknownChannel();
    if (!(world.botPermissions(found.channel.id) & P.ViewChannel)) throw errors.missingAccess();
    return found;
  };
  const messageOf = (c: Call) => {
    const { channel } = channelOf(c);
    const message = world.messages.find(channel.id, c.params.message!);
    if (!message) throw errors.unknownMessage();
    return message;
  };
  /** Forums only take posts (POST /channels/{id}/threads); in threads the permission is Send Messages in Threads. */
  const writable = (c: Call) => {
    const { channel } = channelOf(c);
    if (isForum(channel)) throw errors.forumChannel();
    if (!TEXT_TYPES.has(channel.type)) throw errors.nonTextChannel();
    const needed = THREAD_TYPES.has(channel.type) ? P.SendMessagesInThreads : P.SendMessages;
    if (!(world.botPermissions(channel.id) & needed)) throw errors.missingPermissions();
  };
  /**
   * Without Embed Links, Discord refuses a message that is only embeds (403 50013) and drops the
   * embeds of one that has content too (discord/discord-api-docs#2601).
   */
  const withoutForbiddenEmbeds = (c: Call): Record<string, unknown> => {
    const embeds = Array.isArray(c.body.embeds) ? c.body.embeds : [];
    if (embeds.length === 0 || world.botPermissions(c.params.channel!) & P.EmbedLinks) return c.body;
    const hasContent = typeof c.body.content === 'string' && c.body.content.length > 0;
    if (!hasContent && c.files.length === 0 && !c.body.poll && !(Array.isArray(c.body.components) && c.body.components.length)) throw errors.missingPermissions();
    return { ...c.body, embeds: [] };
  };

  return [
    {
      method: 'GET', pattern: '/gateway/bot',
      handle: () => ({
        status: 200,
        body: { url: wsUrl(), shards: 1, session_start_limit: { total: 1000, remaining: 999, reset_after: 14_400_000, max_concurrency: 1 } },
      }),
    },
    { method: 'GET', pattern: '/gateway', auth: false, handle: () => ({ status: 200, body: { url: wsUrl() } }) },
    { method: 'GET', pattern: '/users/@me', handle: () => ({ status: 200, body: world.bot }) },
    { method: 'GET', pattern: '/applications/@me', handle: () => ({ status: 200, body: world.application() }) },
    { method: 'GET', pattern: '/oauth2/applications/@me', handle: () => ({ status: 200, body: world.application() }) },
    {
      method: 'GET', pattern: '/guilds/:guild',
      handle: (c) => {
        const guild = world.guild(c.params.guild!);
        if (!guild) throw errors.unknownGuild();
        const { channels: _c, members: _m, ...rest } = guildCreatePayload(guild, world.bot.id);
        return { status: 200, body: rest };
      },
    },
    {
      method: 'GET', pattern: '/guilds/:guild/channels',
      handle: (c) => {
        const guild = world.guild(c.params.guild!);
        if (!guild) throw errors.unknownGuild();
        return { status: 200, body: guild.channels };
      },
    },
    { method: 'GET', pattern: '/channels/:channel', handle: (c) => ({ status: 200, body: channelOf(c).channel }) },
    { method: 'POST', pattern: '/channels/:channel/typing', precheck: writable, handle: () => ({ status: 204 }) },
    {
      method: 'GET', pattern: '/channels/:channel/messages',
      handle: (c) => {
        const limit = Math.min(Number(c.query.get('limit') ?? 50), 100);
        // Discord lists newest first.
        return { status: 200, body: world.messages.list(channelOf(c).channel.id, true).reverse().slice(0, limit) };
      },
    },
    {
      method: 'POST', pattern: '/channels/:channel/messages', precheck: writable,
      handle: (c) => {
        const { channel, guild } = channelOf(c);
        // enforce_nonce: a repeat of a recent message by the same author returns that message, posts nothing.
        const { nonce } = c.body;
        if (c.body.enforce_nonce === true && (typeof nonce === 'string' || typeof nonce === 'number')) {
          const earlier = world.messages.findByNonce(channel.id, world.bot.id, nonce, NONCE_WINDOW_MS, world.clock.now());
          if (earlier) return { status: 200, body: earlier };
        }
        const message = makeMessage(withoutForbiddenEmbeds(c), { channelId: channel.id, guildId: guild.id, author: world.bot, files: c.files });
        world.messages.add(message);
        if ('last_message_id' in channel) channel.last_message_id = message.id;
        return { status: 200, body: message };
      },
    },
    { method: 'GET', pattern: '/channels/:channel/messages/:message', handle: (c) => ({ status: 200, body: messageOf(c) }) },
    {
      method: 'PATCH', pattern: '/channels/:channel/messages/:message',
      // Authorship is checked before the body, like the message's existence.
      precheck: (c) => { if (messageOf(c).author.id !== world.bot.id) throw errors.cannotEditOthers(); },
      handle: (c) => {
        const message = messageOf(c);
        return { status: 200, body: world.messages.edit(message, c.body, c.files) };
      },
    },
    {
      method: 'DELETE', pattern: '/channels/:channel/messages/:message',
      handle: (c) => {
        world.messages.remove(channelOf(c).channel.id, messageOf(c).id);
        return { status: 204 };
      },
    },
  ];
}
