// Several guilds, channel kinds and permission overwrites in the fake, seen through the real discord.js Client.
import { ChannelType, Events, PermissionFlagsBits as P, Routes, type Client, type Interaction, type TextChannel } from 'discord.js';
import { afterEach, describe, expect, it } from 'vitest';
import { loginTestClient } from './client.ts';
import { startFakeDiscord, type FakeDiscord, type GuildSpec } from './server.ts';

const MOD = { id: '700000000000000001', username: 'mod', global_name: 'Mod' };

const GUILDS: GuildSpec[] = [
  {
    name: 'Alita Army',
    roles: [{ name: 'Moderators', permissions: P.ManageGuild }],
    members: [{ ...MOD, roles: ['Moderators'] }],
    channels: [
      { name: 'news' },
      { name: 'general' },
      { name: 'updates', type: 5 },
      { name: 'Lounge', type: 2 },
      { name: 'ideas', type: 15 },
      { name: 'no-embeds', denyBot: P.EmbedLinks },
      { name: 'hidden', denyBot: P.ViewChannel },
      { name: 'staff', denyEveryone: P.ViewChannel, allowRoles: { Moderators: P.ViewChannel } },
      { name: 'rules', readOnly: true },
    ],
  },
  { name: 'Iron City', members: [MOD], channels: [{ name: 'plaza' }] },
];

let fake: FakeDiscord | undefined;
let client: Client<true> | undefined;

afterEach(async () => {
  await client?.destroy();
  await fake?.close();
  client = fake = undefined;
});

async function start() {
  fake = await startFakeDiscord({ guilds: GUILDS });
  client = await loginTestClient(fake);
  const [a, b] = fake.guilds;
  return { fake, client, a: a!, b: b! };
}

describe('several guilds', () => {
  it('sends one GUILD_CREATE per guild: discord.js caches both, with their channels, kinds and the bot member', async () => {
    const { client, a, b } = await start();
    expect(client.guilds.cache.map((g) => g.name).sort()).toEqual(['Alita Army', 'Iron City']);
    const alita = client.guilds.cache.get(a.id)!;
    const iron = client.guilds.cache.get(b.id)!;
    const type = (name: string) => alita.channels.cache.find((c) => c.name === name)?.type;
    expect([type('news'), type('updates'), type('Lounge'), type('ideas')]).toEqual([ChannelType.GuildText, ChannelType.GuildAnnouncement, ChannelType.GuildVoice, ChannelType.GuildForum]);
    expect(iron.channels.cache.map((c) => c.name)).toEqual(['plaza']);
    expect(alita.members.me?.id).toBe(client.user.id);
    expect(iron.members.me?.id).toBe(client.user.id);
  });

  it('runs commands in either guild as a chosen user, with Manage Server from that guild’s roles', async () => {
    const { fake, client, a, b } = await start();
    const seen: { guild: string | null; user: string; manage: boolean | undefined }[] = [];
    client.on(Events.InteractionCreate, (i: Interaction) => {
      if (!i.isChatInputCommand()) return;
      seen.push({ guild: i.guildId, user: i.user.id, manage: i.memberPermissions?.has(P.ManageGuild) });
      void i.reply('ok');
    });
    await fake.sendCommand({ name: 'setup', user: { id: MOD.id } }).reply();
    await fake.sendCommand({ name: 'setup', guildId: b.id, user: { id: MOD.id } }).reply();
    await fake.sendCommand({ name: 'setup', guildId: b.id }).reply();
    expect(seen).toEqual([
      { guild: a.id, user: MOD.id, manage: true },
      { guild: b.id, user: MOD.id, manage: false },
      { guild: b.id, user: fake.world.defaultUser.id, manage: false },
    ]);
  });

  it('resolves a channel option of another guild with that guild’s id', async () => {
    const { fake, client, b } = await start();
    let guildOfOption: string | undefined;
    client.on(Events.InteractionCreate, (i: Interaction) => {
      if (!i.isChatInputCommand()) return;
      const channel = i.options.getChannel('channel');
      guildOfOption = channel && 'guildId' in channel ? (channel.guildId ?? undefined) : undefined;
      void i.reply('ok');
    });
    const plaza = fake.channelId('plaza');
    const handle = fake.sendCommand({ name: 'setup', options: [{ name: 'channel', type: 7, value: plaza }] });
    await handle.reply();
    expect((handle.payload.data as { resolved: { channels: Record<string, unknown> } }).resolved.channels[plaza]).toMatchObject({ guild_id: b.id, type: 0 });
    expect(guildOfOption).toBe(b.id);
  });
});

describe('channel permission overwrites', () => {
  it('are in GUILD_CREATE, so discord.js computes the bot’s permissions as Discord does', async () => {
    const { fake, client } = await start();
    const me = client.guilds.cache.get(fake.guild.id)!.members.me!;
    const perms = (name: string) => (client.channels.cache.get(fake.channelId(name)) as TextChannel).permissionsFor(me);
    expect(perms('news').has([P.ViewChannel, P.SendMessages, P.EmbedLinks])).toBe(true);
    expect(perms('no-embeds').has(P.EmbedLinks)).toBe(false);
    expect(perms('no-embeds').has(P.SendMessages)).toBe(true);
    expect(perms('hidden').has(P.ViewChannel)).toBe(false);
    expect(perms('staff').has(P.ViewChannel)).toBe(false);
    expect(perms('rules').has(P.SendMessages)).toBe(false);
    expect(fake.world.botPermissions(fake.channelId('staff'))).toBe(0n);
    expect(fake.world.memberPermissions(fake.guild.id, MOD.id, fake.channelId('staff')) & P.ViewChannel).toBe(P.ViewChannel);
  });

  it('refuses posting as Discord does: 50001 without View Channel, 50013 without Send Messages', async () => {
    const { fake, client } = await start();
    const post = (name: string, body: Record<string, unknown>) => client.rest.post(Routes.channelMessages(fake.channelId(name)), { body });
    await expect(post('hidden', { content: 'hi' })).rejects.toMatchObject({ status: 403, code: 50001 });
    await expect(post('staff', { content: 'hi' })).rejects.toMatchObject({ status: 403, code: 50001 });
    await expect(client.rest.get(Routes.channel(fake.channelId('hidden')))).rejects.toMatchObject({ status: 403, code: 50001 });
    await expect(post('rules', { content: 'hi' })).rejects.toMatchObject({ status: 403, code: 50013 });
    await expect(post('Lounge', { content: 'hi' })).rejects.toMatchObject({ status: 400, code: 50008 });
    await expect(post('updates', { content: 'hi' })).resolves.toMatchObject({ content: 'hi' });
    for (const name of ['hidden', 'staff', 'rules']) expect(fake.messages(fake.channelId(name))).toEqual([]);
  });

  it('without Embed Links: an embed-only message gets 50013, a message with content loses its embeds', async () => {
    const { fake, client } = await start();
    const channelId = fake.channelId('no-embeds');
    const embeds = [{ title: 'Alita 2' }];
    await expect(client.rest.post(Routes.channelMessages(channelId), { body: { embeds } })).rejects.toMatchObject({ status: 403, code: 50013 });
    await client.rest.post(Routes.channelMessages(channelId), { body: { content: '<@&1>', embeds } });
    expect(fake.messages(channelId).map((m) => [m.content, m.embeds])).toEqual([['<@&1>', []]]);
  });

  it('the interaction’s app_permissions are the bot’s in that channel', async () => {
    const { fake, client } = await start();
    let canEmbed: boolean | undefined;
    client.on(Events.InteractionCreate, (i: Interaction) => {
      if (!i.isChatInputCommand()) return;
      canEmbed = i.appPermissions?.has(P.EmbedLinks);
      void i.reply('ok');
    });
    await fake.sendCommand({ name: 'latest', channelId: fake.channelId('no-embeds') }).reply();
    expect(canEmbed).toBe(false);
  });
});
