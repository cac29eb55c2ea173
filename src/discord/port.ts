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

/** Posts the exact body the engine built, so what tests validate is what Discord gets. */
export function restAnnouncePort(rest: REST): AnnouncePort {
  return {
    async send(channelId, body) {
      try {
        const message = (await rest.post(Routes.channelMessages(channelId), { body })) as { id: string };
        return { id: message.id };
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
