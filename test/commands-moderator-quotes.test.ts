import { describe, expect, it } from 'vitest';
import { botContextPerTest } from './support/bot-context.ts';
import quotes, { dateProblem, quoteChoices, quoteFromOptions, quoteLabel } from '../commands/quotes.ts';
import type { CommandRequest } from '../src/bot/command.ts';
import { readQuotesFile } from '../src/store/quotes.ts';
import { validateAutocompleteChoices, validateMessageBody } from './support/discord-schema.ts';

const NOW = new Date('2024-06-01T12:00:00Z');
const GUILD = '111111111111111111';
const MEMBER = '444444444444444444';
const GOOD = { speaker: 'Robert Rodriguez', text: 'We would love to do another Alita.', source_url: 'https://www.example.com/interviews/rodriguez', date: '2023-10-04' };

const context = botContextPerTest(NOW, { FEEDS: 'https://news.example.com/alita.rss' });

const run = (ctx: Awaited<ReturnType<typeof context>>, subcommand: string, options: CommandRequest['options']) =>
  quotes.execute({ name: 'quotes', subcommand, options, guildId: GUILD, userId: MEMBER, canManageGuild: true }, ctx);

describe('/quotes add', () => {
  it('stores a sourced quote under a readable id and confirms privately', async () => {
    const ctx = await context();
    const reply = await run(ctx, 'add', { ...GOOD, text: '“We would love to do another Alita.”', context: 'Interview with TW.' });
    const stored = await ctx.quotes.all();
    expect(stored).toHaveLength(1);
    expect(stored[0]).toEqual({
      id: expect.stringMatching(/^robert-rodriguez-2023-10-04-[0-9a-f]{6}$/),
      speaker: 'Robert Rodriguez',
      date: '2023-10-04',
      text: 'We would love to do another Alita.',
      context: 'Interview with TW.',
      source: { title: 'example.com', url: 'https://www.example.com/interviews/rodriguez' },
      addedBy: MEMBER,
    });
    expect(reply.ephemeral).toBe(true);
    expect(reply.content).toContain(`Added quote \`${stored[0]!.id}\``);
    expect(validateMessageBody({ content: reply.content, allowed_mentions: { parse: [] } })).toEqual([]);

    const again = await run(ctx, 'add', { ...GOOD, source_url: 'https://elsewhere.example.net/x', source_title: 'Elsewhere' });
    expect(again.content).toBe(`That quote is already known as \`${stored[0]!.id}\`.`);
    expect(await ctx.quotes.all()).toHaveLength(1);
  });

  it.each([
    ['no source', { source_url: undefined }, /needs a source_url/],
    ['a source that is not a URL', { source_url: 'Variety, June 2023' }, /full address/],
    ['an ftp source', { source_url: 'ftp://example.com/quote.txt' }, /http:\/\/ or https:\/\//],
    ['a javascript: source', { source_url: 'javascript:alert(1)' }, /http:\/\/ or https:\/\//],
    ['a source fans cannot open', { source_url: 'http://localhost/quote' }, /public address/],
    ['a date in another format', { date: '04/10/2023' }, /use YYYY, YYYY-MM or YYYY-MM-DD/],
    ['a day that does not exist', { date: '2023-02-30' }, /not a real date/],
    ['month 13', { date: '2023-13' }, /not a real date/],
    ['a future date', { date: '2024-07' }, /in the future/],
    ['no speaker', { speaker: '  ' }, /who said it/],
    ['no words', { text: '' }, /words/],
    ['more than 1000 characters', { text: 'a'.repeat(1001) }, /longer than 1000/],
  ])('refuses %s', async (_what, change, message) => {
    const ctx = await context();
    const reply = await run(ctx, 'add', { ...GOOD, ...change });
    expect(reply.ephemeral).toBe(true);
    expect(reply.content).toMatch(/^Quote not added: /);
    expect(reply.content).toMatch(message);
    expect(await ctx.quotes.all()).toEqual([]);
  });

  it('accepts a year or a month, and defaults to today', () => {
    for (const date of ['2023', '2023-06', '2024-06', '2024-06-01']) expect(dateProblem(date, NOW)).toBeUndefined();
    const built = quoteFromOptions({ ...GOOD, date: undefined }, NOW);
    expect('quote' in built && built.quote.date).toBe('2024-06-01');
  });

  it('gives the same id to the same quote and keeps other scripts in it', () => {
    const a = quoteFromOptions(GOOD, NOW);
    const b = quoteFromOptions({ ...GOOD }, NOW);
    expect('quote' in a && 'quote' in b && a.quote.id === b.quote.id).toBe(true);
    const kishiro = quoteFromOptions({ ...GOOD, speaker: '木城ゆきと' }, NOW);
    expect('quote' in kishiro && kishiro.quote.id).toMatch(/^木城ゆきと-2023-10-04-[0-9a-f]{6}$/);
  });
});

describe('/quotes remove', () => {
  it('offers "Speaker — first words…" choices and removes the one picked', async () => {
    const ctx = await context();
    await ctx.quotes.seed(readQuotesFile());
    const choices = await quotes.autocomplete({ name: 'quotes', subcommand: 'remove', focused: 'id', value: 'rodri' }, ctx);
    expect(choices.length).toBeGreaterThan(0);
    expect(validateAutocompleteChoices({ choices })).toEqual([]);
    const choice = choices.find((c) => c.value === 'rodriguez-2023-10-04-another-alita')!;
    expect(choice.name).toMatch(/^Robert Rodriguez — Yes, Jim and I .+…$/);
    expect(choice.name.length).toBeLessThanOrEqual(100);

    const reply = await run(ctx, 'remove', { id: choice.value });
    expect(reply.ephemeral).toBe(true);
    expect(reply.content).toContain('Removed quote `rodriguez-2023-10-04-another-alita`');
    expect((await ctx.quotes.all()).map((q) => q.id)).not.toContain(choice.value);
    expect(await ctx.quotes.seed(readQuotesFile())).toBe(0);

    const unknown = await run(ctx, 'remove', { id: choice.value });
    expect(unknown.content).toMatch(/^No quote has the id/);
  });

  it('matches by words too, and caps the list at 25', () => {
    const many = Array.from({ length: 40 }, (_, i) => ({ ...readQuotesFile()[0]!, id: `q-${i}` }));
    expect(quoteChoices(many, '')).toHaveLength(25);
    expect(quoteChoices(readQuotesFile(), 'wellington').map((c) => c.value)).toEqual(['cameron-2023-06-new-alita-movies']);
    expect(quoteLabel({ ...many[0]!, speaker: 'S'.repeat(150) }).length).toBeLessThanOrEqual(100);
  });
});
