// REST edge cases of the fake and how discord.js reacts to them: auth, unknown routes, outages, timeouts.
import { Client, Routes, type APIMessage, type TextChannel } from 'discord.js';
import { afterEach, describe, expect, it } from 'vitest';
import { eventually } from '../support/bot-process.ts';
import { loginTestClient } from './client.ts';
import { makeMessage, MessageStore } from './messages.ts';
import { NONCE_WINDOW_MS } from './routes-channels.ts';
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
    // The retry must be answered within the timeout, the first POST only after it: 1 s is far
    // beyond a quiet answer (a few ms), so a busy machine does not make the retry time out too.
    const { fake, news } = await setup({ rest: { timeout: 1000 } });
    fake.delayNext(1, 2000, { route: 'POST /channels' });
    await news.send('announcement');
    // The first POST is still held by the fake: it posts when its delay is over, however late.
    await eventually(() => fake.messages(news.id).length >= 2, 30_000, () => JSON.stringify(fake.messages(news.id).map((m) => m.content)));
    expect(fake.messages(news.id).map((m) => m.content)).toEqual(['announcement', 'announcement']);
  });

  it('enforce_nonce: a repeated nonce returns the earlier message instead of posting again', async () => {
    const { fake, client, news } = await setup();
    const post = (body: Record<string, unknown>) => client.rest.post(Routes.channelMessages(news.id), { body }) as Promise<APIMessage>;
    const first = await post({ content: 'Alita 2 news', nonce: 'entry-1', enforce_nonce: true });
    const again = await post({ content: 'Alita 2 news', nonce: 'entry-1', enforce_nonce: true });
    expect(again.id).toBe(first.id);
    expect(fake.messages(news.id).map((m) => m.id)).toEqual([first.id]);
    // Another nonce is another message; without enforce_nonce Discord does not check at all.
    await post({ content: 'other news', nonce: 'entry-2', enforce_nonce: true });
    await post({ content: 'Alita 2 news', nonce: 'entry-1' });
    expect(fake.messages(news.id).map((m) => m.content)).toEqual(['Alita 2 news', 'other news', 'Alita 2 news']);
    expect(fake.requests.filter((r) => r.method === 'POST').map((r) => r.status)).toEqual([200, 200, 200, 200]);
  });
});

describe('MessageStore.findByNonce', () => {
  it('matches the same author and nonce within the window only', () => {
    const store = new MessageStore();
    const author = { id: '1', username: 'bot', discriminator: '0', global_name: null, avatar: null };
    const other = { ...author, id: '2' };
    const sent = store.add(makeMessage({ content: 'x', nonce: 'n1' }, { channelId: 'c', author }));
    const at = Date.parse(sent.timestamp);
    expect(store.findByNonce('c', '1', 'n1', NONCE_WINDOW_MS, at + 1000)?.id).toBe(sent.id);
    expect(store.findByNonce('c', '2', 'n1', NONCE_WINDOW_MS, at + 1000)).toBeUndefined();
    expect(store.findByNonce('c', '1', 'n2', NONCE_WINDOW_MS, at + 1000)).toBeUndefined();
    expect(store.findByNonce('other', '1', 'n1', NONCE_WINDOW_MS, at + 1000)).toBeUndefined();
    expect(store.findByNonce('c', '1', 'n1', NONCE_WINDOW_MS, at + NONCE_WINDOW_MS + 1)).toBeUndefined();
    store.add(makeMessage({ content: 'y', nonce: 'n1' }, { channelId: 'c', author: other }));
    expect(store.findByNonce('c', '2', 'n1', NONCE_WINDOW_MS, at + 1000)?.content).toBe('y');
  });
});
