// Publishing (crossposting) in announcement channels, and how discord.js meets the hourly limit.
import { MessageFlags, PermissionFlagsBits as P, RateLimitError, RESTEvents, Routes, type Client, type NewsChannel, type RateLimitData } from 'discord.js';
import { afterEach, describe, expect, it } from 'vitest';
import { loginTestClient, type TestClientOptions } from './client.ts';
import { PUBLISH_LIMIT, startFakeDiscord, type FakeDiscord } from './server.ts';

let fake: FakeDiscord | undefined;
let client: Client<true> | undefined;

afterEach(async () => {
  await client?.destroy();
  await fake?.close();
  client = fake = undefined;
});

async function setup(options: TestClientOptions = {}) {
  fake = await startFakeDiscord({
    guilds: [{
      name: 'Alita Army',
      channels: [{ name: 'news' }, { name: 'updates', type: 5 }, { name: 'updates-no-manage', type: 5, denyBot: P.ManageMessages }],
    }],
  });
  client = await loginTestClient(fake, options);
  const channel = (name: string) => client!.channels.cache.get(fake!.channelId(name)) as NewsChannel;
  return { fake, client, updates: channel('updates'), channel };
}

const HOUR = 60 * 60_000;

describe('publishing (crosspost)', () => {
  it('publishes the bot’s message: CROSSPOSTED flag set, the message returned, recorded in order', async () => {
    const { fake, client, updates } = await setup();
    const first = await updates.send('Alita 2 is greenlit');
    const second = await updates.send('Casting news');
    const answer = await client.rest.post(Routes.channelMessageCrosspost(updates.id, second.id)) as { id: string; flags: number };
    expect(answer).toMatchObject({ id: second.id, content: 'Casting news' });
    expect(answer.flags & MessageFlags.Crossposted).toBe(MessageFlags.Crossposted);
    await first.crosspost();
    expect(fake.published(updates.id)).toEqual([second.id, first.id]);
    expect(fake.message(updates.id, first.id)?.flags).toBe(MessageFlags.Crossposted);
  });

  it('refuses: 50024 outside announcement channels, 40033 when already published, 10008 for an unknown message', async () => {
    const { fake, client, updates, channel } = await setup();
    const news = channel('news');
    const inNews = await news.send('not an announcement channel');
    await expect(inNews.crosspost()).rejects.toMatchObject({ status: 400, code: 50024, message: 'Cannot execute action on this channel type' });
    const sent = await updates.send('once');
    await sent.crosspost();
    await expect(client.rest.post(Routes.channelMessageCrosspost(updates.id, sent.id)))
      .rejects.toMatchObject({ status: 400, code: 40033, message: 'This message has already been crossposted' });
    await expect(client.rest.post(Routes.channelMessageCrosspost(updates.id, '1'))).rejects.toMatchObject({ status: 404, code: 10008 });
    expect(fake.published(news.id)).toEqual([]);
    expect(fake.published(updates.id)).toEqual([sent.id]);
  });

  it('someone else’s message needs Manage Messages (403 50013 without it); the bot’s own only Send Messages', async () => {
    const { fake, client, channel } = await setup();
    const plain = channel('updates-no-manage');
    const theirs = fake.postAsUser(plain.id, { content: 'a member’s announcement' });
    await expect(client.rest.post(Routes.channelMessageCrosspost(plain.id, theirs.id))).rejects.toMatchObject({ status: 403, code: 50013 });
    const own = await plain.send('the bot’s announcement');
    await own.crosspost();
    const theirsElsewhere = fake.postAsUser(fake.channelId('updates'), { content: 'published by a moderator bot' });
    await client.rest.post(Routes.channelMessageCrosspost(fake.channelId('updates'), theirsElsewhere.id));
    expect([fake.published(plain.id), fake.published(fake.channelId('updates'))]).toEqual([[own.id], [theirsElsewhere.id]]);
  });

  it('the 11th publish within an hour gets 429 { retry_after, global: false } with headers; with rejectOnRateLimit discord.js throws RateLimitError', async () => {
    const { fake, updates } = await setup({ rest: { rejectOnRateLimit: ['/channels'] } });
    const sent = [];
    for (let i = 0; i <= PUBLISH_LIMIT; i++) sent.push(await updates.send(`news ${i}`));
    for (const m of sent.slice(0, PUBLISH_LIMIT)) await m.crosspost();
    fake.advanceTime(10 * 60_000); // the first publish frees its slot 50 minutes from now
    const error = await sent[PUBLISH_LIMIT]!.crosspost().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RateLimitError);
    // retryAfter: the Retry-After header (whole seconds) in ms plus @discordjs/rest's 50 ms offset.
    expect(error).toMatchObject({ global: false, scope: 'shared', limit: PUBLISH_LIMIT, method: 'POST', route: '/channels/:id/messages/:id/crosspost' });
    const { retryAfter } = error as RateLimitError;
    expect(retryAfter % 1000).toBe(50);
    expect(retryAfter).toBeGreaterThan(49 * 60_000);
    expect(retryAfter).toBeLessThanOrEqual(50 * 60_000 + 50);
    const limited = fake.requests.at(-1)!;
    expect(limited.status).toBe(429);
    expect(fake.published(updates.id)).toHaveLength(PUBLISH_LIMIT);

    // The raw answer, as Discord sends it (fetch, so no client logic in between).
    const res = await fetch(`${fake.apiUrl}/v10${Routes.channelMessageCrosspost(updates.id, sent[PUBLISH_LIMIT]!.id)}`, {
      method: 'POST', headers: { authorization: 'Bot fake-bot-token' },
    });
    expect(res.status).toBe(429);
    const body = await res.json() as { message: string; retry_after: number; global: boolean };
    expect(body).toMatchObject({ message: 'You are being rate limited.', global: false });
    expect(body.retry_after).toBeGreaterThan(49 * 60);
    expect(body.retry_after).toBeLessThanOrEqual(50 * 60);
    expect(Object.fromEntries(['retry-after', 'x-ratelimit-limit', 'x-ratelimit-remaining', 'x-ratelimit-scope'].map((h) => [h, res.headers.get(h)])))
      .toEqual({ 'retry-after': String(Math.ceil(body.retry_after)), 'x-ratelimit-limit': '10', 'x-ratelimit-remaining': '0', 'x-ratelimit-scope': 'shared' });
    expect(Number(res.headers.get('x-ratelimit-reset-after'))).toBeCloseTo(body.retry_after, 2);
    expect(fake.rejected.at(-1)).toMatchObject({ status: 429, code: 0, message: 'You are being rate limited.' });

    // An hour after the first publish the window has room again.
    fake.advanceTime(50 * 60_000);
    await sent[PUBLISH_LIMIT]!.crosspost();
    expect(fake.published(updates.id)).toHaveLength(PUBLISH_LIMIT + 1);
  });

  it('by default discord.js does not throw on the 429: it emits rateLimited, sleeps retry_after and retries by itself', async () => {
    const { fake, client, updates } = await setup();
    const limits: RateLimitData[] = [];
    client.rest.on(RESTEvents.RateLimited, (info) => limits.push(info));
    const sent = [];
    for (let i = 0; i <= PUBLISH_LIMIT; i++) sent.push(await updates.send(`news ${i}`));
    for (const m of sent.slice(0, PUBLISH_LIMIT)) await m.crosspost();
    // Leave 1.5 s of the hour, so the wait discord.js does in real time stays short. With a full
    // hour left, the crosspost() promise would simply stay pending for that hour.
    fake.advanceTime(HOUR - 1500);
    const started = Date.now();
    await sent[PUBLISH_LIMIT]!.crosspost();
    expect(Date.now() - started).toBeGreaterThanOrEqual(1000);
    const crossposts = fake.requests.filter((r) => r.path.endsWith('/crosspost')).map((r) => r.status);
    expect(crossposts.slice(-2)).toEqual([429, 200]);
    expect(limits).toHaveLength(1);
    expect(limits[0]).toMatchObject({ global: false, route: '/channels/:id/messages/:id/crosspost' });
    expect(limits[0]!.timeToReset).toBeGreaterThan(1000);
    expect(fake.published(updates.id)).toHaveLength(PUBLISH_LIMIT + 1);
  });
});
