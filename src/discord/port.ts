import { DiscordAPIError, HTTPError, RateLimitError, Routes, type REST } from 'discord.js';
import { DeliveryError, type AnnouncePort } from '../bot/delivery.ts';

/** Turns whatever discord.js threw into a DeliveryError that says whether retrying can help. */
export function toDeliveryError(error: unknown): DeliveryError {
  if (error instanceof DiscordAPIError) {
    const retryable = error.status === 429 || error.status >= 500;
    return new DeliveryError(`Discord ${error.status} (${error.code}): ${error.message}`, retryable, error.status);
  }
  if (error instanceof HTTPError) return new DeliveryError(`Discord HTTP ${error.status}: ${error.message}`, error.status === 429 || error.status >= 500 || error.status === 408, error.status);
  if (error instanceof RateLimitError) return new DeliveryError(`rate limited for ${error.retryAfter} ms`, true, 429, error.retryAfter);
  // Network failures, timeouts, aborted requests: Discord may come back.
  const message = error instanceof Error ? error.message : String(error);
  return new DeliveryError(`could not reach Discord: ${message}`, true);
}

/** Discord's code for publishing a message that already was: a publish repeated after a crash. */
const ALREADY_CROSSPOSTED = 40033;

/**
 * discord.js waits out a 429 by itself; a publish over Discord's hourly limit would wait up to an
 * hour inside one delivery round. Such a publish is rejected instead and waits in the outbox.
 */
export const rejectPublishRateLimits = (info: { route: string }): boolean => info.route.endsWith('/crosspost');

/** A forum channel as the gateway told it: its server and its tags. */
export interface ForumInfo {
  guildId: string;
  tags: Array<{ id: string; name: string }>;
}

type EmbedLike = { title?: string; description?: string; url?: string; fields?: Array<{ name: string; value: string }> };

/** What an edit changes, compared: Discord hands embeds back with fields of its own added. */
function sameText(a: EmbedLike[], b: EmbedLike[]): boolean {
  const text = (embeds: EmbedLike[]) => JSON.stringify(embeds.map((e) => [e.title ?? '', e.description ?? '', e.url ?? '', (e.fields ?? []).map((f) => [f.name, f.value])]));
  return text(a) === text(b);
}

const DISCORD_EPOCH = 1420070400000n;
/** When a snowflake (a thread's id) was made. */
const createdAt = (id: string): number => Number((BigInt(id) >> 22n) + DISCORD_EPOCH);

/**
 * Posts the exact body the engine built, so what tests validate is what Discord gets. In a forum
 * channel (`forum` knows which) each announcement is a post: a thread named after the story.
 */
export function restAnnouncePort(rest: REST, forum: (channelId: string) => ForumInfo | undefined = () => undefined): AnnouncePort {
  /** A post this bot made in the forum under `name` since `since`: the same send, repeated after a crash. */
  async function earlierPost(channelId: string, info: ForumInfo, name: string, since: string): Promise<string | undefined> {
    const active = (await rest.get(Routes.guildActiveThreads(info.guildId))) as { threads: Array<{ id: string; parent_id?: string | null; name?: string }> };
    const after = Date.parse(since) - 60_000;
    return active.threads.find((t) => t.parent_id === channelId && t.name === name && createdAt(t.id) >= after)?.id;
  }

  return {
    async send(channelId, body, post) {
      try {
        const info = forum(channelId);
        if (info && post) {
          const existing = await earlierPost(channelId, info, post.name, post.since);
          if (existing) return { id: existing };
          const { nonce: _nonce, enforce_nonce: _enforce, ...message } = body;
          const tag = info.tags.find((t) => t.name.toLowerCase() === post.tag.toLowerCase());
          const thread = (await rest.post(Routes.threads(channelId), { body: { name: post.name, message, ...(tag ? { applied_tags: [tag.id] } : {}) } })) as { id: string };
          // A forum post's first message has the thread's id.
          return { id: thread.id };
        }
        const message = (await rest.post(Routes.channelMessages(channelId), { body })) as { id: string };
        return { id: message.id };
      } catch (error) {
        throw toDeliveryError(error);
      }
    },
    async edit(channelId, messageId, body) {
      try {
        // A forum post's first message lives in the post (a thread whose id is the message's).
        const where = forum(channelId) ? messageId : channelId;
        // Already so (the edit repeated after a crash): Discord would record a second edit.
        const current = (await rest.get(Routes.channelMessage(where, messageId))) as { embeds?: EmbedLike[] };
        if (sameText(current.embeds ?? [], body.embeds)) return;
        await rest.patch(Routes.channelMessage(where, messageId), { body: { embeds: body.embeds } });
      } catch (error) {
        throw toDeliveryError(error);
      }
    },
    async publish(channelId, messageId) {
      try {
        await rest.post(Routes.channelMessageCrosspost(channelId, messageId));
      } catch (error) {
        if (error instanceof DiscordAPIError && error.code === ALREADY_CROSSPOSTED) return;
        throw toDeliveryError(error);
      }
    },
  };
}
