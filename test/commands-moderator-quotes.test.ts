import { describe, expect, it } from 'vitest';
import { botContextPerTest } from './support/bot-context.ts';
import quotes, { dateProblem, quoteChoices, quoteFromOptions, quoteLabel } from '../commands/quotes.ts';
import type { AutocompleteRequest, CommandRequest } from '../src/bot/command.ts';
import type { BotContext } from '../src/bot/context.ts';
import { readQuotesFile } from '../src/store/quotes.ts';
import { validateAutocompleteChoices, validateMessageBody } from './support/discord-schema.ts';

const NOW = new Date('2024-06-01T12:00:00Z');
const A = '111111111111111111';
const B = '555555555555555555';
const MEMBER = '444444444444444444';
const BUNDLED_ID = 'rodriguez-2023-10-04-another-alita';
const GOOD = { speaker: 'Robert Rodriguez', text: 'We would love to do another Alita.', source_url: 'https://www.example.com/interviews/rodriguez', date: '2023-10-04' };

const context = botContextPerTest(NOW, { FEEDS: 'https://news.example.com/alita.rss' });

const run = (ctx: BotContext, subcommand: string, options: CommandRequest['options'], guildId = A) =>
  quotes.execute({ name: 'quotes', subcommand, options, guildId, userId: MEMBER, canManageGuild: true }, ctx);
const complete = (ctx: BotContext, value: string, more: Partial<AutocompleteRequest> = {}) =>
  quotes.autocomplete({ name: 'quotes', subcommand: 'remove', focused: 'id', value, guildId: A, canManageGuild: true, ...more }, ctx);
const ids = async (ctx: BotContext, guildId?: string) => (await ctx.quotes.forGuild(guildId)).map((q) => q.id);

describe('/quotes add', () => {
  it("stores a sourced quote as this server's, under a readable id, and confirms privately", async () => {
    const ctx = await context();
    const reply = await run(ctx, 'add', { ...GOOD, text: '“We would love to do another Alita.”', context: 'Interview with TW.' });
    const stored = await ctx.quotes.forGuild(A);
    expect(stored).toEqual([
      {
        id: expect.stringMatching(/^robert-rodriguez-2023-10-04-[0-9a-f]{6}$/),
        speaker: 'Robert Rodriguez',
        date: '2023-10-04',
        text: 'We would love to do another Alita.',
        context: 'Interview with TW.',
        source: { title: 'example.com', url: 'https://www.example.com/interviews/rodriguez' },
        addedBy: MEMBER,
      },
    ]);
    expect(await ctx.quotes.forGuild(B)).toEqual([]);
    expect(reply.ephemeral).toBe(true);
    expect(reply.content).toContain(`Added quote \`${stored[0]!.id}\``);
    expect(reply.content).toContain('/quote shows it in this server from now on.');
    expect(validateMessageBody({ content: reply.content, allowed_mentions: { parse: [] } })).toEqual([]);

    const again = await run(ctx, 'add', { ...GOOD, source_url: 'https://elsewhere.example.net/x', source_title: 'Elsewhere' });
    expect(again.content).toBe(`That quote is already known as \`${stored[0]!.id}\`.`);
    expect(await ctx.quotes.forGuild(A)).toHaveLength(1);
    // Another server's quotes are not this server's business: B may add the same words as its own.
    expect((await run(ctx, 'add', GOOD, B)).content).toMatch(/^Added quote/);
  });

  it('refuses a bundled quote as already known', async () => {
    const ctx = await context();
    await ctx.quotes.seed(readQuotesFile());
    const bundled = readQuotesFile().find((q) => q.id === BUNDLED_ID)!;
    const reply = await run(ctx, 'add', { speaker: bundled.speaker, text: bundled.text, source_url: 'https://example.com/x', date: '2023' });
    expect(reply.content).toBe(`That quote is already known as \`${BUNDLED_ID}\`.`);
  });

  it('refuses a quote beyond MAX_QUOTES, naming the limit; other servers are not counted', async () => {
    const ctx = await context({ MAX_QUOTES: '1' });
    await ctx.quotes.seed(readQuotesFile());
    expect((await run(ctx, 'add', GOOD)).content).toMatch(/^Added quote/);
    const reply = await run(ctx, 'add', { ...GOOD, text: 'Another Alita is coming.' });
    expect(reply).toEqual({ content: 'Quote not added: this server already has 1 quote of its own, the most it may have. Remove one with /quotes remove first.', ephemeral: true });
    expect(await ctx.quotes.count(A)).toBe(1);
    expect((await run(ctx, 'add', { ...GOOD, text: 'Another Alita is coming.' }, B)).content).toMatch(/^Added quote/);
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
    expect(await ctx.quotes.forGuild(A)).toEqual([]);
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
  it('offers this server\'s own quotes only, to moderators only, as "Speaker — first words…"', async () => {
    const ctx = await context();
    await ctx.quotes.seed(readQuotesFile());
    await run(ctx, 'add', GOOD);
    await run(ctx, 'add', { ...GOOD, speaker: 'Rosa Salazar', text: 'I am ready for Alita 2.' }, B);
    const choices = await complete(ctx, 'rodri');
    expect(choices).toEqual([{ name: 'Robert Rodriguez — We would love to do another Alita.', value: expect.stringMatching(/^robert-rodriguez-2023-10-04-/) }]);
    expect(validateAutocompleteChoices({ choices })).toEqual([]);
    expect(await complete(ctx, 'rosa')).toEqual([]);
    expect(await complete(ctx, '', { guildId: B })).toEqual([{ name: 'Rosa Salazar — I am ready for Alita 2.', value: expect.stringMatching(/^rosa-salazar-/) }]);
    expect(await complete(ctx, '', { canManageGuild: false })).toEqual([]);
    expect(await complete(ctx, '', { guildId: undefined })).toEqual([]);
  });

  it("removes this server's own quote; refuses a bundled one and another server's", async () => {
    const ctx = await context();
    await ctx.quotes.seed(readQuotesFile());
    await run(ctx, 'add', GOOD);
    const [id] = (await ids(ctx, A)).filter((q) => q.startsWith('robert-rodriguez-'));

    const bundled = await run(ctx, 'remove', { id: BUNDLED_ID });
    expect(bundled).toEqual({ content: `\`${BUNDLED_ID}\` is one of the bundled quotes every server shares (data/quotes.json): it cannot be removed from Discord. Ask whoever runs the bot.`, ephemeral: true });
    expect(await ids(ctx)).toContain(BUNDLED_ID);

    const fromB = await run(ctx, 'remove', { id: id! }, B);
    expect(fromB).toEqual({ content: `\`${id}\` is not one of this server's quotes. Start typing in the id option and pick one from the list.`, ephemeral: true });
    expect(await ids(ctx, A)).toContain(id);

    const reply = await run(ctx, 'remove', { id: id! });
    expect(reply).toEqual({ content: `Removed this server's quote \`${id}\` (Robert Rodriguez — We would love to do another Alita.).`, ephemeral: true });
    expect((await ids(ctx, A)).sort()).toEqual(readQuotesFile().map((q) => q.id).sort());
    expect((await run(ctx, 'remove', { id: id! })).content).toMatch(/is not one of this server's quotes/);
  });

  it('matches by words too, and caps the list at 25', () => {
    const many = Array.from({ length: 40 }, (_, i) => ({ ...readQuotesFile()[0]!, id: `q-${i}` }));
    expect(quoteChoices(many, '')).toHaveLength(25);
    expect(quoteChoices(readQuotesFile(), 'wellington').map((c) => c.value)).toEqual(['cameron-2023-06-new-alita-movies']);
    expect(quoteLabel({ ...many[0]!, speaker: 'S'.repeat(150) }).length).toBeLessThanOrEqual(100);
  });
});
