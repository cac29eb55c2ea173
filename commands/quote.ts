import { SlashCommandBuilder } from 'discord.js';
import { privately, type Choice, type Command, type CommandReply } from '../src/bot/command.ts';
import { fold, humanDate, maskedLink } from '../src/bot/text.ts';
import { escapeDiscordText } from '../src/engine/format.ts';
import { truncateAtWord } from '../src/engine/text.ts';
import type { Quote } from '../src/store/quotes.ts';

const EMBED_COLOR = 0xc0392b;

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
  const lines = [`“${escapeDiscordText(truncateAtWord(quote.text, 3500))}”`, '', `— **${escapeDiscordText(quote.speaker)}**${quote.role ? `, ${escapeDiscordText(quote.role)}` : ''}, ${humanDate(quote.date)}`];
  if (quote.context) lines.push(`*${escapeDiscordText(truncateAtWord(quote.context, 300))}*`);
  lines.push(`Source: ${source}${via}${quote.source.date ? `, ${humanDate(quote.source.date)}` : ''}`);
  return { embeds: [{ title: `${quote.speaker} on the Alita sequel`.slice(0, 256), description: lines.join('\n'), color: EMBED_COLOR, footer: { text: `Quote ${quote.id}` } }] };
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
    return chooseQuote(await ctx.quotes.all(), person, ctx.random);
  },
  async autocomplete(request, ctx) {
    return personChoices(await ctx.quotes.all(), request.value);
  },
} satisfies Command;

export const execute = quote.execute;
export default quote;
