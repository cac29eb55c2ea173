// The fake Discord, exercised with the real discord.js Client: connection, messages, validation,
// REST faults and gateway drops. More in test/fake-discord/*.test.ts (interactions, REST, schema).
import { once } from 'node:events';
import { ChannelType, DiscordAPIError, Events, HTTPError, Routes, type Client, type TextChannel } from 'discord.js';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loginTestClient } from './fake-discord/client.ts';
import { startFakeDiscord, type FakeDiscord } from './fake-discord/server.ts';

let fake: FakeDiscord;
let client: Client<true>;
let news: TextChannel;

beforeEach(async () => {
  fake = await startFakeDiscord();
  client = await loginTestClient(fake);
  news = client.channels.cache.get(fake.channelId('news')) as TextChannel;
});

afterEach(async () => {
  await client?.destroy();
  await fake?.close();
});

describe('fake Discord with the real discord.js Client', () => {
  it('gets the client ready with the guild, its channels and roles', () => {
    const guild = client.guilds.cache.get(fake.guild.id);
    expect(client.user.id).toBe(fake.applicationId);
    expect(client.application.id).toBe(fake.applicationId);
    expect(guild?.name).toBe('Alita Army');
    expect(guild?.channels.cache.map((c) => c.name).sort()).toEqual(['general', 'news']);
    expect(news.type).toBe(ChannelType.GuildText);
    expect(guild?.roles.cache.some((r) => r.name === 'Sequel News')).toBe(true);
    expect(guild?.members.me?.id).toBe(client.user.id);
    expect(fake.requests.map((r) => `${r.method} ${r.path}`)).toEqual(['GET /gateway/bot']);
  });

  it('records messages the bot sends and returns them as Discord would', async () => {
    const sent = await news.send({ embeds: [{ title: 'Alita: Battle Angel 2', description: 'Filming has begun.' }] });
    const [stored] = fake.messages(news.id);
    expect(stored?.id).toBe(sent.id);
    expect(stored?.embeds[0]).toMatchObject({ type: 'rich', title: 'Alita: Battle Angel 2' });
    expect(sent.author.id).toBe(client.user.id);
    expect(fake.rejected).toEqual([]);
  });

  it('rejects a body Discord would refuse with 400 / 50035 Invalid Form Body', async () => {
    // EmbedBuilder#setTitle would throw before sending (plain objects pass through unchecked);
    // raw REST exercises the fake's own check either way.
    const body = { embeds: [{ title: 'x'.repeat(300) }] };
    const error = await client.rest.post(Routes.channelMessages(news.id), { body }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DiscordAPIError);
    expect(error).toMatchObject({ status: 400, code: 50035 });
    expect((error as DiscordAPIError).message).toContain('embeds[0].title[BASE_TYPE_MAX_LENGTH]');
    expect(fake.rejected[0]?.reasons).toEqual(['/embeds/0/title must NOT have more than 256 characters']);
    expect(fake.messages(news.id)).toEqual([]);
  });

  it('rejects embeds totalling more than 6000 characters, and empty messages', async () => {
    const embeds = [{ description: 'a'.repeat(4096) }, { description: 'b'.repeat(1905) }];
    await expect(news.send({ embeds })).rejects.toMatchObject({ status: 400, code: 50035 });
    expect(fake.rejected[0]?.reasons[0]).toMatch(/Embed size exceeds maximum size of 6000 \(got 6001\)/);
    await expect(client.rest.post(Routes.channelMessages(news.id), { body: { content: '' } }))
      .rejects.toMatchObject({ status: 400, code: 50006 });
    await expect(client.rest.post(Routes.channelMessages('1'), { body: { content: 'hi' } }))
      .rejects.toMatchObject({ status: 404, code: 10003 });
  });
});

describe('REST faults', () => {
  it('5xx: discord.js retries at once, without backoff, up to `retries` times', async () => {
    // loginTestClient sets retries: 1 (discord.js default 3): 1 failure is absorbed, 2 are not.
    // With the default of 3, failNext(2, 500) would go unnoticed by the bot.
    const route = `/channels/${news.id}/messages`;
    fake.failNext(1, 500, { route });
    await news.send('after one 500');
    fake.failNext(2, 503, { route });
    const started = Date.now();
    const error = await news.send('after two 503s').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(HTTPError);
    expect(error).toMatchObject({ status: 503 });
    expect(Date.now() - started).toBeLessThan(500);
    expect(fake.requests.filter((r) => r.path === route).map((r) => r.status)).toEqual([500, 200, 503, 503]);
    expect(fake.messages(news.id).map((m) => m.content)).toEqual(['after one 500']);
  });

  it('5xx: with discord.js defaults (retries: 3) failNext(2, 500) goes unnoticed', async () => {
    const defaults = await loginTestClient(fake, { rest: { retries: 3 } });
    try {
      fake.failNext(2, 500, { route: 'POST /channels' });
      await (defaults.channels.cache.get(news.id) as TextChannel).send('third time lucky');
      expect(fake.requests.slice(-3).map((r) => r.status)).toEqual([500, 500, 200]);
    } finally {
      await defaults.destroy();
    }
  });

  it('429: discord.js waits for X-RateLimit-Reset-After and retries by itself', async () => {
    // Retry-After is whole seconds (1) as on Discord; the bucket handler uses Reset-After (0.2 s)
    // plus its 50 ms offset. `rest: { rejectOnRateLimit }` would make it throw instead.
    fake.rateLimitNext(1, 0.2, { route: 'POST /channels' });
    const rateLimited = once(client.rest, 'rateLimited');
    const started = Date.now();
    await news.send('eventually');
    // It waited out the bucket before retrying (how much longer a busy machine took is not its doing).
    expect(Date.now() - started).toBeGreaterThanOrEqual(200);
    await expect(rateLimited).resolves.toBeDefined();
    expect(fake.requests.slice(-2).map((r) => r.status)).toEqual([429, 200]);
  });
});

describe('gateway drops', () => {
  it('discord.js resumes after a dropped connection and still gets interactions', async () => {
    client.on(Events.InteractionCreate, (i) => void (i.isChatInputCommand() && i.reply('still here')));
    const resumed = once(client, Events.ShardResume);
    fake.dropGateway();
    await resumed; // ~500 ms: discord.js waits that long before reconnecting
    expect(fake.gatewayStats).toMatchObject({ identifies: 1, resumes: 1 });
    const reply = await fake.sendCommand({ name: 'latest' }).reply();
    expect(reply.content).toBe('still here');
  });

  it('replays events dispatched while the client was disconnected', async () => {
    client.on(Events.InteractionCreate, (i) => void (i.isChatInputCommand() && i.reply('caught up')));
    fake.dropGateway();
    const handle = fake.sendCommand({ name: 'latest' });
    await expect(handle.reply()).resolves.toMatchObject({ content: 'caught up' });
  });
});
