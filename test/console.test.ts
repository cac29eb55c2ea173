import { PassThrough } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { allCommands } from '../src/app/commands.ts';
import type { BotContext } from '../src/bot/context.ts';
import { createBotContext } from '../src/bot/create-context.ts';
import { loadBotConfig } from '../src/config.ts';
import { CONSOLE_GUILD, parseConsoleCommand } from '../src/console/commands.ts';
import { startConsoleCommands } from '../src/console/console.ts';
import { plain, renderAnnouncement } from '../src/console/render.ts';
import { escapeDiscordText, formatAnnouncement } from '../src/engine/format.ts';
import { silentLogger } from '../src/log.ts';
import { readQuotesFile } from '../src/store/quotes.ts';
import { tempSqliteStore } from './support/store.ts';

const commands = new Map(allCommands.map((c) => [c.data.name, c]));

describe('console command parsing', () => {
  it('fills options in declared order, converting numbers', () => {
    expect(parseConsoleCommand('/latest 3', commands)).toMatchObject({ name: 'latest', options: { count: 3 }, canManageGuild: true });
    expect(parseConsoleCommand('/quote cameron', commands)).toMatchObject({ name: 'quote', options: { person: 'cameron' } });
    expect(parseConsoleCommand('/quote person:"James Cameron"', commands)).toMatchObject({ options: { person: 'James Cameron' } });
    expect(parseConsoleCommand('/feeds add https://example.com/rss', commands)).toMatchObject({ name: 'feeds', subcommand: 'add', options: { url: 'https://example.com/rss' } });
  });

  it('explains mistakes instead of failing', () => {
    expect(() => parseConsoleCommand('/nope', commands)).toThrow(/unknown command \/nope\. Try: \/latest/);
    expect(() => parseConsoleCommand('/latest many', commands)).toThrow(/count must be a number/);
    expect(() => parseConsoleCommand('/latest 11', commands)).toThrow(/between 1 and 10/);
    expect(() => parseConsoleCommand('/feeds', commands)).toThrow(/needs one of: list, add, remove/);
  });
});

describe('console rendering', () => {
  it('shows an announcement as a readable card without Discord markup', () => {
    const body = formatAnnouncement({ id: 'x', feed: 'f', source: 'News', title: 'Alita 2 *is* on', link: 'https://n.example/a', summary: 'Cameron: [yes](https://x)', published: '2024-01-02T00:00:00Z' });
    const card = renderAnnouncement('console', body);
    expect(card).toContain('┌─ Alita 2 *is* on');
    expect(card).toContain('Cameron: [yes](https://x)');
    expect(card).toContain('└─ News · 2024-01-02');
    expect(plain('**1.** [A \\[b\\]](https://x.example/%28c%29)')).toBe('1. A [b] (https://x.example/(c))');
  });

  it('shows Discord markup as plain words: addresses, mentions, timestamps, emphasis; escaped text and code spans as they are', () => {
    expect(plain('• <https://news.example.com/rss?a=1> — added by <@console> 1 Jun 2024')).toBe('• https://news.example.com/rss?a=1 — added by @console 1 Jun 2024');
    expect(plain('• <data/sample-feeds/alita-news.xml> — not polled yet')).toBe('• data/sample-feeds/alita-news.xml — not polled yet');
    expect(plain('announced in <#123456789012345678>, pinging <@&987654321098765432> <@!42>')).toBe('announced in #123456789012345678, pinging @role:987654321098765432 @42');
    expect(plain('next digest <t:1717243200:R>, or <t:1717243200>')).toBe('next digest 2024-06-01 12:00 UTC, or 2024-06-01 12:00 UTC');
    expect(plain('__under__ ~~struck~~ ||spoiler|| _slanted_ snake_case_name </latest:123> <:alita:456>')).toBe('under struck spoiler slanted snake_case_name /latest :alita:');
    expect(plain('-# small print\n> quoted')).toBe('small print\nquoted');
    // What a feed wrote that only looks like markup was escaped, and shows as written.
    expect(plain(escapeDiscordText('Fans say **yes** to <@123> & <https://x.example> `code`'))).toBe('Fans say **yes** to <@123> & <https://x.example> `code`');
    expect(plain('Could not add <https://x.example/f>: `HTTP 404 \\*Not\\* <Found>`')).toBe('Could not add https://x.example/f: HTTP 404 \\*Not\\* <Found>');
  });

  it('shows a ping role in an announcement as a plain @role', () => {
    const body = formatAnnouncement({ id: 'x', feed: 'f', source: 'News', title: 'Alita 2', link: 'https://n.example/a', summary: '', published: '2024-01-02T00:00:00Z' }, { pingRoleId: '987654321098765432' });
    expect(renderAnnouncement('console', body).split('\n')[0]).toBe('📣 #console @role:987654321098765432');
  });
});

describe('console mode', () => {
  let temp: Awaited<ReturnType<typeof tempSqliteStore>>;
  let ctx: BotContext;
  beforeEach(async () => {
    temp = await tempSqliteStore();
    ctx = createBotContext({ config: loadBotConfig({ FEEDS: 'data/sample-feeds/alita-news.xml' }), stores: temp.stores, logger: silentLogger });
    await ctx.quotes.seed(readQuotesFile());
  });
  afterEach(() => temp.cleanup());

  it('answers commands typed on stdin, in order', async () => {
    const input = new PassThrough();
    const output = new PassThrough();
    let text = '';
    output.on('data', (chunk) => (text += String(chunk)));
    const done = startConsoleCommands(input, output, allCommands, ctx);
    input.end('/latest\n\n/quote rodriguez\n/bogus\n');
    await done;
    expect(text).toMatch(/No Alita sequel news yet[\s\S]*Robert Rodriguez on the Alita sequel[\s\S]*unknown command \/bogus/);
  });

  it('prints replies without Discord markup', async () => {
    await ctx.settings.addGuildFeed({ guildId: CONSOLE_GUILD, url: 'https://fans.example.org/alita.xml', addedAt: '2024-06-01T00:00:00Z', addedBy: 'console' }, 25);
    const input = new PassThrough();
    const output = new PassThrough();
    let text = '';
    output.on('data', (chunk) => (text += String(chunk)));
    const done = startConsoleCommands(input, output, allCommands, ctx);
    input.end('/feeds list\n/setup channel:123456789012345678\n/help\n');
    await done;
    expect(text).toContain('• https://fans.example.org/alita.xml, added by @console 1 Jun 2024 — not polled yet');
    expect(text).toContain('• data/sample-feeds/alita-news.xml — not polled yet');
    expect(text).toContain('announced in #123456789012345678');
    expect(text).toContain('/latest — The newest Alita sequel news');
    expect(text).not.toMatch(/[<>`*\\]/);
  });
});
