// /setup channel: through the real discord.js Client, with the bot in TWO servers: only a text or
// announcement channel of the same server, where the bot can view, post and embed, is accepted.
import { MessageFlags, PermissionFlagsBits as P } from 'discord.js';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import feeds from '../../commands/feeds.ts';
import type { FakeMessage, GuildSpec } from '../fake-discord/server.ts';
import { snowflake } from '../fake-discord/state.ts';
import { startBotHarness, type BotHarness } from '../support/bot-harness.ts';

/** Moderator in Alita Army (through a role), an ordinary member in Iron City. */
const ALITA_MOD = { id: '700000000000000001', username: 'alita-mod', global_name: 'Alita Mod' };
/** Moderator in Iron City only. */
const IRON_MOD = { id: '700000000000000002', username: 'iron-mod', global_name: 'Iron Mod' };

const GUILDS: GuildSpec[] = [
  {
    name: 'Alita Army',
    roles: [{ name: 'Sequel News' }, { name: 'Moderators', permissions: P.ManageGuild }],
    members: [{ ...ALITA_MOD, roles: ['Moderators'] }, IRON_MOD],
    channels: [
      { name: 'news' },
      { name: 'general' },
      { name: 'updates', type: 5 },
      { name: 'Lounge', type: 2 },
      { name: 'ideas', type: 15 },
      { name: 'Events', type: 13 },
      { name: 'no-embeds', denyBot: P.EmbedLinks },
      { name: 'hidden', denyBot: P.ViewChannel },
      { name: 'mods-only', denyEveryone: P.ViewChannel, allowRoles: { Moderators: P.ViewChannel } },
    ],
  },
  {
    name: 'Iron City',
    roles: [{ name: 'Admins', permissions: P.Administrator }],
    members: [ALITA_MOD, { ...IRON_MOD, roles: ['Admins'] }],
    channels: [{ name: 'plaza' }, { name: 'factory' }],
  },
];

const DEADLINE = { timeoutMs: 30_000 };
const isPrivate = (message: FakeMessage) => ((message.flags ?? 0) & MessageFlags.Ephemeral) !== 0;

let h: BotHarness;
let alita: string;
let iron: string;

beforeAll(async () => {
  // DISCORD_GUILD_ID unset: commands registered globally, as a bot in many servers has them.
  h = await startBotHarness({ fake: { guilds: GUILDS }, env: () => ({ DISCORD_GUILD_ID: '' }) });
  [alita, iron] = h.fake.guilds.map((g) => g.id) as [string, string];
}, 120_000);

afterAll(async () => {
  await h?.close();
});

/** /setup channel:<name> run in `guildId` (default Alita Army) by `user` (default the Alita moderator). */
async function setupIn(channelName: string, options: { guildId?: string; user?: { id: string } } = {}): Promise<FakeMessage> {
  const guildId = options.guildId ?? alita;
  const channel = h.fake.channelId(channelName);
  const reply = await h.fake.sendCommand({ name: 'setup', guildId, user: options.user ?? { id: ALITA_MOD.id }, options: { channel } }).reply(DEADLINE);
  expect(isPrivate(reply)).toBe(true);
  return reply;
}

describe('/setup channel: with the bot in two servers', () => {
  it('registered globally, so both servers have it, and the bot has both servers', () => {
    expect(h.fake.commands().map((c) => c.name)).toContain('setup');
    expect(h.bot.ctx).toBeDefined();
    expect(h.fake.guilds.map((g) => g.name)).toEqual(['Alita Army', 'Iron City']);
  });

  it('accepts a text channel of the same server and stores it', async () => {
    const reply = await setupIn('general');
    expect(reply.content).toBe(`New Alita sequel news will be announced in <#${h.fake.channelId('general')}>, without pinging anyone.`);
    expect(await h.bot.ctx.settings.guild(alita)).toMatchObject({ guildId: alita, channelId: h.fake.channelId('general'), updatedBy: ALITA_MOD.id });
  });

  it('accepts an announcement channel', async () => {
    const reply = await setupIn('updates');
    expect(reply.content).toMatch(new RegExp(`^New Alita sequel news will be announced in <#${h.fake.channelId('updates')}>`));
    expect(await h.bot.ctx.settings.guild(alita)).toMatchObject({ channelId: h.fake.channelId('updates') });
  });

  it('refuses another server’s channel, even one the bot is in', async () => {
    const before = await h.bot.ctx.settings.guild(alita);
    const reply = await setupIn('plaza');
    expect(reply.content).toBe('That channel is not in this server. Pick one of this server’s text, announcement or forum channels.');
    expect(await h.bot.ctx.settings.guild(alita)).toEqual(before);
    expect(await h.bot.ctx.settings.guild(iron)).toBeUndefined();
  });

  it('refuses a channel of a server the bot is not in, as a modified client could send', async () => {
    const before = await h.bot.ctx.settings.guild(alita);
    const id = snowflake();
    const reply = await h.fake.sendCommand({
      name: 'setup', guildId: alita, user: { id: ALITA_MOD.id },
      options: [{ name: 'channel', type: 7, value: id }],
      resolved: { channels: { [id]: { id, name: 'elsewhere', type: 0, guild_id: snowflake(), permissions: '0' } } },
    }).reply(DEADLINE);
    expect(reply.content).toMatch(/^That channel is not in this server\./);
    expect(await h.bot.ctx.settings.guild(alita)).toEqual(before);
  });

  it('refuses a channel the bot knows nothing of', async () => {
    const reply = await h.fake.sendCommand({
      name: 'setup', guildId: alita, user: { id: ALITA_MOD.id }, options: [{ name: 'channel', type: 7, value: snowflake() }],
    }).reply(DEADLINE);
    expect(reply.content).toMatch(/^I can't see that channel\./);
  });

  it.each([
    ['Lounge', 'a voice channel'],
    ['Events', 'a stage channel'],
  ])('refuses #%s, %s (sent anyway, past the option’s channel-type filter)', async (name, kind) => {
    const before = await h.bot.ctx.settings.guild(alita);
    const reply = await setupIn(name);
    expect(reply.content).toBe(`<#${h.fake.channelId(name)}> is ${kind}: announcements need a text, announcement or forum channel.`);
    expect(await h.bot.ctx.settings.guild(alita)).toEqual(before);
  });

  it('refuses a channel where the bot is denied Embed Links, naming it', async () => {
    const before = await h.bot.ctx.settings.guild(alita);
    const reply = await setupIn('no-embeds');
    expect(reply.content).toMatch(new RegExp(`^I can't post announcements in <#${h.fake.channelId('no-embeds')}>: the bot lacks Embed Links there\\.`));
    expect(await h.bot.ctx.settings.guild(alita)).toEqual(before);
  });

  it.each(['hidden', 'mods-only'])('refuses #%s, where the bot lacks View Channel', async (name) => {
    const before = await h.bot.ctx.settings.guild(alita);
    const reply = await setupIn(name);
    expect(reply.content).toMatch(new RegExp(`^I can't see <#${h.fake.channelId(name)}>: the bot lacks View Channel`));
    expect(await h.bot.ctx.settings.guild(alita)).toEqual(before);
  });

  it('refuses a member without Manage Server in this server, though they have it in the other', async () => {
    const asIronMod = await setupIn('general', { user: { id: IRON_MOD.id } });
    expect(asIronMod.content).toBe('You need the Manage Server permission to use /setup.');
    const asAlitaMod = await setupIn('plaza', { guildId: iron });
    expect(asAlitaMod.content).toBe('You need the Manage Server permission to use /setup.');
    const asMember = await h.fake.sendCommand({ name: 'setup', guildId: iron, options: { channel: h.fake.channelId('plaza') } }).reply(DEADLINE);
    expect(asMember.content).toBe('You need the Manage Server permission to use /setup.');
    expect(await h.bot.ctx.settings.guild(iron)).toBeUndefined();
  });

  it('each server sets up its own channel', async () => {
    const reply = await setupIn('factory', { guildId: iron, user: { id: IRON_MOD.id } });
    expect(reply.content).toMatch(new RegExp(`^New Alita sequel news will be announced in <#${h.fake.channelId('factory')}>`));
    expect(await h.bot.ctx.settings.guild(iron)).toMatchObject({ guildId: iron, channelId: h.fake.channelId('factory'), updatedBy: IRON_MOD.id });
    expect(await h.bot.ctx.settings.guild(alita)).toMatchObject({ channelId: h.fake.channelId('updates') });
  });

  it('tells autocomplete whether the member may manage the server where they type', async () => {
    const spy = vi.spyOn(feeds, 'autocomplete').mockResolvedValue([]);
    try {
      const typeIn = (guildId: string, user: { id: string }) =>
        h.fake.sendAutocomplete({ name: 'feeds', subcommand: 'remove', focused: 'url', value: '', guildId, user });
      await typeIn(alita, { id: ALITA_MOD.id });
      await typeIn(iron, { id: ALITA_MOD.id });
      await typeIn(iron, { id: IRON_MOD.id });
      expect(spy.mock.calls.map(([request]) => [request.guildId, request.canManageGuild])).toEqual([[alita, true], [iron, false], [iron, true]]);
    } finally {
      spy.mockRestore();
    }
  });
});
