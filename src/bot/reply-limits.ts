/**
 * Makes any reply body fit Discord's limits, after escaping. Discord refuses an oversize body
 * outright (the member would only see our apology), so every reply passes through fitReply on
 * its way out; commands that know their structure cut smarter first, with fitLines and fitText.
 * Pure: no I/O, same input, same output.
 */
import type { CommandReply, EmbedField, ReplyEmbed } from './command.ts';
import { fitText, length } from './fit-text.ts';

export { fitLines, fitText, length, type FitLinesOptions, type ListLine } from './fit-text.ts';

// https://discord.com/developers/docs/resources/message#embed-object-embed-limits
export const REPLY_LIMITS = {
  content: 2000,
  embeds: 10,
  /** Summed over title, description, field names and values, footer and author of every embed. */
  embedTotal: 6000,
  title: 256,
  description: 4096,
  fields: 25,
  fieldName: 256,
  fieldValue: 1024,
  footer: 2048,
  author: 256,
} as const;

/**
 * An autocomplete choice's name or value in Discord's 100 characters: a plain cut, since a value
 * must come back unchanged (commands keep theirs shorter), but never through an emoji's two halves.
 */
export function clipChoice(text: string): string {
  return length(text) <= 100 ? text : Array.from(text).slice(0, 100).join('');
}

/** Text Discord counts towards the 6000 characters of a message's embeds. */
export function embedLength(embed: ReplyEmbed): number {
  const fields = (embed.fields ?? []).reduce((n, f) => n + length(f.name) + length(f.value), 0);
  return length(embed.title) + length(embed.description ?? '') + length(embed.footer?.text ?? '') + length(embed.author?.name ?? '') + fields;
}

/**
 * One embed within its own limits and `budget` characters of the message total, or undefined
 * when not even its title fits. Title, author and footer say what the embed is: they are fitted
 * first; the description and then the fields share what is left.
 */
function fitEmbed(embed: ReplyEmbed, budget: number): ReplyEmbed | undefined {
  let left = budget;
  const take = (text: string, limit: number) => {
    const fitted = fitText(text, Math.min(limit, left));
    left -= length(fitted);
    return fitted;
  };
  const title = take(embed.title, REPLY_LIMITS.title);
  if (embed.title && !title) return undefined;
  const out: ReplyEmbed = { ...embed, title };
  // Discord refuses an empty author name or footer text: one cut to nothing is left out.
  const author = embed.author && take(embed.author.name, REPLY_LIMITS.author);
  if (author) out.author = { ...embed.author, name: author };
  else delete out.author;
  const footer = embed.footer && take(embed.footer.text, REPLY_LIMITS.footer);
  if (footer) out.footer = { ...embed.footer, text: footer };
  else delete out.footer;
  if (embed.description !== undefined) {
    const description = take(embed.description, REPLY_LIMITS.description);
    if (description) out.description = description;
    else delete out.description;
  }
  if (embed.fields) {
    const fields: EmbedField[] = [];
    for (const field of embed.fields.slice(0, REPLY_LIMITS.fields)) {
      // A field needs a name and a value; one that cannot have both ends the list.
      if (left < 2) break;
      const name = take(field.name, Math.min(REPLY_LIMITS.fieldName, left - 1));
      const value = take(field.value, REPLY_LIMITS.fieldValue);
      if (!name || !value) break;
      fields.push({ ...field, name, value });
    }
    out.fields = fields;
  }
  return out;
}

/** The reply as Discord will accept it: content, each embed part, the embed count and their total cut to Discord's limits. */
export function fitReply(reply: CommandReply): CommandReply {
  const out: CommandReply = { ...reply };
  if (reply.content !== undefined) out.content = fitText(reply.content, REPLY_LIMITS.content);
  if (reply.embeds) {
    const embeds: ReplyEmbed[] = [];
    let budget: number = REPLY_LIMITS.embedTotal;
    for (const embed of reply.embeds.slice(0, REPLY_LIMITS.embeds)) {
      const fitted = fitEmbed(embed, budget);
      if (!fitted) break;
      embeds.push(fitted);
      budget -= embedLength(fitted);
    }
    out.embeds = embeds;
  }
  return out;
}
