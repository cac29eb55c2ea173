// Publishing (crossposting) a message of an announcement channel to the servers that follow it.
import { PermissionFlagsBits as P } from 'discord.js';
import { rateLimitHeaders } from './faults.ts';
import { errors } from './http.ts';
import { PUBLISH_LIMIT } from './publishing.ts';
import type { Call, Route } from './rest.ts';
import type { World } from './world.ts';

/** Message flag CROSSPOSTED: set once the message was published. */
export const CROSSPOSTED = 1 << 0;
const ANNOUNCEMENT = 5;

export function publishRoutes(world: World): Route[] {
  /** Same order as the other message routes: unknown channel 10003, hidden 50001, unknown message 10008. */
  const target = (c: Call) => {
    const found = world.channel(c.params.channel!);
    if (!found) throw errors.unknownChannel();
    if (!(world.botPermissions(found.channel.id) & P.ViewChannel)) throw errors.missingAccess();
    const message = world.messages.find(found.channel.id, c.params.message!);
    if (!message) throw errors.unknownMessage();
    return { channel: found.channel, message };
  };

  return [{
    method: 'POST', pattern: '/channels/:channel/messages/:message/crosspost',
    handle: (c) => {
      const { channel, message } = target(c);
      // Only announcement channels have followers; Discord answers 50024 anywhere else.
      if (channel.type !== ANNOUNCEMENT) throw errors.wrongChannelType();
      if ((message.flags ?? 0) & CROSSPOSTED) throw errors.alreadyCrossposted();
      // Publishing one's own message needs Send Messages; someone else's needs Manage Messages.
      const needed = message.author.id === world.bot.id ? P.SendMessages : P.ManageMessages;
      if (!(world.botPermissions(channel.id) & needed)) throw errors.missingPermissions();
      // 10 per channel per hour: a per-resource limit, hence scope "shared"; the body's
      // retry_after is the precise wait, the headers carry the same value.
      const retryAfter = world.publishing.retryAfter(channel.id);
      if (retryAfter > 0) {
        const rounded = Math.round(retryAfter * 1000) / 1000;
        throw errors.rateLimited(rounded, rateLimitHeaders(rounded, { scope: 'shared', limit: PUBLISH_LIMIT }));
      }
      message.flags = ((message.flags ?? 0) | CROSSPOSTED) as typeof message.flags;
      world.publishing.record(channel.id, message.id);
      return { status: 200, body: message };
    },
  }];
}
