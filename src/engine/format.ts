import { foldWhitespace, truncateAtWord } from './text.ts';
import type { NewsItem } from './types.ts';

/** The JSON body of `POST /channels/{id}/messages` (Discord's MessageCreateRequest). */
export interface MessageBody {
  content?: string;
  embeds: Embed[];
  allowed_mentions: { parse: Array<'roles' | 'users' | 'everyone'>; roles?: string[]; users?: string[] };
  /** Message components: the "🔔 Notify me" button (notifyButton), added when the message is sent. */
  components?: ActionRow[];
}

export interface ActionRow {
  type: 1;
  components: Array<{ type: 2; style: 2; label: string; custom_id: string }>;
}

/** A button's custom_id: what pressing it does, and for which role. */
export const NOTIFY_PREFIX = 'notify:';

/** The row with one "🔔 Notify me" button: pressing it gives or takes `roleId` (the server's ping role). */
export function notifyButton(roleId: string): ActionRow {
  return { type: 1, components: [{ type: 2, style: 2, label: '🔔 Notify me', custom_id: `${NOTIFY_PREFIX}${roleId}` }] };
}

export interface Embed {
  title: string;
  url?: string;
  description?: string;
  color: number;
  timestamp?: string;
  footer: { text: string };
  author?: { name: string };
  image?: { url: string };
  /** "Also reported by" (withOutlets). */
  fields?: Array<{ name: string; value: string; inline?: boolean }>;
}

/** How many other outlets a story's message names at most. */
export const OUTLETS_SHOWN = 5;
/** Discord's limit on an embed field's value. */
const FIELD_VALUE_MAX = 1024;

/**
 * The announcement's embeds with an "Also reported by" field naming up to OUTLETS_SHOWN other
 * outlets (linked where they have a link), and how many more. Pure: the same outlets give the
 * same embeds, so an edit sent twice changes nothing.
 */
export function withOutlets(embeds: Embed[], outlets: Array<{ source: string; link?: string }>): Embed[] {
  const [first, ...rest] = embeds;
  if (!first || outlets.length === 0) return embeds;
  const names = new Set<string>();
  const distinct = outlets.filter((o) => !names.has(o.source.toLowerCase()) && names.add(o.source.toLowerCase()));
  const parts: string[] = [];
  for (const outlet of distinct.slice(0, OUTLETS_SHOWN)) {
    const label = escapeDiscordText(outlet.source.slice(0, 80)) || 'another outlet';
    const url = outlet.link && outlet.link.length <= 512 ? outlet.link.replace(/\(/g, '%28').replace(/\)/g, '%29').replace(/\s/g, '%20') : undefined;
    const part = url ? `[${label}](${url})` : label;
    if ([...parts, part].join(' · ').length > FIELD_VALUE_MAX - 20) break;
    parts.push(part);
  }
  const more = distinct.length - parts.length;
  const value = `${parts.join(' · ')}${more > 0 ? ` and ${more} more` : ''}`;
  const total = embedTextLength(first) + 'Also reported by'.length + value.length;
  if (total > LIMITS.total) return embeds;
  return [{ ...first, fields: [{ name: 'Also reported by', value }] }, ...rest];
}

export interface FormatOptions {
  /** Role to ping with the announcement; only this role may be mentioned. */
  pingRoleId?: string;
}

// Discord's limits (https://discord.com/developers/docs/resources/message#embed-object-embed-limits).
export const LIMITS = { title: 256, description: 4096, footer: 2048, author: 256, total: 6000, url: 2048 } as const;
const EXCERPT = 350;
const ALITA_BLUE = 0x4a7fd6;

/**
 * The instants an embed timestamp may hold. Discord's schema wants an RFC 3339 date-time, whose
 * year has exactly four digits (so `-001000-…` and `+010000-…` are refused with a 400), and no
 * news is older than the Unix epoch: a date outside this range is a feed's error, not a date.
 */
const FIRST_TIMESTAMP = Date.UTC(1970, 0, 1);
const LAST_TIMESTAMP = Date.UTC(9999, 11, 31, 23, 59, 59, 999);

/** True for a time (ms since the epoch) Discord accepts as an embed timestamp. */
export function isDiscordTime(time: number): boolean {
  return time >= FIRST_TIMESTAMP && time <= LAST_TIMESTAMP;
}

/**
 * Makes feed text inert in Discord: markdown is escaped, masked links cannot form, and
 * @everyone / @here / <@…> mentions are broken with a zero-width space so they neither ping
 * (allowed_mentions already forbids that) nor render as a mention.
 */
export function escapeDiscordText(text: string): string {
  return text
    .replace(/[\\*_~`|<>[\]()]/g, '\\$&')
    .replace(/^([#>\-+]|\d+\.)/gm, '\\$1')
    .replace(/@(everyone|here)/gi, '@\u200b$1')
    .replace(/\\<(@[!&]?|#|\/)/g, '\\<\u200b$1');
}

/**
 * Feed text for the fields Discord shows as plain text (embed footer, author name): markdown is
 * not rendered there, so escaping it would show the backslashes ("Film Wire \(sample\)").
 * What is left is one line, and mention syntax broken with a zero-width space as in
 * escapeDiscordText: allowed_mentions already stops any ping, this keeps it from even looking like one.
 */
export function plainDiscordText(text: string): string {
  return foldWhitespace(text)
    .replace(/@(everyone|here)/gi, '@\u200b$1')
    .replace(/<(@[!&]?|#|\/)/g, '<\u200b$1');
}

function fit(text: string, max: number): string {
  return truncateAtWord(escapeDiscordText(text), max);
}

function fitPlain(text: string, max: number): string {
  return truncateAtWord(plainDiscordText(text), max);
}

function sourceLine(item: NewsItem): string {
  return item.source || item.feed;
}

/** Text Discord counts towards the 6000-character total of a message's embeds. */
export function embedTextLength(embed: Pick<Embed, 'title' | 'description' | 'footer' | 'author'>): number {
  return [embed.title, embed.description, embed.footer?.text, embed.author?.name].reduce((n, s) => n + (s ? Array.from(s).length : 0), 0);
}

/** One on-topic item → the exact body we send to Discord. Pure: same item, same body. */
export function formatAnnouncement(item: NewsItem, options: FormatOptions = {}): MessageBody {
  const embed: Embed = {
    title: fit(item.title || 'Untitled item', LIMITS.title),
    color: ALITA_BLUE,
    footer: { text: fitPlain(sourceLine(item), LIMITS.footer) },
  };
  if (item.link && item.link.length <= LIMITS.url) embed.url = item.link;
  const excerpt = item.summary || item.fullText || '';
  if (excerpt) embed.description = fit(excerpt, EXCERPT);
  // Normalisation already drops such dates; items stored before it did may still carry one.
  if (item.published && isDiscordTime(Date.parse(item.published))) embed.timestamp = item.published;
  if (item.author) embed.author = { name: fitPlain(item.author, LIMITS.author) };
  if (item.image && item.image.length <= LIMITS.url) embed.image = { url: item.image };
  // The parts above are capped well below 6000 together, but keep the rule explicit.
  const overflow = embedTextLength(embed) - LIMITS.total;
  if (overflow > 0 && embed.description) embed.description = truncateAtWord(embed.description, Math.max(1, Array.from(embed.description).length - overflow));

  const body: MessageBody = { embeds: [embed], allowed_mentions: { parse: [] } };
  if (options.pingRoleId) {
    body.content = `<@&${options.pingRoleId}>`;
    body.allowed_mentions.roles = [options.pingRoleId];
  }
  return body;
}
