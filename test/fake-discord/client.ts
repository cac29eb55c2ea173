// Logs a real discord.js Client into a fake Discord, for tests of the fake and of bot wiring.
import { Client, Events, GatewayIntentBits, type ClientOptions } from 'discord.js';
import type { FakeDiscord } from './server.ts';

export interface TestClientOptions extends Partial<ClientOptions> {
  /** Default 'fake-bot-token'. */
  token?: string;
}

/**
 * discord.js waits 5–6.5 s between two IDENTIFYs of a shard; pass as `ws` option so a re-identify
 * after an outage or invalidated session happens at once (a resume is never throttled).
 */
export const noIdentifyThrottle: NonNullable<ClientOptions['ws']> = {
  buildIdentifyThrottler: () => ({ waitForIdentify: async () => {} }),
};

/**
 * Defaults chosen for tests: `retries: 1` so a persistent 5xx fails after 2 attempts instead of 4,
 * and `timeout: 5000` so a hung request fails well inside a test timeout (@discordjs/rest defaults:
 * 3 retries, 15000 ms).
 */
export async function loginTestClient(fake: FakeDiscord, options: TestClientOptions = {}): Promise<Client<true>> {
  const { token = 'fake-bot-token', rest, ...clientOptions } = options;
  const client = new Client({
    intents: [GatewayIntentBits.Guilds],
    ...clientOptions,
    rest: { api: fake.apiUrl, retries: 1, timeout: 5000, ...rest },
  });
  const ready = new Promise<Client<true>>((resolve) => client.once(Events.ClientReady, resolve));
  try {
    await client.login(token);
    return await ready;
  } catch (error) {
    await client.destroy();
    throw error;
  }
}
