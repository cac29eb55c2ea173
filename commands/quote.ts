import { SlashCommandBuilder } from 'discord.js';
import { privately, type Choice, type Command, type CommandReply } from '../src/bot/command.ts';
import { fold, humanDate, maskedLink } from '../src/bot/text.ts';
import { escapeDiscordText } from '../src/engine/format.ts';
import { truncateAtWord } from '../src/engine/text.ts';
import type { Quote } from '../src/store/sql/quotes.ts';

const EMBED_COLOR = 0xc0392b;
/** Discord's cap on an embed description. */
const DESCRIPTION_LIMIT = 4096;

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
  const source = maskedLink(quote.source.title, quote.source.url);
  const via = quote.source.via ? ` (${escapeDiscordText(quote.source.via)})` : '';
  const rest = [`— **${escapeDiscordText(quote.speaker)}**${quote.role ? `, ${escapeDiscordText(quote.role)}` : ''}, ${humanDate(quote.date)}`];
  if (quote.context) rest.push(`*${escapeDiscordText(truncateAtWord(quote.context, 300))}*`);
  rest.push(`Source: ${source}${via}${quote.source.date ? `, ${humanDate(quote.source.date)}` : ''}`);
  // Escaping can double the words' length, so they get what room the other lines leave.
  const room = DESCRIPTION_LIMIT - rest.join('\n').length - 4;
  let max = Math.min(3500, room);
  let words = escapeDiscordText(truncateAtWord(quote.text, max));
  while (words.length + 2 > room && max > 10) words = escapeDiscordText(truncateAtWord(quote.text, (max = Math.floor(max * 0.8))));
  const description = [`“${words}”`, '', ...rest].join('\n');
  return { embeds: [{ title: `${quote.speaker} on the Alita sequel`.slice(0, 256), description, color: EMBED_COLOR, footer: { text: `Quote ${quote.id}`.slice(0, 2048) } }] };
}

/** Pure: pick a quote for the request, or explain who is known. */
export function chooseQuote(quotes: Quote[], person: string | undefined, random: () => number): CommandReply {
  if (quotes.length === 0) return privately('No quotes are known yet. Moderators can add some with /quotes add.');
  const matching = person ? quotes.filter((q) => namesSpeaker(person, q.speaker)) : quotes;
  if (matching.length === 0) {
    return privately(`No known quotes by “${escapeDiscordText(person ?? '')}”. Known: ${speakers(quotes).map(escapeDiscordText).join(', ')}.`);
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
