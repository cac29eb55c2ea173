import { describe, expect, it } from 'vitest';
import { botContextPerTest } from './support/bot-context.ts';
import feeds, { feedChoices, feedsListReply } from '../commands/feeds.ts';
import latest from '../commands/latest.ts';
import { runCycle } from '../src/bot/cycle.ts';
import type { AutocompleteRequest, CommandRequest } from '../src/bot/command.ts';
import { fitLines } from '../src/bot/reply-limits.ts';
import type { BotContext } from '../src/bot/context.ts';
import type { GuildFeed } from '../src/store/sql/settings.ts';
import { validateAutocompleteChoices, validateMessageBody } from './support/discord-schema.ts';
import { routes, serve } from './support/http-server.ts';
import { feedServerPerTest } from './support/feed-server.ts';
import { rss } from './support/feeds.ts';

const NOW = new Date('2024-06-01T12:00:00Z');
const A = '111111111111111111';
const B = '555555555555555555';
const MEMBER = '444444444444444444';
const OPERATOR_FEED = 'https://news.example.com/alita.rss';
const A_FEED = 'https://a-fans.example.org/alita.xml';
const FEED = rss([
  { title: 'Robert Rodriguez says Alita: Battle Angel 2 sequel is happening', link: 'https://news.example.com/alita-2', date: '2024-05-31' },
  { title: 'Avatar 3 trailer breaks records', link: 'https://news.example.com/avatar-3', date: '2024-05-31' },
]);

const local = feedServerPerTest();
const context = botContextPerTest(NOW, { FEEDS: OPERATOR_FEED, FETCH_TIMEOUT_MS: '30000' });

const run = (ctx: BotContext, subcommand: string, options: CommandRequest['options'] = {}, guildId = A) =>
  feeds.execute({ name: 'feeds', subcommand, options, guildId, userId: MEMBER, canManageGuild: true }, ctx);
const complete = (ctx: BotContext, value: string, more: Partial<AutocompleteRequest> = {}) =>
  feeds.autocomplete({ name: 'feeds', subcommand: 'remove', focused: 'url', value, guildId: A, canManageGuild: true, ...more }, ctx);
const own = async (ctx: BotContext, guildId = A) => (await ctx.settings.guildFeeds(guildId)).map((f) => f.url);
const addFor = (ctx: BotContext, guildId: string, url: string) => ctx.settings.addGuildFeed({ guildId, url, addedAt: '2024-05-01T00:00:00Z', addedBy: MEMBER }, 25);

const asMessage = (reply: { content?: string }) => validateMessageBody({ content: reply.content, allowed_mentions: { parse: [] } });

describe('/feeds add', () => {
  it('refuses a feed on this machine by default, before connecting to it', async () => {
    const ctx = await context();
    const server = await local.start(serve(FEED));
    const reply = await run(ctx, 'add', { url: `${server.url}/feed.xml` });
    expect(reply.ephemeral).toBe(true);
    expect(reply.content).toContain('refusing 127.0.0.1: loopback addresses are not allowed (set ALLOW_PRIVATE_FEEDS=true to allow)');
    expect(server.requests).toEqual([]);
    expect(await ctx.settings.allGuildFeeds()).toEqual([]);
  });

  it('adds it for this server only; another server may add the same URL: one polled feed for both', async () => {
    const ctx = await context({ ALLOW_PRIVATE_FEEDS: 'true', BACKFILL: '3' });
    const server = await local.start(serve(FEED));
    const url = `${server.url}/feed.xml`;
    const reply = await run(ctx, 'add', { url: `  ${url} ` });
    expect(reply).toEqual({ content: `Added <${url}> (Test Feed): 2 items, 1 on topic. Up to 1 of its current on-topic items will be announced at the next poll, then new ones. /latest lists them already. Its items are announced in this server only.`, ephemeral: true });
    expect(asMessage(reply)).toEqual([]);
    expect(await ctx.settings.guildFeeds(A)).toEqual([{ guildId: A, url, addedAt: NOW.toISOString(), addedBy: MEMBER }]);

    const again = await run(ctx, 'add', { url });
    expect(again.content).toBe(`<${url}> is already one of this server's feeds (added 1 Jun 2024). /feeds list shows how it is doing.`);
    expect(server.requests).toHaveLength(1);

    // Polled already for A, so B gets no backfill of what is in it now.
    await ctx.news.setFeedState(url, { initialized: true });
    expect((await run(ctx, 'add', { url }, B)).content).toMatch(/^Added .*What is in it now will not be announced; new items will\./);
    expect(await own(ctx, B)).toEqual([url]);
    expect(await ctx.feeds()).toEqual([{ url: OPERATOR_FEED, operator: true, guilds: [] }, { url, operator: false, guilds: [A, B] }]);
  });

  it.each([0, 1])('puts its on-topic items in this server\'s /latest at once, announcing none of them; the first poll announces as before (BACKFILL=%i)', async (backfill) => {
    const items = rss([
      { title: 'Alita: Battle Angel 2 starts filming', link: 'https://news.example.com/alita-2-filming', date: '2024-05-30' },
      { title: 'Robert Rodriguez says Alita: Battle Angel 2 sequel is happening', link: 'https://news.example.com/alita-2', date: '2024-05-31' },
      { title: 'Avatar 3 trailer breaks records', link: 'https://news.example.com/avatar-3', date: '2024-05-31' },
    ]);
    const server = await local.start(routes({ '/operator.xml': serve(rss([])), '/feed.xml': serve(items) }));
    const ctx = await context({ FEEDS: `${server.url}/operator.xml`, ALLOW_PRIVATE_FEEDS: 'true', BACKFILL: String(backfill) });
    const channel = '222222222222222222';
    await ctx.settings.setGuild({ guildId: A, channelId: channel, updatedAt: NOW.toISOString() });
    const titles = async (guildId: string) => (await latest.execute({ name: 'latest', options: {}, guildId, userId: MEMBER, canManageGuild: false }, ctx)).embeds?.[0]?.description ?? '';

    const reply = await run(ctx, 'add', { url: `${server.url}/feed.xml` });
    expect(reply.content).toContain('3 items, 2 on topic.');
    expect(reply.content).toContain('/latest lists');
    const shown = await titles(A);
    expect(shown).toMatch(/1\.\*\* \[Robert Rodriguez says Alita: Battle Angel 2 sequel is happening\][\s\S]*2\.\*\* \[Alita: Battle Angel 2 starts filming\]/);
    expect(shown).not.toContain('Avatar');
    // Another server does not see this server's feed, and nothing was queued to announce.
    expect(await titles(B)).toBe('');
    expect(await ctx.outbox.counts()).toMatchObject({ pending: 0 });

    const sent: string[] = [];
    await runCycle({ ctx, port: { send: async (channelId, body) => void sent.push(`${channelId} ${body.embeds[0]?.title}`) } });
    expect(sent).toEqual(backfill ? [`${channel} Robert Rodriguez says Alita: Battle Angel 2 sequel is happening`] : []);
    // Listed once each, as before the poll.
    expect(await titles(A)).toBe(shown);
  });

  it('takes a feed declared about_alita as about Alita: stored, polled so, and said in the reply', async () => {
    const ctx = await context({ ALLOW_PRIVATE_FEEDS: 'true', BACKFILL: '3' });
    // A fan site's posts rarely name the film: "second film?" is on topic only in a feed about Alita.
    const fans = rss([{ title: 'Waiting for the second film?', link: 'https://fans.example/1' }, { title: 'Our cosplay meetup', link: 'https://fans.example/2' }], 'Fan Crew');
    const server = await local.start(serve(fans));
    const url = `${server.url}/feed.xml`;
    const plain = await run(ctx, 'add', { url });
    expect(plain.content).toContain('2 items, 0 on topic.');
    expect(plain.content).not.toContain('about Alita');
    await run(ctx, 'remove', { url });

    const reply = await run(ctx, 'add', { url, about_alita: true });
    expect(reply.content).toBe(`Added <${url}> (Fan Crew): 2 items, 1 on topic. Taken as a feed about Alita (flagged as about Alita): its items need only be about the sequel. Up to 1 of its current on-topic items will be announced at the next poll, then new ones. /latest lists them already. Its items are announced in this server only.`);
    expect(await ctx.settings.guildFeeds(A)).toEqual([{ guildId: A, url, addedAt: NOW.toISOString(), addedBy: MEMBER, aboutAlita: true }]);
    expect(await ctx.feeds()).toContainEqual({ url, operator: false, guilds: [A], aboutAlita: true });
    expect((await run(ctx, 'list')).content).toContain(', about Alita —');
  });

  it('says when a feed was taken as about Alita because its own title names the film', async () => {
    const ctx = await context({ ALLOW_PRIVATE_FEEDS: 'true' });
    const server = await local.start(serve(rss([{ title: 'Who should play Nova in the next movie?', link: 'https://fans.example/3' }], 'Alita: Battle Angel fans')));
    const reply = await run(ctx, 'add', { url: `${server.url}/feed.xml` });
    expect(reply.content).toContain('1 item, 1 on topic. Taken as a feed about Alita (its title names the film: alita)');
  });

  it('says an operator feed is already polled for every server, without fetching or storing it', async () => {
    const ctx = await context();
    const reply = await run(ctx, 'add', { url: 'HTTPS://News.Example.com/alita.rss' });
    expect(reply.content).toBe(`<${OPERATOR_FEED}> is already polled for every server: it is one of the operator's feeds. Nothing was added.`);
    expect(await ctx.settings.allGuildFeeds()).toEqual([]);
  });

  it('refuses a feed beyond MAX_FEEDS_PER_SERVER, naming the limit, before fetching; other servers are not counted', async () => {
    const ctx = await context({ MAX_FEEDS_PER_SERVER: '2', ALLOW_PRIVATE_FEEDS: 'true' });
    const server = await local.start(serve(FEED));
    await addFor(ctx, A, 'https://one.example.org/rss');
    await addFor(ctx, A, 'https://two.example.org/rss');
    const reply = await run(ctx, 'add', { url: `${server.url}/feed.xml` });
    expect(reply).toEqual({ content: 'Could not add that feed: this server already has 2 feeds of its own, the most it may have. Remove one with /feeds remove first.', ephemeral: true });
    expect(server.requests).toEqual([]);
    expect(await own(ctx)).toHaveLength(2);
    expect((await run(ctx, 'add', { url: `${server.url}/feed.xml` }, B)).content).toMatch(/^Added /);
  });

  it.each(['file:///etc/passwd', 'ftp://example.com/feed.xml', '/etc/passwd', 'feed.xml', 'javascript:alert(1)', 'https://user:pw@example.com/feed'])(
    'refuses %s even where private feeds are allowed',
    async (url) => {
      const ctx = await context({ ALLOW_PRIVATE_FEEDS: 'true' });
      const reply = await run(ctx, 'add', { url });
      expect(reply.ephemeral).toBe(true);
      expect(reply.content).toMatch(/^Could not add/);
      expect(reply.content).toMatch(/only http:\/\/ and https:\/\/|not a valid URL|user name or password/);
      expect(await ctx.settings.allGuildFeeds()).toEqual([]);
    },
  );

  it('gives the one-line reason when the feed fails, and saves nothing', async () => {
    const ctx = await context({ ALLOW_PRIVATE_FEEDS: 'true' });
    const server = await local.start(routes({ '/page': serve('<html><body>hi</body></html>', { 'Content-Type': 'text/html' }) }));
    const missing = await run(ctx, 'add', { url: `${server.url}/gone.xml` });
    expect(missing).toEqual({ content: `Could not add <${server.url}/gone.xml>: \`HTTP 404 Not Found\``, ephemeral: true });
    const page = await run(ctx, 'add', { url: `${server.url}/page` });
    expect(page.content).toMatch(/: `not an RSS\/Atom feed \(.+\)`$/);
    expect(await ctx.settings.allGuildFeeds()).toEqual([]);
  });
});

describe('/feeds list', () => {
  it("shows the operator's feeds and this server's own with their health, never another server's", async () => {
    const ctx = await context();
    await addFor(ctx, A, A_FEED);
    await addFor(ctx, B, 'https://b-fans.example.org/alita.xml');
    await ctx.news.setFeedState(OPERATOR_FEED, { lastAttempt: '2024-06-01T11:59:00Z', lastSuccess: '2024-06-01T10:00:00Z', consecutiveFailures: 3, lastError: 'timed out after 15 s' });
    await ctx.news.setFeedState(A_FEED, { lastAttempt: '2024-06-01T11:55:00Z', lastSuccess: '2024-06-01T11:55:00Z', consecutiveFailures: 0 });
    const reply = await run(ctx, 'list');
    expect(reply.ephemeral).toBe(true);
    expect(reply.content!.split('\n')).toEqual([
      "**Operator feeds** (1; announced in every server; set by whoever runs the bot, not removable here)",
      `• <${OPERATOR_FEED}> — ⚠️ 3 failures in a row, last read 2 h 0 min ago: \`timed out after 15 s\``,
      "**This server's feeds** (1 of 25; announced here only; /feeds add and /feeds remove)",
      `• <${A_FEED}>, added by <@${MEMBER}> 1 May 2024 — OK, last read 5 min ago`,
    ]);
    expect(asMessage(reply)).toEqual([]);
    const inB = (await run(ctx, 'list', {}, B)).content!;
    expect(inB).toContain('b-fans.example.org');
    expect(inB).not.toContain('a-fans.example.org');
  });

  it('keeps a long list within 2000 characters and says how many were left out', () => {
    const many: GuildFeed[] = Array.from({ length: 120 }, (_, i) => ({ guildId: A, url: `https://feeds${i}.example.com/${'x'.repeat(40)}/rss.xml`, addedAt: '2024-05-01' }));
    const content = feedsListReply([OPERATOR_FEED], many, new Map(), NOW, 200).content!;
    expect(content.length).toBeLessThanOrEqual(2000);
    const shown = content.split('\n').filter((l) => l.startsWith('• ')).length;
    expect(content.endsWith(`…and ${121 - shown} more`)).toBe(true);
    expect(shown).toBeGreaterThan(10);
    expect(asMessage({ content })).toEqual([]);
  });

  it('never cuts a line in half, even at the very edge', () => {
    const lines = Array.from({ length: 30 }, (_, i) => ({ text: `line ${i} ${'y'.repeat(i)}`, entry: true }));
    for (let limit = 20; limit < 400; limit += 7) {
      const out = fitLines(lines, limit);
      expect(out.length).toBeLessThanOrEqual(limit);
      for (const line of out.split('\n')) expect(line).toMatch(/^(line \d+ y*|…and \d+ more)$/);
    }
  });
});

describe('/feeds remove', () => {
  it("removes this server's own feed; refuses an operator feed and another server's", async () => {
    const ctx = await context();
    await addFor(ctx, A, A_FEED);
    const operator = await run(ctx, 'remove', { url: OPERATOR_FEED });
    expect(operator.content).toBe(`<${OPERATOR_FEED}> is one of the operator's feeds (set in FEEDS or data/feeds.json), polled for every server: it cannot be removed from Discord. Ask whoever runs the bot.`);
    const fromB = await run(ctx, 'remove', { url: A_FEED }, B);
    expect(fromB).toEqual({ content: `<${A_FEED}> is not one of this server's feeds. /feeds list shows them.`, ephemeral: true });
    expect(await own(ctx)).toEqual([A_FEED]);
    const removed = await run(ctx, 'remove', { url: A_FEED });
    expect(removed).toEqual({ content: `Removed <${A_FEED}> from this server's feeds. Its items will not be announced here any more.`, ephemeral: true });
    expect(await ctx.settings.allGuildFeeds()).toEqual([]);
  });

  it("removes only this server's row of a feed two servers added", async () => {
    const ctx = await context();
    await addFor(ctx, A, A_FEED);
    await addFor(ctx, B, A_FEED);
    await run(ctx, 'remove', { url: A_FEED }, B);
    expect(await own(ctx, B)).toEqual([]);
    expect(await ctx.feeds()).toContainEqual({ url: A_FEED, operator: false, guilds: [A] });
  });

  it("autocompletes this server's feeds to moderators only, long URLs by a token that remove understands", async () => {
    const ctx = await context();
    const long = `https://news.google.com/rss/search?q=${'alita+sequel+'.repeat(10)}&hl=en-US`;
    await addFor(ctx, A, A_FEED);
    await addFor(ctx, A, long);
    await addFor(ctx, B, 'https://b-fans.example.org/alita.xml');
    const choices = await complete(ctx, '');
    expect(choices.map((c) => c.name)).toEqual([A_FEED, expect.stringContaining('…')]);
    expect(validateAutocompleteChoices({ choices })).toEqual([]);
    expect(choices[1]!.value).toMatch(/^feed:[0-9a-f]{16}$/);
    expect(choices[1]!.name.length).toBeLessThanOrEqual(100);
    expect(feedChoices(await ctx.settings.guildFeeds(A), 'GOOGLE')).toHaveLength(1);
    expect(await complete(ctx, '', { canManageGuild: false })).toEqual([]);
    expect(await complete(ctx, 'fans', { guildId: B })).toEqual([{ name: 'https://b-fans.example.org/alita.xml', value: 'https://b-fans.example.org/alita.xml' }]);
    expect(await complete(ctx, '', { guildId: undefined })).toEqual([]);
    await run(ctx, 'remove', { url: choices[1]!.value });
    expect(await own(ctx)).toEqual([A_FEED]);
  });
});
