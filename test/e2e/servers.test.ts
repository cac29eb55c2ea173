// Every server its own, end to end: the real discord.js client in TWO servers of the fake Discord.
// An operator feed announces in both, once each; a server's own feed only there; one server can
// neither list, remove nor autocomplete the other's feed; a burst of news gives at most
// MAX_ANNOUNCEMENTS_PER_POLL posts plus one digest per channel.
import { PermissionFlagsBits as P } from 'discord.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { GuildSpec } from '../fake-discord/server.ts';
import { sequel, startBotHarness, type BotHarness } from '../support/bot-harness.ts';
import { rss, type TestItem } from '../support/feeds.ts';
import { startHttpServer, type TestServer } from '../support/http-server.ts';

const ALITA_MOD = { id: '710000000000000001', username: 'alita-mod', global_name: 'Alita Mod' };
const IRON_MOD = { id: '710000000000000002', username: 'iron-mod', global_name: 'Iron Mod' };
const GUILDS: GuildSpec[] = [
  { name: 'Alita Army', roles: [{ name: 'Moderators', permissions: P.ManageGuild }], members: [{ ...ALITA_MOD, roles: ['Moderators'] }, IRON_MOD], channels: [{ name: 'news' }] },
  { name: 'Iron City', roles: [{ name: 'Moderators', permissions: P.ManageGuild }], members: [ALITA_MOD, { ...IRON_MOD, roles: ['Moderators'] }], channels: [{ name: 'plaza' }] },
];
const DEADLINE = { timeoutMs: 60_000 };

let h: BotHarness;
let own: TestServer;
let ownItems: TestItem[] = [];
let alita: string;
let iron: string;
const ownUrl = () => `${own.url}/own.xml`;
const onlyOwn = (n: number) => sequel(n, { title: `Alita 2 exclusive number ${n}`, link: `https://own.example.org/${n}` });

beforeAll(async () => {
  own = await startHttpServer((_req, res) => res.writeHead(200, { 'content-type': 'application/rss+xml' }).end(rss(ownItems)));
  // Commands registered globally (DISCORD_GUILD_ID unset), as for a bot in many servers; no
  // ANNOUNCE_CHANNEL_ID: each server chooses its channel with /setup.
  h = await startBotHarness({ items: [sequel(1)], fake: { guilds: GUILDS }, env: () => ({ DISCORD_GUILD_ID: '', ANNOUNCE_CHANNEL_ID: '', ALLOW_PRIVATE_FEEDS: 'true' }) });
  [alita, iron] = h.fake.guilds.map((g) => g.id) as [string, string];
  for (const [guildId, user, channel] of [[alita, ALITA_MOD, 'news'], [iron, IRON_MOD, 'plaza']] as const) {
    const reply = await h.fake.sendCommand({ name: 'setup', guildId, user, options: { channel: h.fake.channelId(channel) } }).reply(DEADLINE);
    expect(reply.content).toMatch(/will be announced in/);
  }
  ownItems = [onlyOwn(1)];
  const added = await h.fake.sendCommand({ name: 'feeds', subcommand: 'add', guildId: alita, user: ALITA_MOD, options: { url: ownUrl() } }).reply(DEADLINE);
  expect(added.content).toMatch(/[Aa]dded/);
  // The own feed's first poll announces nothing (adding a feed floods no one).
  await h.cycle();
}, 180_000);

afterAll(async () => {
  await h?.close();
  await own?.close();
});

describe('two servers, one bot', () => {
  it('the operator feed announces in both servers once each; a server’s own feed only there', async () => {
    h.setFeed([sequel(2), sequel(1)]);
    ownItems = [onlyOwn(3), onlyOwn(1)];
    await h.cycle();
    await h.cycle();
    expect(h.titles(h.fake.channelId('news'))).toEqual(['Alita 2 news number 2', 'Alita 2 exclusive number 3']);
    expect(h.titles(h.fake.channelId('plaza'))).toEqual(['Alita 2 news number 2']);
  });

  it('a story through both feeds is announced once per channel', async () => {
    const story = sequel(4);
    h.setFeed([story, sequel(2), sequel(1)]);
    ownItems = [{ ...story, link: 'https://own.example.org/same-story' }, onlyOwn(3), onlyOwn(1)];
    await h.cycle();
    expect(h.titles(h.fake.channelId('news')).filter((t) => t === story.title)).toHaveLength(1);
    expect(h.titles(h.fake.channelId('plaza')).filter((t) => t === story.title)).toHaveLength(1);
  });

  it('another server cannot list, remove or autocomplete a server’s own feed; non-moderators get no choices', async () => {
    const listed = await h.fake.sendCommand({ name: 'feeds', subcommand: 'list', guildId: iron, user: IRON_MOD }).reply(DEADLINE);
    expect(JSON.stringify(listed)).not.toContain(own.url);
    const mine = await h.fake.sendCommand({ name: 'feeds', subcommand: 'list', guildId: alita, user: ALITA_MOD }).reply(DEADLINE);
    expect(JSON.stringify(mine)).toContain(own.url);

    const removed = await h.fake.sendCommand({ name: 'feeds', subcommand: 'remove', guildId: iron, user: IRON_MOD, options: { url: ownUrl() } }).reply(DEADLINE);
    expect(removed.content).not.toMatch(/^Removed/);
    expect(await h.bot.ctx.settings.guildFeeds(alita)).toEqual([expect.objectContaining({ url: ownUrl() })]);

    const typed = (guildId: string, user: { id: string }) => h.fake.sendAutocomplete({ name: 'feeds', subcommand: 'remove', focused: 'url', value: '', guildId, user });
    expect((await typed(alita, ALITA_MOD)).map((c) => c.value)).toEqual([ownUrl()]);
    expect(await typed(iron, IRON_MOD)).toEqual([]);
    // ALITA_MOD has no Manage Server in Iron City, IRON_MOD none in Alita Army.
    expect(await typed(iron, ALITA_MOD)).toEqual([]);
    expect(await typed(alita, IRON_MOD)).toEqual([]);
  });

  it('a 300-item burst gives at most 5 announcements plus one digest per channel, and all of it is in /latest', async () => {
    const before = { news: h.fake.messages(h.fake.channelId('news')).length, plaza: h.fake.messages(h.fake.channelId('plaza')).length };
    const burst = Array.from({ length: 300 }, (_, i) => sequel(1000 + i, { title: `Alita 2 archive story ${i}`, link: `https://news.example.com/archive/${i}`, date: new Date(Date.UTC(2024, 2, 1, 0, i)).toISOString() }));
    h.setFeed([...burst].reverse());
    await h.cycle();
    for (const [name, count] of Object.entries(before)) {
      const fresh = h.fake.messages(h.fake.channelId(name)).slice(count);
      expect(fresh, name).toHaveLength(6);
      expect(fresh.slice(0, 5).map((m) => m.embeds[0]?.title)).toEqual(burst.slice(0, 5).map((i) => i.title));
      const digest = fresh[5]!.embeds[0]!;
      expect(digest.title).toBe('295 more stories about the Alita sequel');
      expect(digest.description).toContain('Alita 2 archive story 5');
      expect(digest.description).toMatch(/…and \d+ more — see \/latest$/);
    }
    expect(await h.bot.ctx.news.latest({ limit: 1000 })).toEqual(expect.arrayContaining(burst.map((i) => expect.objectContaining({ title: i.title }))));
  });
});
