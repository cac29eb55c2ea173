import { PassThrough } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { allCommands } from '../src/app/commands.ts';
import type { BotContext } from '../src/bot/context.ts';
import { createBotContext } from '../src/bot/create-context.ts';
import { loadBotConfig } from '../src/config.ts';
import { parseConsoleCommand } from '../src/console/commands.ts';
import { startConsoleCommands } from '../src/console/console.ts';
import { plain, renderAnnouncement } from '../src/console/render.ts';
import { formatAnnouncement } from '../src/engine/format.ts';
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
    expect(plain('**1.** [A \\[b\\]](https://x.example/%28c%29)')).toBe('1. A [b] <https://x.example/(c)>');
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
});
