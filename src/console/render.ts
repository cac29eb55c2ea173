import type { CommandReply, ReplyEmbed } from '../bot/command.ts';
import { fitReply } from '../bot/reply-limits.ts';
import type { MessageBody } from '../engine/format.ts';

/**
 * An escaped character (`\*`, `\<`) stands for itself: it is set aside as a private-use code
 * point while markup is undone, so that no rule below reads it as markup, then put back.
 */
const ASIDE = 0xe000;
const setAside = (text: string) => text.replace(/\\([\x21-\x7e])/g, (_m, c: string) => String.fromCharCode(ASIDE + c.charCodeAt(0)));
const putBack = (text: string, prefix = '') => text.replace(/[\ue021-\ue07e]/g, (c) => `${prefix}${String.fromCharCode(c.charCodeAt(0) - ASIDE)}`);

/** `<t:1717243200:R>` → "2024-06-01 12:00 UTC": a terminal has no reader's time zone to show. */
function timestamp(seconds: string): string {
  const date = new Date(Number(seconds) * 1000);
  return Number.isNaN(date.getTime()) ? seconds : `${date.toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}

/** Markup outside code spans: links, mentions, timestamps, emphasis, headings. */
function prose(text: string): string {
  return putBack(
    text
      .replace(/\[([^\]]*)\]\(([^)\s]+)\)/g, (_m, label: string, url: string) => `${label} (${url.replace(/%28/g, '(').replace(/%29/g, ')')})`)
      .replace(/<t:(-?\d{1,13})(?::[tTdDfFR])?>/g, (_m, seconds: string) => timestamp(seconds))
      .replace(/<@!?([\w-]+)>/g, '@$1')
      .replace(/<@&(\d+)>/g, '@role:$1')
      .replace(/<#(\d+)>/g, '#$1')
      .replace(/<\/([\w -]+):\d+>/g, '/$1')
      .replace(/<a?(:\w+:)\d+>/g, '$1')
      // An address in angle brackets (Discord shows it without a preview): just the address.
      .replace(/<([^\s<>@#][^\s<>]*)>/g, '$1')
      .replace(/\*\*(.+?)\*\*/g, '$1')
      .replace(/__(.+?)__/g, '$1')
      .replace(/~~(.+?)~~/g, '$1')
      .replace(/\|\|(.+?)\|\|/g, '$1')
      .replace(/(^|\s)([*_])(\S(?:.*?\S)?)\2(?=\s|$)/gm, '$1$3')
      .replace(/^(?:#{1,3}|-#|>>>|>) /gm, ''),
  );
}

/**
 * Discord markup → plain terminal text: escapes undone, links shown with their address, mentions
 * and timestamps as words, emphasis dropped. Code spans are shown as they are: nothing in them is markup.
 */
export function plain(text: string): string {
  return setAside(text)
    .split(/(`[^`\n]*`)/)
    // Inside a code span a backslash is just a backslash.
    .map((part, i) => (i % 2 === 1 ? putBack(part.slice(1, -1), '\\') : prose(part)))
    .join('')
    .replace(/\u200b/g, '');
}

/** Fields Discord shows as plain text (footer, author): no markup to undo, only the zero-width spaces. */
const unbroken = (text: string) => text.replace(/\u200b/g, '');

function indent(text: string, prefix: string): string {
  return text
    .split('\n')
    .map((line) => `${prefix}${line}`)
    .join('\n');
}

export function renderEmbed(embed: ReplyEmbed): string {
  const lines = [`┌─ ${plain(embed.title)}`];
  if (embed.author) lines.push(`│  by ${unbroken(embed.author.name)}`);
  if (embed.description) lines.push(indent(plain(embed.description), '│  '));
  for (const field of embed.fields ?? []) lines.push(`│  ${plain(field.name)}`, indent(plain(field.value), '│    '));
  if (embed.url) lines.push(`│  ${embed.url}`);
  if (embed.image) lines.push(`│  image: ${embed.image.url}`);
  const footer = [embed.footer?.text ? unbroken(embed.footer.text) : undefined, embed.timestamp?.slice(0, 10)].filter(Boolean).join(' · ');
  lines.push(`└─ ${footer}`);
  return lines.join('\n');
}

/** An announcement as a readable card. */
export function renderAnnouncement(channelId: string, body: MessageBody): string {
  const ping = body.content ? `${plain(body.content)} ` : '';
  return [`📣 #${channelId} ${ping}`.trimEnd(), ...body.embeds.map(renderEmbed)].join('\n');
}

/** A reply as the terminal shows it: cut exactly as Discord would get it, so the console shows what members would see. */
export function renderReply(reply: CommandReply): string {
  const fitted = fitReply(reply);
  const parts: string[] = [];
  if (fitted.content) parts.push(plain(fitted.content));
  for (const embed of fitted.embeds ?? []) parts.push(renderEmbed(embed));
  return parts.join('\n');
}
