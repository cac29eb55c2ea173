// /feeds and /setup through the real discord.js Client: who may use them, what they refuse, and
// that /setup really moves where announcements go.
import { MessageFlags } from 'discord.js';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { MODERATOR_PERMISSIONS } from '../fake-discord/server.ts';
import { sequel, startBotHarness, type BotHarness } from '../support/bot-harness.ts';

let h: BotHarness | undefined;

afterEach(async () => {
  await h?.close();
  h = undefined;
});

const isPrivate = (message: { flags?: number }) => ((message.flags ?? 0) & MessageFlags.Ephemeral) !== 0;
const asModerator = { memberPermissions: MODERATOR_PERMISSIONS };

describe('moderator commands', () => {
  it('refuses /feeds add to a member without Manage Server, privately, and adds nothing', async () => {
    h = await startBotHarness();
    const reply = await h.fake.sendCommand({ name: 'feeds', subcommand: 'add', options: { url: 'https://news.example.org/feed.xml' } }).reply();
    expect(reply.content).toBe('You need the Manage Server permission to use /feeds.');
    expect(isPrivate(reply)).toBe(true);
    expect(await h.bot.ctx.settings.allGuildFeeds()).toEqual([]);
  });

  it('refuses a moderator’s loopback feed by default, privately, naming the reason, without fetching it', async () => {
    h = await startBotHarness();
    const url = `${h.feedServer.url}/other.xml`;
    const handle = h.fake.sendCommand({ name: 'feeds', subcommand: 'add', options: { url }, ...asModerator });
    const reply = await handle.reply();
    expect(reply.content).toContain(`Could not add <${url}>`);
    expect(reply.content).toMatch(/loopback addresses are not allowed \(set ALLOW_PRIVATE_FEEDS=true to allow\)/);
    expect(isPrivate(reply)).toBe(true);
    expect(handle.rejected).toEqual([]);
    expect(h.feedServer.requests.map((r) => r.url)).not.toContain('/other.xml');
    expect(await h.bot.ctx.settings.allGuildFeeds()).toEqual([]);
  });

  it('with ALLOW_PRIVATE_FEEDS a moderator adds a local feed, and the next cycles poll it', async () => {
    h = await startBotHarness({ env: () => ({ ALLOW_PRIVATE_FEEDS: 'true' }) });
    h.setFeed([sequel(1)]);
    const url = `${h.feedServer.url}/second.xml`;
    const reply = await h.fake.sendCommand({ name: 'feeds', subcommand: 'add', options: { url }, ...asModerator }).reply();
    expect(reply.content).toMatch(new RegExp(`^Added <${url}> \\(Test Feed\\): 1 item, 1 on topic\\.`));
    expect(isPrivate(reply)).toBe(true);
    await h.cycle();
    expect(h.feedServer.requests.filter((r) => r.url === '/second.xml').length).toBeGreaterThanOrEqual(2);
    const list = await h.fake.sendCommand({ name: 'feeds', subcommand: 'list', ...asModerator }).reply();
    expect(list.content).toContain(`<${url}>, added by <@${h.fake.world.defaultUser.id}>`);
  });

  it('/setup channel:#general by a moderator moves later announcements there', async () => {
    h = await startBotHarness({ items: [sequel(1)] });
    h.setFeed([sequel(1), sequel(2)]);
    await h.cycle();
    await h.fake.waitForMessages(h.newsId, 1, 60_000);

    const general = h.fake.channelId('general');
    const reply = await h.fake.sendCommand({ name: 'setup', options: { channel: general }, ...asModerator }).reply();
    expect(reply.content).toMatch(new RegExp(`^New Alita sequel news will be announced in <#${general}>, without pinging anyone\\.`));
    expect(isPrivate(reply)).toBe(true);

    h.setFeed([sequel(1), sequel(2), sequel(3)]);
    await h.cycle();
    await h.fake.waitForMessages(general, 1, 60_000);
    await h.cycle();
    expect(h.titles(general)).toEqual(['Alita 2 news number 3']);
    expect(h.titles()).toEqual(['Alita 2 news number 2']);
  });

  it('/setup with a role pings that role, and only it, in the new channel', async () => {
    h = await startBotHarness({ items: [sequel(1)] });
    const general = h.fake.channelId('general');
    const roleId = h.fake.roleId('Sequel News');
    const reply = await h.fake.sendCommand({ name: 'setup', options: { channel: general, role: roleId }, ...asModerator }).reply();
    expect(reply.content).toContain(`<#${general}>, pinging <@&${roleId}>.`);
    h.setFeed([sequel(1), sequel(2)]);
    await h.cycle();
    const [message] = await h.fake.waitForMessages(general, 1, 60_000);
    expect(message?.content).toBe(`<@&${roleId}>`);
    expect(h.announcementBodies(general)[0]?.allowed_mentions).toEqual({ parse: [], roles: [roleId] });
    expect(h.fake.messages(h.newsId)).toEqual([]);
  });

  it('/setup by a member without Manage Server changes nothing', async () => {
    h = await startBotHarness({ items: [sequel(1)] });
    const reply = await h.fake.sendCommand({ name: 'setup', options: { channel: h.fake.channelId('general') } }).reply();
    expect(reply.content).toBe('You need the Manage Server permission to use /setup.');
    expect(isPrivate(reply)).toBe(true);
    h.setFeed([sequel(1), sequel(2)]);
    await h.cycle();
    expect(h.titles()).toEqual(['Alita 2 news number 2']);
  });

  it('a slow command that fails at once gets the apology in its deferred reply, and the bot keeps answering', async () => {
    h = await startBotHarness();
    vi.spyOn(h.bot.ctx.settings, 'guildFeeds').mockRejectedValueOnce(new Error('SQLITE_BUSY: database is locked'));
    const reply = await h.fake.sendCommand({ name: 'feeds', subcommand: 'list', ...asModerator }).reply();
    expect(reply.content).toMatch(/^Sorry, something went wrong/);
    expect(isPrivate(reply)).toBe(true);
    expect(h.logsMatching(/interaction failed command=feeds .*SQLITE_BUSY/)).toHaveLength(1);
    const again = await h.fake.sendCommand({ name: 'feeds', subcommand: 'list', ...asModerator }).reply();
    expect(again.content).toContain('**Operator feeds** (1;');
  });
});
