import { describe, expect, it } from 'vitest';
import { botContextPerTest } from './support/bot-context.ts';
import feeds, { feedChoices, feedsListReply, fitLines } from '../commands/feeds.ts';
import type { CommandRequest } from '../src/bot/command.ts';
import type { AddedFeed } from '../src/store/settings.ts';
import { validateAutocompleteChoices, validateMessageBody } from './support/discord-schema.ts';
import { routes, serve } from './support/http-server.ts';
import { feedServerPerTest } from './support/feed-server.ts';
import { rss } from './support/feeds.ts';

const NOW = new Date('2024-06-01T12:00:00Z');
const GUILD = '111111111111111111';
const MEMBER = '444444444444444444';
const OPERATOR_FEED = 'https://news.example.com/alita.rss';
const FEED = rss([
  { title: 'Robert Rodriguez says Alita: Battle Angel 2 sequel is happening', link: 'https://news.example.com/alita-2', date: '2024-05-31' },
  { title: 'Avatar 3 trailer breaks records', link: 'https://news.example.com/avatar-3', date: '2024-05-31' },
]);

const local = feedServerPerTest();
const context = botContextPerTest(NOW, { FEEDS: OPERATOR_FEED, FETCH_TIMEOUT_MS: '30000' });

const run = (ctx: Awaited<ReturnType<typeof context>>, subcommand: string, options: CommandRequest['options'] = {}) =>
  feeds.execute({ name: 'feeds', subcommand, options, guildId: GUILD, userId: MEMBER, canManageGuild: true }, ctx);

const asMessage = (reply: { content?: string }) => validateMessageBody({ content: reply.content, allowed_mentions: { parse: [] } });

describe('/feeds add', () => {
  it('refuses a feed on this machine by default, before connecting to it', async () => {
    const ctx = await context();
    const server = await local.start(serve(FEED));
    const reply = await run(ctx, 'add', { url: `${server.url}/feed.xml` });
    expect(reply.ephemeral).toBe(true);
    expect(reply.content).toContain('refusing 127.0.0.1: loopback addresses are not allowed (set ALLOW_PRIVATE_FEEDS=true to allow)');
    expect(server.requests).toEqual([]);
    expect(await ctx.settings.addedFeeds()).toEqual([]);
  });

  it('adds it with ALLOW_PRIVATE_FEEDS=true and reports what it holds', async () => {
    const ctx = await context({ ALLOW_PRIVATE_FEEDS: 'true' });
    const server = await local.start(serve(FEED));
    const url = `${server.url}/feed.xml`;
    const reply = await run(ctx, 'add', { url: `  ${url} ` });
    expect(reply.ephemeral).toBe(true);
    expect(reply.content).toContain(`Added <${url}> (Test Feed): 2 items, 1 on topic.`);
    expect(asMessage(reply)).toEqual([]);
    expect(await ctx.settings.addedFeeds()).toEqual([{ url, addedAt: NOW.toISOString(), addedBy: MEMBER, guildId: GUILD }]);
    expect(await ctx.feeds()).toEqual([{ url: OPERATOR_FEED, trusted: true }, { url, trusted: false }]);

    const again = await run(ctx, 'add', { url });
    expect(again.content).toMatch(/was already added by <@\d+>/);
    expect(server.requests).toHaveLength(1);
  });

  it('says an operator feed is already polled, without fetching it', async () => {
    const ctx = await context();
    const reply = await run(ctx, 'add', { url: 'HTTPS://News.Example.com/alita.rss' });
    expect(reply.content).toContain("is already polled: it is one of the operator's feeds");
    expect(await ctx.settings.addedFeeds()).toEqual([]);
  });

  it.each(['file:///etc/passwd', 'ftp://example.com/feed.xml', '/etc/passwd', 'feed.xml', 'javascript:alert(1)', 'https://user:pw@example.com/feed'])(
    'refuses %s even where private feeds are allowed',
    async (url) => {
      const ctx = await context({ ALLOW_PRIVATE_FEEDS: 'true' });
      const reply = await run(ctx, 'add', { url });
      expect(reply.ephemeral).toBe(true);
      expect(reply.content).toMatch(/^Could not add/);
      expect(reply.content).toMatch(/only http:\/\/ and https:\/\/|not a valid URL|user name or password/);
      expect(await ctx.settings.addedFeeds()).toEqual([]);
    },
  );

  it('gives the one-line reason when the feed fails, and saves nothing', async () => {
    const ctx = await context({ ALLOW_PRIVATE_FEEDS: 'true' });
    const server = await local.start(routes({ '/page': serve('<html><body>hi</body></html>', { 'Content-Type': 'text/html' }) }));
    const missing = await run(ctx, 'add', { url: `${server.url}/gone.xml` });
    expect(missing).toEqual({ content: `Could not add <${server.url}/gone.xml>: \`HTTP 404 Not Found\``, ephemeral: true });
    const page = await run(ctx, 'add', { url: `${server.url}/page` });
    expect(page.content).toMatch(/: `not an RSS\/Atom feed \(.+\)`$/);
    expect(await ctx.settings.addedFeeds()).toEqual([]);
  });
});

describe('/feeds list and remove', () => {
  it('shows every feed with its health', async () => {
    const ctx = await context();
    const added = 'https://fans.example.org/alita.xml';
    await ctx.settings.addFeed({ url: added, addedAt: '2024-05-01T00:00:00Z', addedBy: MEMBER, guildId: GUILD });
    await ctx.news.setFeedState(OPERATOR_FEED, {
      lastAttempt: '2024-06-01T11:59:00Z', lastSuccess: '2024-06-01T10:00:00Z', consecutiveFailures: 3, lastError: 'timed out after 15 s',
    });
    await ctx.news.setFeedState(added, { lastAttempt: '2024-06-01T11:55:00Z', lastSuccess: '2024-06-01T11:55:00Z', consecutiveFailures: 0 });
    const reply = await run(ctx, 'list');
    expect(reply.ephemeral).toBe(true);
    const lines = reply.content!.split('\n');
    expect(lines[0]).toMatch(/^\*\*Operator feeds\*\* \(1;/);
    expect(lines[1]).toBe(`• <${OPERATOR_FEED}> — ⚠️ 3 failures in a row, last read 2 h 0 min ago: \`timed out after 15 s\``);
    expect(lines[2]).toMatch(/^\*\*Added feeds\*\* \(1;/);
    expect(lines[3]).toBe(`• <${added}>, added by <@${MEMBER}> 1 May 2024 — OK, last read 5 min ago`);
    expect(asMessage(reply)).toEqual([]);
  });

  it('keeps a long list within 2000 characters and says how many were left out', () => {
    const added: AddedFeed[] = Array.from({ length: 120 }, (_, i) => ({ url: `https://feeds${i}.example.com/${'x'.repeat(40)}/rss.xml`, addedAt: '2024-05-01' }));
    const reply = feedsListReply([OPERATOR_FEED], added, new Map(), NOW);
    const content = reply.content!;
    expect(content.length).toBeLessThanOrEqual(2000);
    const shown = content.split('\n').filter((l) => l.startsWith('• ')).length;
    expect(content.endsWith(`…and ${121 - shown} more`)).toBe(true);
    expect(shown).toBeGreaterThan(10);
    expect(asMessage(reply)).toEqual([]);
  });

  it('never cuts a line in half, even at the very edge', () => {
    const lines = Array.from({ length: 30 }, (_, i) => ({ text: `line ${i} ${'y'.repeat(i)}`, entry: true }));
    for (let limit = 20; limit < 400; limit += 7) {
      const out = fitLines(lines, limit);
      expect(out.length).toBeLessThanOrEqual(limit);
      for (const line of out.split('\n')) expect(line).toMatch(/^(line \d+ y*|…and \d+ more)$/);
    }
  });

  it('removes an added feed but not an operator feed', async () => {
    const ctx = await context();
    const added = 'https://fans.example.org/alita.xml';
    await ctx.settings.addFeed({ url: added, addedAt: NOW.toISOString() });
    const operator = await run(ctx, 'remove', { url: OPERATOR_FEED });
    expect(operator.content).toContain('cannot be removed from Discord');
    expect(await ctx.feeds()).toHaveLength(2);
    const unknown = await run(ctx, 'remove', { url: 'https://nowhere.example.net/rss' });
    expect(unknown.content).toContain('is not an added feed');
    const removed = await run(ctx, 'remove', { url: added });
    expect(removed).toEqual({ content: `Removed <${added}>. It will not be polled any more.`, ephemeral: true });
    expect(await ctx.settings.addedFeeds()).toEqual([]);
  });

  it('offers added feeds in autocomplete, long URLs by a token that remove understands', async () => {
    const ctx = await context();
    const long = `https://news.google.com/rss/search?q=${'alita+sequel+'.repeat(10)}&hl=en-US`;
    await ctx.settings.addFeed({ url: 'https://fans.example.org/alita.xml', addedAt: NOW.toISOString() });
    await ctx.settings.addFeed({ url: long, addedAt: NOW.toISOString() });
    const choices = await feeds.autocomplete({ name: 'feeds', subcommand: 'remove', focused: 'url', value: '' }, ctx);
    expect(choices).toHaveLength(2);
    expect(validateAutocompleteChoices({ choices })).toEqual([]);
    expect(choices[1]!.value).toMatch(/^feed:[0-9a-f]{16}$/);
    expect(choices[1]!.name.length).toBeLessThanOrEqual(100);
    expect(feedChoices(await ctx.settings.addedFeeds(), 'GOOGLE')).toHaveLength(1);
    await run(ctx, 'remove', { url: choices[1]!.value });
    expect((await ctx.settings.addedFeeds()).map((f) => f.url)).toEqual(['https://fans.example.org/alita.xml']);
  });
});
