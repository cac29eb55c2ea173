import { describe, expect, it } from 'vitest';
import { botContextPerTest } from './support/bot-context.ts';
import feeds from '../commands/feeds.ts';
import quotes from '../commands/quotes.ts';
import setup, { setupReply } from '../commands/setup.ts';
import type { CommandRequest } from '../src/bot/command.ts';
import { validateCommandsBody, validateMessageBody } from './support/discord-schema.ts';
import { serve } from './support/http-server.ts';
import { feedServerPerTest } from './support/feed-server.ts';
import { rss } from './support/feeds.ts';

const NOW = new Date('2024-06-01T12:00:00Z');
const GUILD = '111111111111111111';
const CHANNEL = '222222222222222222';
const ROLE = '333333333333333333';
const MEMBER = '444444444444444444';
const OPERATOR_FEED = 'https://news.example.com/alita.rss';

const local = feedServerPerTest();
const context = botContextPerTest(NOW, { FEEDS: OPERATOR_FEED, FETCH_TIMEOUT_MS: '30000' });

/** As the Discord layer builds it: a channel option resolves to a text channel of GUILD where the bot has what it needs. */
function request(name: string, subcommand: string | undefined, options: CommandRequest['options'], more: Partial<CommandRequest> = {}): CommandRequest {
  const channel = options.channel;
  const channels = typeof channel === 'string' ? { channel: { id: channel, guildId: GUILD, type: 0, botMissing: [] } } : undefined;
  return { name, subcommand, options, guildId: GUILD, channelId: CHANNEL, userId: MEMBER, canManageGuild: true, ...(channels ? { channels } : {}), ...more };
}

const asMessage = (reply: { content?: string }) => validateMessageBody({ content: reply.content, allowed_mentions: { parse: [] } });

describe('moderator commands', () => {
  it.each([
    ['feeds', feeds],
    ['quotes', quotes],
    ['setup', setup],
  ] as const)('/%s registers with Manage Server, servers only, and a body Discord accepts', (name, command) => {
    const json = command.data.toJSON();
    expect(json.name).toBe(name);
    expect(validateCommandsBody([json])).toEqual([]);
    expect(json.default_member_permissions).toBe('32');
    expect(json.contexts).toEqual([0]);
    expect(command.moderator).toBe(true);
  });

  it('registers all three together', () => {
    expect(validateCommandsBody([feeds, quotes, setup].map((c) => c.data.toJSON()))).toEqual([]);
    expect(feeds.slow).toBe(true);
  });

  it('refuses a member without Manage Server in every subcommand, before doing anything', async () => {
    const ctx = await context();
    const server = await local.start(serve(rss([{ title: 'Alita 2 news' }])));
    const attempts: Array<[string, string | undefined, CommandRequest['options']]> = [
      ['feeds', 'list', {}],
      ['feeds', 'add', { url: `${server.url}/feed.xml` }],
      ['feeds', 'remove', { url: OPERATOR_FEED }],
      ['quotes', 'add', { speaker: 'James Cameron', text: 'Alita 2 is coming.', source_url: 'https://news.example.com/a' }],
      ['quotes', 'remove', { id: 'rodriguez-2023-10-04-another-alita' }],
      ['setup', undefined, { channel: CHANNEL, role: ROLE }],
    ];
    const commands = { feeds, quotes, setup };
    for (const [name, subcommand, options] of attempts) {
      const reply = await commands[name as keyof typeof commands].execute(request(name, subcommand, options, { canManageGuild: false }), ctx);
      expect(reply).toEqual({ content: `You need the Manage Server permission to use /${name}.`, ephemeral: true });
    }
    expect(server.requests).toEqual([]);
    expect(await ctx.settings.allGuildFeeds()).toEqual([]);
    expect(await ctx.settings.guilds()).toEqual([]);
    expect(await ctx.quotes.forGuild(GUILD)).toEqual([]);
  });
});

describe('/setup', () => {
  it('saves the channel and role and confirms privately', async () => {
    const ctx = await context();
    const reply = await setup.execute(request('setup', undefined, { channel: CHANNEL, role: ROLE }), ctx);
    expect(await ctx.settings.guild(GUILD)).toEqual({ guildId: GUILD, channelId: CHANNEL, roleId: ROLE, updatedAt: NOW.toISOString(), updatedBy: MEMBER });
    expect(reply.ephemeral).toBe(true);
    expect(reply.content).toContain(`announced in <#${CHANNEL}>, pinging <@&${ROLE}>.`);
    expect(reply.content).toContain('the role must be mentionable');
    expect(reply.content).not.toContain('Make sure the bot has');
    expect(asMessage(reply)).toEqual([]);
  });

  it('pings nobody without a role, and says where announcements went before', async () => {
    const ctx = await context();
    await setup.execute(request('setup', undefined, { channel: CHANNEL, role: ROLE }), ctx);
    const other = '555555555555555555';
    const reply = await setup.execute(request('setup', undefined, { channel: other }), ctx);
    expect(await ctx.settings.guild(GUILD)).toEqual({ guildId: GUILD, channelId: other, updatedAt: NOW.toISOString(), updatedBy: MEMBER });
    expect(reply.content).toContain(`announced in <#${other}>, without pinging anyone.`);
    expect(reply.content).toContain(`<#${CHANNEL}> before`);
    expect(await ctx.settings.guilds()).toHaveLength(1);
  });

  it.each([
    ['outside a server', { channel: CHANNEL }, { guildId: undefined }, /only works in a server/],
    ['@everyone as the role', { channel: CHANNEL, role: GUILD }, {}, /other than @\u200beveryone/],
    ['a channel that is not an id', { channel: 'general' }, {}, /Pick the channel/],
    ['no channel', {}, {}, /Pick the channel/],
    ['a channel the bot knows nothing of', { channel: CHANNEL }, { channels: undefined }, /^I can't see that channel\./],
    ['another server’s channel', { channel: CHANNEL }, { channels: { channel: { id: CHANNEL, guildId: '999999999999999999', type: 0, botMissing: [] } } }, /not in this server/],
    ['a voice channel', { channel: CHANNEL }, { channels: { channel: { id: CHANNEL, guildId: GUILD, type: 2, botMissing: [] } } }, /is a voice channel/],
    ['a channel without Embed Links', { channel: CHANNEL }, { channels: { channel: { id: CHANNEL, guildId: GUILD, type: 0, botMissing: ['Embed Links'] } } }, /lacks Embed Links there/],
  ] as const)('refuses %s', async (_what, options, more, message) => {
    const ctx = await context();
    const reply = await setup.execute(request('setup', undefined, options, more), ctx);
    expect(reply.ephemeral).toBe(true);
    expect(reply.content).toMatch(message);
    expect(await ctx.settings.guilds()).toEqual([]);
  });

  it('builds a reply within Discord limits', () => {
    const reply = setupReply({ guildId: GUILD, channelId: CHANNEL, roleId: ROLE, updatedAt: NOW.toISOString() });
    expect(asMessage(reply)).toEqual([]);
  });
});
