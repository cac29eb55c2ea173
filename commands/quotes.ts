import { InteractionContextType, PermissionFlagsBits, SlashCommandBuilder } from 'discord.js';
import { privately, refuseUnlessModerator, type Choice, type Command, type CommandReply, type CommandRequest, type OptionValue } from '../src/bot/command.ts';
import type { BotContext } from '../src/bot/context.ts';
import { fold, humanDate, showUrl } from '../src/bot/text.ts';
import { escapeDiscordText } from '../src/engine/format.ts';
import { truncateAtWord } from '../src/engine/text.ts';
import type { Quote } from '../src/store/sql/quotes.ts';
import { quoteId } from '../src/bot/quote-ids.ts';
import { reviewReply } from '../src/bot/quote-review.ts';

export const LIMITS = { speaker: 100, text: 1000, sourceUrl: 500, sourceTitle: 200, context: 300 } as const;
/** Discord caps a choice's name and value at 100 characters. */
const CHOICE_LIMIT = 100;

export const data = new SlashCommandBuilder()
  .setName('quotes')
  .setDescription("Add or remove this server's own quotes for /quote")
  .setDefaultMemberPermissions(PermissionFlagsBits.ManageGuild)
  .setContexts(InteractionContextType.Guild)
  .addSubcommand((sub) =>
    sub
      .setName('add')
      .setDescription('Add a quote for this server, with the article fans can check it in')
      .addStringOption((o) => o.setName('speaker').setDescription('Who said it, e.g. Robert Rodriguez').setRequired(true).setMaxLength(LIMITS.speaker))
      .addStringOption((o) => o.setName('text').setDescription('The exact words').setRequired(true).setMaxLength(LIMITS.text))
      .addStringOption((o) =>
        o.setName('source_url').setDescription('The http(s) address of the article or video it comes from').setRequired(true).setMaxLength(LIMITS.sourceUrl),
      )
      .addStringOption((o) => o.setName('date').setDescription('When it was said: YYYY, YYYY-MM or YYYY-MM-DD (default: today)').setMaxLength(10))
      .addStringOption((o) => o.setName('source_title').setDescription('Title of the source (default: its site)').setMaxLength(LIMITS.sourceTitle))
      .addStringOption((o) => o.setName('context').setDescription('One line on when or why it was said').setMaxLength(LIMITS.context)),
  )
  .addSubcommand((sub) => sub.setName('review').setDescription('Review the quotations found in stories announced here: approve, reject or fix the speaker'))
  .addSubcommand((sub) =>
    sub
      .setName('queue')
      .setDescription('Turn the review queue of quotations found in the news on or off')
      .addBooleanOption((o) => o.setName('on').setDescription('true: propose quotations for review (default); false: stop').setRequired(true)),
  )
  .addSubcommand((sub) =>
    sub
      .setName('remove')
      .setDescription('Remove a quote this server added')
      .addStringOption((o) => o.setName('id').setDescription('The quote; start typing a name or words from it').setRequired(true).setAutocomplete(true).setMaxLength(CHOICE_LIMIT)),
  );

const text = (value: OptionValue | undefined) => (typeof value === 'string' ? value.replace(/\s+/g, ' ').trim() : '');
const length = (value: string) => Array.from(value).length;

export { quoteId, speakerSlug } from '../src/bot/quote-ids.ts';

/** Checks YYYY, YYYY-MM or YYYY-MM-DD; the reason it is wrong, or undefined when fine. */
export function dateProblem(date: string, today: Date): string | undefined {
  const m = /^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$/.exec(date);
  if (!m) return `"${date}" is not a date: use YYYY, YYYY-MM or YYYY-MM-DD (e.g. 2023-10-04)`;
  const [year, month = 1, day = 1] = m.slice(1).map((v) => (v === undefined ? undefined : Number(v))) as [number, number?, number?];
  const utc = new Date(Date.UTC(year, month - 1, day));
  if (month < 1 || month > 12 || utc.getUTCMonth() !== month - 1 || utc.getUTCDate() !== day) return `"${date}" is not a real date`;
  // The manga began in 1990; anything earlier is a typo.
  if (year < 1990) return `"${date}" is before Alita existed`;
  // A partial date is "in the future" only when its whole period starts later than today.
  if (date > today.toISOString().slice(0, date.length)) return `"${date}" is in the future`;
  return undefined;
}

/** An http(s) address a fan can open: no credentials, and a host with a dot in it. */
export function sourceUrlProblem(value: string): string | undefined {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return 'source_url must be a full address such as https://www.example.com/article';
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return 'source_url must be an http:// or https:// address';
  if (url.username || url.password) return 'source_url must not contain a user name or password';
  if (!url.hostname.includes('.')) return 'source_url must be a public address fans can open';
  return undefined;
}

/** Strips one pair of quote marks around the words: /quote adds its own. */
function unquote(words: string): string {
  const m = /^["“„«‘'](.*)["”“»’']$/su.exec(words);
  return m ? m[1]!.trim() : words;
}

/**
 * Pure: the options of /quotes add → a quote, or the one thing to fix. `today` gives the default
 * date and the limit for "in the future".
 */
export function quoteFromOptions(options: CommandRequest['options'], today: Date, addedBy?: string): { quote: Quote } | { error: string } {
  const speaker = text(options.speaker);
  const words = unquote(text(options.text));
  const sourceUrl = text(options.source_url);
  const date = text(options.date) || today.toISOString().slice(0, 10);
  const sourceTitle = text(options.source_title);
  const context = text(options.context);
  if (!speaker) return { error: 'Say who said it (speaker).' };
  if (length(speaker) > LIMITS.speaker) return { error: `speaker is longer than ${LIMITS.speaker} characters.` };
  if (!words) return { error: 'Give the words that were said (text).' };
  if (length(words) > LIMITS.text) return { error: `text is longer than ${LIMITS.text} characters; quote the part that matters.` };
  if (!sourceUrl) return { error: 'Every quote needs a source_url fans can check.' };
  const urlProblem = sourceUrlProblem(sourceUrl);
  if (urlProblem) return { error: `${urlProblem}. Every quote needs a source fans can check.` };
  const problem = dateProblem(date, today);
  if (problem) return { error: `${problem}.` };
  if (length(sourceTitle) > LIMITS.sourceTitle) return { error: `source_title is longer than ${LIMITS.sourceTitle} characters.` };
  if (length(context) > LIMITS.context) return { error: `context is longer than ${LIMITS.context} characters.` };
  const url = new URL(sourceUrl);
  const quote: Quote = {
    id: quoteId(speaker, date, words, url.href),
    speaker,
    date,
    text: words,
    source: { title: sourceTitle || url.hostname.replace(/^www\./, ''), url: url.href },
  };
  if (context) quote.context = context;
  if (addedBy) quote.addedBy = addedBy;
  return { quote };
}

/** "Robert Rodriguez — Yes, Jim and I always…", at most `max` characters. */
export function quoteLabel(quote: Quote, max = CHOICE_LIMIT): string {
  const head = `${quote.speaker} — `;
  const room = max - length(head);
  if (room < 10) return truncateAtWord(quote.speaker, max);
  return `${head}${truncateAtWord(quote.text.replace(/\s+/g, ' '), room)}`;
}

/** Pure: autocomplete for /quotes remove, matching the id, the speaker or the words. */
export function quoteChoices(quotes: Quote[], typed: string): Choice[] {
  const needle = fold(typed).replace(/\s+/g, ' ');
  return quotes
    .filter((q) => length(q.id) <= CHOICE_LIMIT)
    .filter((q) => !needle || [q.id, q.speaker, q.text].some((field) => fold(field).replace(/\s+/g, ' ').includes(needle)))
    .slice(0, 25)
    .map((q) => ({ name: quoteLabel(q), value: q.id }));
}

export function quoteAddedReply(quote: Quote): CommandReply {
  // Each part cut before escaping (which at most doubles it), and the address shown at most 400
  // characters: new URL() percent-encodes what was typed, an emoji into 12 characters.
  const words = escapeDiscordText(truncateAtWord(quote.text, 300));
  const url = quote.source.url ? ` ${showUrl(quote.source.url)}` : '';
  const lines = [
    `Added quote \`${quote.id}\`:`,
    `“${words}” — **${escapeDiscordText(truncateAtWord(quote.speaker, LIMITS.speaker))}**, ${humanDate(quote.date)}`,
    `Source: ${escapeDiscordText(truncateAtWord(quote.source.title, LIMITS.sourceTitle))}${url}`,
    '/quote shows it in this server from now on.',
  ];
  return privately(lines.join('\n'));
}

export function quoteRemovedReply(quote: Quote): CommandReply {
  return privately(`Removed this server's quote \`${quote.id}\` (${escapeDiscordText(quoteLabel(quote, 150))}).`);
}

export function quoteLimitReply(limit: number): CommandReply {
  return privately(`Quote not added: this server already has ${limit} quote${limit === 1 ? '' : 's'} of its own, the most it may have. Remove one with /quotes remove first.`);
}

function sameWords(a: Quote, b: Quote): boolean {
  const norm = (q: Quote) => `${fold(q.speaker)}\n${fold(q.text).replace(/[^\p{L}\p{N}]+/gu, ' ').trim()}`;
  return norm(a) === norm(b);
}

/** The quotes a server added itself: what its moderators may remove (bundled ones are everyone's). */
async function ownQuotes(ctx: BotContext, guildId: string): Promise<Quote[]> {
  const bundled = new Set((await ctx.quotes.forGuild()).map((q) => q.id));
  return (await ctx.quotes.forGuild(guildId)).filter((q) => !bundled.has(q.id));
}

async function add(request: CommandRequest, guildId: string, ctx: BotContext): Promise<CommandReply> {
  const built = quoteFromOptions(request.options, ctx.clock(), request.userId);
  if ('error' in built) return privately(`Quote not added: ${built.error}`);
  // Bundled quotes and this server's own: another server's quotes are not this server's business.
  const known = (await ctx.quotes.forGuild(guildId)).find((q) => q.id === built.quote.id || sameWords(q, built.quote));
  if (known) return privately(`That quote is already known as \`${known.id}\`.`);
  const limit = ctx.config.MAX_QUOTES;
  if ((await ctx.quotes.add(guildId, built.quote, limit)) === 'limit') return quoteLimitReply(limit);
  ctx.logger.info('quote added', { id: built.quote.id, by: request.userId, guild: guildId });
  return quoteAddedReply(built.quote);
}

async function remove(request: CommandRequest, guildId: string, ctx: BotContext): Promise<CommandReply> {
  const id = text(request.options.id);
  if (!id) return privately("Give the quote to remove: start typing its speaker or words and pick one of this server's quotes.");
  const shown = `\`${id.replace(/`/g, '')}\``;
  const gone = await ctx.quotes.remove(guildId, id);
  if (gone) {
    ctx.logger.info('quote removed', { id, by: request.userId, guild: guildId });
    return quoteRemovedReply(gone);
  }
  if ((await ctx.quotes.forGuild()).some((q) => q.id === id)) {
    return privately(`${shown} is one of the bundled quotes every server shares (data/quotes.json): it cannot be removed from Discord. Ask whoever runs the bot.`);
  }
  // The same answer whether or not another server has such a quote: servers never see each other's.
  return privately(`${shown} is not one of this server's quotes. Start typing in the id option and pick one from the list.`);
}

async function review(guildId: string, ctx: BotContext): Promise<CommandReply> {
  const { candidate, pending } = await ctx.candidates.next(guildId);
  if (!candidate && !(await ctx.candidates.enabled(guildId))) return privately('The review queue is off in this server: no quotations are proposed. Turn it on with /quotes queue on:true.');
  return reviewReply(candidate, pending, ctx.people);
}

async function queue(request: CommandRequest, guildId: string, ctx: BotContext): Promise<CommandReply> {
  const on = request.options.on;
  if (typeof on !== 'boolean') return privately('on is true or false.');
  await ctx.candidates.setEnabled(guildId, on, request.userId ?? 'unknown', ctx.clock());
  ctx.logger.info('quote review queue set', { guild: guildId, on, by: request.userId });
  return privately(on
    ? 'Quotations found in the stories announced here will wait in /quotes review for a moderator.'
    : 'No more quotations will be proposed here. What already waits stays in /quotes review; /quotes queue on:true turns it back on.');
}

export const quotes = {
  data,
  moderator: true,
  async execute(request, ctx) {
    const refused = refuseUnlessModerator(request);
    if (refused) return refused;
    if (!request.guildId) return privately('/quotes only works in a server: each server has its own quotes.');
    if (request.subcommand === 'add') return add(request, request.guildId, ctx);
    if (request.subcommand === 'remove') return remove(request, request.guildId, ctx);
    if (request.subcommand === 'review') return review(request.guildId, ctx);
    if (request.subcommand === 'queue') return queue(request, request.guildId, ctx);
    return privately('Use /quotes add, /quotes remove, /quotes review or /quotes queue.');
  },
  async autocomplete(request, ctx) {
    // Discord shows choices to whoever types, so they go to moderators only, and name only this server's own quotes.
    if (request.subcommand !== 'remove' || request.focused !== 'id' || !request.canManageGuild || !request.guildId) return [];
    return quoteChoices(await ownQuotes(ctx, request.guildId), request.value);
  },
} satisfies Command;

export const execute = quotes.execute;
export default quotes;
