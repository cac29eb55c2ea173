import { SlashCommandBuilder } from 'discord.js';
import { privately, type Choice, type Command, type CommandReply } from '../src/bot/command.ts';
import { fitLines, fitText, length, REPLY_LIMITS } from '../src/bot/reply-limits.ts';
import { fold, humanDate, maskedLink } from '../src/bot/text.ts';
import { escapeDiscordText } from '../src/engine/format.ts';
import { truncateAtWord } from '../src/engine/text.ts';
import type { Quote } from '../src/store/sql/quotes.ts';

const EMBED_COLOR = 0xc0392b;
/**
 * Longest source address /quote links. new URL() percent-encodes what /quotes add accepted (500
 * characters; an emoji becomes 12), and a longer link would crowd the words out of the embed.
 */
const SOURCE_LINK_MAX = 1500;

export const data = new SlashCommandBuilder()
  .setName('quote')
  .setDescription('A known quote about the Alita sequel, with its source')
  .addStringOption((option) =>
    option.setName('person').setDescription('Who said it (e.g. cameron, rodriguez)').setAutocomplete(true).setMaxLength(100),
  );

/** Distinct speakers, in a stable order. */
export function speakers(quotes: Quote[]): string[] {
  return [...new Set(quotes.map((q) => q.speaker))].sort((a, b) => a.localeCompare(b));
}

/** Whether what someone typed names this speaker: full name, any one of the names, or a prefix. */
export function namesSpeaker(query: string, speaker: string): boolean {
  const q = fold(query).replace(/\s+/g, ' ');
  const s = fold(speaker);
  if (!q) return true;
  return s === q || s.startsWith(q) || s.split(/\s+/).some((part) => part === q || part.startsWith(q));
}

/** Pure: the quote chosen → the /quote reply, with who, when, and where it can be checked. */
export function quoteReply(quote: Quote): CommandReply {
  // Raw fields are cut before escaping (escaping at most doubles them), the words last, to fit what is left.
  const url = quote.source.url && length(quote.source.url) <= SOURCE_LINK_MAX ? quote.source.url : undefined;
  const source = maskedLink(truncateAtWord(quote.source.title, 200), url);
  const via = quote.source.via ? ` (${escapeDiscordText(truncateAtWord(quote.source.via, 100))})` : '';
  const role = quote.role ? `, ${escapeDiscordText(truncateAtWord(quote.role, 100))}` : '';
  const rest = [`— **${escapeDiscordText(truncateAtWord(quote.speaker, 100))}**${role}, ${humanDate(quote.date)}`];
  if (quote.context) rest.push(`*${escapeDiscordText(truncateAtWord(quote.context, 300))}*`);
  rest.push(`Source: ${source}${via}${quote.source.date ? `, ${humanDate(quote.source.date)}` : ''}`);
  const tail = rest.join('\n');
  // “words”, a blank line, then the rest.
  const words = fitText(escapeDiscordText(quote.text), REPLY_LIMITS.description - length(tail) - 4);
  const title = fitText(`${escapeDiscordText(quote.speaker)} on the Alita sequel`, REPLY_LIMITS.title);
  return { embeds: [{ title, description: `“${words}”\n\n${tail}`, color: EMBED_COLOR, footer: { text: `Quote ${quote.id}` } }] };
}

/** Pure: pick a quote for the request, or explain who is known. */
export function chooseQuote(quotes: Quote[], person: string | undefined, random: () => number): CommandReply {
  if (quotes.length === 0) return privately('No quotes are known yet. Moderators can add some with /quotes add.');
  const matching = person ? quotes.filter((q) => namesSpeaker(person, q.speaker)) : quotes;
  if (matching.length === 0) {
    const head = `No known quotes by “${escapeDiscordText(truncateAtWord(person ?? '', 100))}”. Known: `;
    // Whole names only, then "…and N more": many servers' long names would not fit in one message.
    const known = fitLines(speakers(quotes).map(escapeDiscordText), REPLY_LIMITS.content - length(head) - 1, { separator: ', ' });
    return privately(`${head}${known}.`);
  }
  return quoteReply(matching[Math.min(matching.length - 1, Math.floor(random() * matching.length))]!);
}

export function personChoices(quotes: Quote[], typed: string): Choice[] {
  return speakers(quotes)
    .filter((name) => namesSpeaker(typed, name))
    .slice(0, 25)
    .map((name) => ({ name, value: name }));
}

export const quote = {
  data,
  async execute(request, ctx) {
    const person = typeof request.options.person === 'string' ? request.options.person : undefined;
    // The bundled quotes and this server's own; another server's quotes never show here.
    return chooseQuote(await ctx.quotes.forGuild(request.guildId), person, ctx.random);
  },
  async autocomplete(request, ctx) {
    return personChoices(await ctx.quotes.forGuild(request.guildId), request.value);
  },
} satisfies Command;

export const execute = quote.execute;
export default quote;
