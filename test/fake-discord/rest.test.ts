// REST edge cases of the fake and how discord.js reacts to them: auth, unknown routes, outages, timeouts.
import { Client, type TextChannel } from 'discord.js';
import { afterEach, describe, expect, it } from 'vitest';
import { loginTestClient } from './client.ts';
import { startFakeDiscord, type FakeDiscord } from './server.ts';

let fake: FakeDiscord | undefined;
let client: Client<true> | undefined;

async function setup(options: Parameters<typeof loginTestClient>[1] = {}) {
  fake = await startFakeDiscord();
  client = await loginTestClient(fake, options);
  return { fake, client, news: client.channels.cache.get(fake.channelId('news')) as TextChannel };
}

afterEach(async () => {
  await client?.destroy();
  await fake?.close();
  client = fake = undefined;
});

describe('REST edge cases', () => {
  it('answers unknown routes with a JSON 404 and lists them as unexpected', async () => {
    const { fake, client } = await setup();
    await expect(client.rest.get('/guilds/1/audit-logs')).rejects.toMatchObject({ status: 404 });
    expect(fake.unexpected.map((r) => r.path)).toEqual(['/guilds/1/audit-logs']);
  });

  it('rejects calls without a bot token with 401; discord.js login fails on a wrong token', async () => {
    fake = await startFakeDiscord({ token: 'right-token' });
    const res = await fetch(`${fake.apiUrl}/v10/users/@me`);
    expect(res.status).toBe(401);
    expect(await res.json()).toEqual({ message: '401: Unauthorized', code: 0 });
    await expect(loginTestClient(fake, { token: 'wrong-token' })).rejects.toMatchObject({ code: 'TokenInvalid' });
  });

  it('outage "refuse": calls fail at once, not retried; the same port serves again afterwards', async () => {
    const { fake, news } = await setup();
    await fake.setOutage('refuse');
    // @discordjs/rest only retries ECONNRESET and timeouts; a refused connection surfaces directly
    // (or as UND_ERR_SOCKET if undici reuses a keep-alive socket that was just cut).
    const error = (await news.send('lost').catch((e: unknown) => e)) as { code?: string };
    expect(['ECONNREFUSED', 'UND_ERR_SOCKET']).toContain(error.code);
    await fake.setOutage(null);
    await expect(news.send('back')).resolves.toBeDefined();
    await fake.waitForGateway(8000); // re-identify: discord.js throttles IDENTIFY to one per ~5 s
  });

  it('outage 503: every call gets 503 and discord.js gives up after its retries', async () => {
    const { fake, news } = await setup();
    await fake.setOutage(503);
    await expect(news.send('lost')).rejects.toMatchObject({ status: 503 });
    expect(fake.requests.slice(-2).map((r) => [r.status, r.fault])).toEqual([[503, 'outage'], [503, 'outage']]);
    await fake.setOutage(null);
    await expect(news.send('back')).resolves.toBeDefined();
  });

  it('a timed-out POST is retried by discord.js, and Discord may then have posted it twice', async () => {
    const { fake, news } = await setup({ rest: { timeout: 200 } });
    fake.delayNext(1, 400, { route: 'POST /channels' });
    await news.send('announcement');
    await new Promise((r) => setTimeout(r, 300));
    expect(fake.messages(news.id).map((m) => m.content)).toEqual(['announcement', 'announcement']);
  });
});
