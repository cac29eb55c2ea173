import { describe, expect, it } from 'vitest';
import latest, { latestReply } from '../commands/latest.ts';
import quote, { chooseQuote, namesSpeaker, personChoices, quoteReply } from '../commands/quote.ts';
import status, { statusReply } from '../commands/status.ts';
import type { CommandRequest } from '../src/bot/command.ts';
import type { BotContext } from '../src/bot/context.ts';
import type { NewsItem } from '../src/engine/types.ts';
import { readQuotesFile } from '../src/store/quotes.ts';
import { botContextPerTest } from './support/bot-context.ts';
import { validateMessageBody } from './support/discord-schema.ts';

const quotes = readQuotesFile();
const news = (n: number): NewsItem => ({
  id: `id${n}`,
  feed: 'f',
  source: 'Sample *News*',
  title: `Alita 2 update [${n}]`,
  link: `https://news.example.com/a_(${n})`,
  summary: '',
  published: `2024-02-${String(10 + n).padStart(2, '0')}T10:00:00Z`,
});
const valid = (reply: { content?: string; embeds?: unknown[] }) => validateMessageBody({ ...reply, allowed_mentions: { parse: [] } });

describe('/latest reply', () => {
  it('lists the newest items first with source, date and link, 5 by default', () => {
    const archive = [9, 8, 7, 6, 5, 4, 3].map(news);
    const reply = latestReply(archive);
    const text = reply.embeds![0]!.description!;
    expect(text.match(/\*\*\d+\.\*\*/g)).toEqual(['**1.**', '**2.**', '**3.**', '**4.**', '**5.**']);
    expect(text.indexOf('update \\[9\\]')).toBeLessThan(text.indexOf('update \\[8\\]'));
    expect(text).toContain('](https://news.example.com/a_%289%29)');
    expect(text).toContain('Sample \\*News\\* · 19 Feb 2024');
    expect(valid(reply)).toEqual([]);
  });

  it('honours count within 1–10', () => {
    const archive = Array.from({ length: 12 }, (_, i) => news(i));
    expect(latestReply(archive, 3).embeds![0]!.description!.match(/\*\*\d+\.\*\*/g)).toHaveLength(3);
    expect(latestReply(archive, 50).embeds![0]!.description!.match(/\*\*\d+\.\*\*/g)).toHaveLength(10);
  });

  it('says so in a friendly line when there is nothing yet', () => {
    expect(latestReply([])).toEqual({ content: expect.stringMatching(/No Alita sequel news yet/) });
  });
});

describe('/quote reply', () => {
  it('matches cameron and rodriguez case- and accent-insensitively', () => {
    expect(namesSpeaker('cameron', 'James Cameron')).toBe(true);
    expect(namesSpeaker('RODRÍGUEZ', 'Robert Rodriguez')).toBe(true);
    expect(namesSpeaker('rod', 'Robert Rodriguez')).toBe(true);
    expect(namesSpeaker('diaz', 'James Cameron')).toBe(false);
  });

  it('shows who said it, when, and the source', () => {
    const reply = chooseQuote(quotes, 'cameron', () => 0);
    const text = reply.embeds![0]!.description!;
    expect(text).toContain('new Alita: Battle Angel movies');
    expect(text).toContain('— **James Cameron**, producer, Jun 2023');
    expect(text).toMatch(/Source: Fans and Robert Rodriguez want Alita: Battle Angel 2 to come true/);
    expect(reply.ephemeral).toBeUndefined();
    expect(valid(reply)).toEqual([]);
  });

  it('links the source when the quote has a URL', () => {
    const reply = quoteReply({ ...quotes[0]!, source: { title: 'Interview', url: 'https://example.com/i' } });
    expect(reply.embeds![0]!.description).toContain('[Interview](https://example.com/i)');
  });

  it('picks at random among the person’s quotes', () => {
    const first = chooseQuote(quotes, 'rodriguez', () => 0).embeds![0]!.footer!.text;
    const last = chooseQuote(quotes, 'rodriguez', () => 0.99).embeds![0]!.footer!.text;
    expect(first).not.toBe(last);
  });

  it('answers an unknown person privately with who is known', () => {
    expect(chooseQuote(quotes, 'Cameron Diaz', () => 0)).toEqual({ content: 'No known quotes by “Cameron Diaz”. Known: James Cameron, Robert Rodriguez.', ephemeral: true });
  });

  it('autocompletes the people who have quotes', () => {
    expect(personChoices(quotes, '')).toEqual([
      { name: 'James Cameron', value: 'James Cameron' },
      { name: 'Robert Rodriguez', value: 'Robert Rodriguez' },
    ]);
    expect(personChoices(quotes, 'rob')).toEqual([{ name: 'Robert Rodriguez', value: 'Robert Rodriguez' }]);
  });
});

describe('/status reply', () => {
  it('shows uptime, last poll, feed health, outbox and dead letters', () => {
    const now = new Date('2024-03-01T12:00:00Z');
    const reply = statusReply({
      now,
      startedAt: new Date('2024-02-28T10:00:00Z'),
      lastPoll: { at: '2024-03-01T11:59:00Z', feeds: 2, failed: 1, announced: 3 },
      feeds: [
        { url: 'https://ok.example/feed', state: { lastAttempt: '2024-03-01T11:59:00Z', lastSuccess: '2024-03-01T11:59:00Z', consecutiveFailures: 0 } },
        { url: 'https://bad.example/feed', state: { lastAttempt: '2024-03-01T11:59:00Z', lastSuccess: '2024-02-29T11:00:00Z', consecutiveFailures: 4, lastError: 'HTTP 503 Service Unavailable' } },
      ],
      outbox: { pending: 2, dead: 1, retrying: 1, publishing: 0 },
      deadLetters: [
        { id: 1, key: 'c:i', channelId: 'c', itemId: 'i', title: 'Alita 2', body: { embeds: [], allowed_mentions: { parse: [] } }, kind: 'post', state: 'dead', enqueuedAt: '', attempts: 0, failedAt: '', reason: 'Discord 403 (50013): Missing Permissions' },
      ],
    });
    const text = reply.embeds![0]!.description!;
    expect(text).toContain('**Uptime:** 2 d 2 h');
    expect(text).toContain('**Last poll:** 1 min ago: 2 feeds, 1 failed, 3 new');
    expect(text).toContain('**Outbox (all servers):** 2 waiting (1 retrying), 1 dead-lettered');
    expect(text).toContain('4 failures in a row (HTTP 503 Service Unavailable); last success 1 d 1 h ago');
    expect(text).toContain('Missing Permissions');
    expect(valid(reply)).toEqual([]);
  });
});

describe('/quote reply limits', () => {
  it('keeps a huge bundled quote, full of characters to escape, within the embed limits', () => {
    const huge = { ...quotes[0]!, text: '*_'.repeat(3000), context: '<'.repeat(400), source: { title: '['.repeat(300), url: `https://example.com/${'a'.repeat(500)}` } };
    const reply = quoteReply(huge);
    expect(reply.embeds![0]!.description!.length).toBeLessThanOrEqual(4096);
    expect(valid(reply)).toEqual([]);
  });
});

// Two servers in one real store: each sees the operator's feeds and bundled quotes, plus its own, never the other's.
const NOW = new Date('2024-06-01T12:00:00Z');
const A = '111111111111111111';
const B = '555555555555555555';
const OPERATOR_FEED = 'https://news.example.com/alita.rss';
const A_FEED = 'https://a-fans.example.org/alita.xml';
const B_FEED = 'https://b-fans.example.org/alita.xml';
const context = botContextPerTest(NOW, { FEEDS: OPERATOR_FEED });
const ask = (name: string, guildId: string | undefined, options: CommandRequest['options'] = {}): CommandRequest => ({ name, options, guildId, userId: '444444444444444444', canManageGuild: false });

/** Archives items as a poll of `feedUrl` would (the archive keys each item by its item.feed). */
async function archive(ctx: BotContext, feedUrl: string, titles: string[]): Promise<void> {
  const items = titles.map((title, i): NewsItem => ({ id: `${feedUrl}#${i}`, feed: feedUrl, source: title, title, link: `${feedUrl}/${i}`, summary: '', published: `2024-05-${10 + i}T10:00:00Z` }));
  await ctx.news.recordPoll({ feedUrl, itemIds: items.map((i) => i.id), scopes: [], titleHashes: [] }, () => ({ result: undefined, archive: items.map((item) => ({ item, sortKey: item.published! })) }));
}

async function twoServers(): Promise<BotContext> {
  const ctx = await context();
  await ctx.settings.addGuildFeed({ guildId: A, url: A_FEED, addedAt: NOW.toISOString() }, 25);
  await ctx.settings.addGuildFeed({ guildId: B, url: B_FEED, addedAt: NOW.toISOString() }, 25);
  await archive(ctx, OPERATOR_FEED, ['Operator news']);
  await archive(ctx, A_FEED, ['A only news']);
  await archive(ctx, B_FEED, ['B only news']);
  return ctx;
}

const latestText = async (ctx: BotContext, guildId: string | undefined) => (await latest.execute(ask('latest', guildId, { count: 10 }), ctx)).embeds![0]!.description!;

describe('/latest per server', () => {
  it("lists the operator's feeds and the server's own, never another server's", async () => {
    const ctx = await twoServers();
    const inA = await latestText(ctx, A);
    expect(inA).toContain('A only news');
    expect(inA).toContain('Operator news');
    expect(inA).not.toContain('B only news');
    const inB = await latestText(ctx, B);
    expect(inB).toContain('B only news');
    expect(inB).not.toContain('A only news');
    expect(await latestText(ctx, undefined)).not.toMatch(/only news/);
  });

  it('shows a feed two servers added to both of them', async () => {
    const ctx = await twoServers();
    await ctx.settings.addGuildFeed({ guildId: B, url: A_FEED, addedAt: NOW.toISOString() }, 25);
    expect(await latestText(ctx, B)).toContain('A only news');
  });
});

describe('/quote per server', () => {
  const salazar = { id: 'salazar-2024-x', speaker: 'Rosa Salazar', date: '2024', text: 'I would play Alita again.', source: { title: 'Interview', url: 'https://example.com/i' } };

  it("shows a server's own quotes there only, and the bundled ones everywhere", async () => {
    const ctx = await context();
    await ctx.quotes.seed(readQuotesFile());
    expect(await ctx.quotes.add(A, salazar, 10)).toBe('added');
    const inA = await quote.execute(ask('quote', A, { person: 'salazar' }), ctx);
    expect(inA.embeds![0]!.description).toContain('I would play Alita again.');
    const inB = await quote.execute(ask('quote', B, { person: 'salazar' }), ctx);
    expect(inB).toEqual({ content: 'No known quotes by “salazar”. Known: James Cameron, Robert Rodriguez.', ephemeral: true });
    expect(await quote.autocomplete!({ name: 'quote', focused: 'person', value: '', guildId: B, canManageGuild: false }, ctx)).not.toContainEqual({ name: 'Rosa Salazar', value: 'Rosa Salazar' });
    expect(await quote.autocomplete!({ name: 'quote', focused: 'person', value: 'ros', guildId: A, canManageGuild: false }, ctx)).toEqual([{ name: 'Rosa Salazar', value: 'Rosa Salazar' }]);
    // Every pick B can get is a bundled quote.
    for (const r of [0, 0.5, 0.99]) expect((await quote.execute(ask('quote', B), { ...ctx, random: () => r })).embeds![0]!.footer!.text).not.toContain('salazar');
  });
});

describe('/status per server', () => {
  it("shows the operator's feeds and this server's, and this server's dead letters only", async () => {
    const ctx = await twoServers();
    const body = { embeds: [], allowed_mentions: { parse: [] as Array<'users'> } };
    const entries = [
      { channelId: '700000000000000001', guildId: A, itemId: 'a1', title: 'Refused in A', body },
      { channelId: '700000000000000002', guildId: B, itemId: 'b1', title: 'Refused in B', body },
    ];
    await ctx.outbox.enqueue(entries, NOW);
    for (const e of entries) await ctx.outbox.deadLetter(e, 'Discord 403 (50013): Missing Permissions', NOW);
    const text = async (guildId: string) => (await status.execute(ask('status', guildId), ctx)).embeds![0]!.description!;
    const inA = await text(A);
    expect(inA).toContain('**Feeds (2)**');
    expect(inA).toContain('a-fans.example.org');
    expect(inA).toContain('news.example.com');
    expect(inA).not.toContain('b-fans.example.org');
    expect(inA).toContain('Refused in A');
    expect(inA).not.toContain('Refused in B');
    expect(inA).toContain('**Outbox (all servers):** 0 waiting, 2 dead-lettered');
    const inB = await text(B);
    expect(inB).not.toContain('a-fans.example.org');
    expect(inB).not.toContain('Refused in A');
  });
});
