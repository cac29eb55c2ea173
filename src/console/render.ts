import type { CommandReply, ReplyEmbed } from '../bot/command.ts';
import { fitReply } from '../bot/reply-limits.ts';
import type { MessageBody } from '../engine/format.ts';

/** Discord markdown → plain terminal text: escapes undone, masked links shown with their URL. */
export function plain(text: string): string {
  return text
    .replace(/\[((?:\\.|[^\]\\])*)\]\(([^)\s]+)\)/g, (_m, label: string, url: string) => `${label} <${url.replace(/%28/g, '(').replace(/%29/g, ')')}>`)
    .replace(/\*\*(.+?)\*\*/g, '$1')
    .replace(/(^|\s)\*(\S(?:.*?\S)?)\*(?=\s|$)/gm, '$1$2')
    .replace(/\\(.)/g, '$1')
    .replace(/\u200b/g, '');
}

function indent(text: string, prefix: string): string {
  return text
    .split('\n')
    .map((line) => `${prefix}${line}`)
    .join('\n');
}

export function renderEmbed(embed: ReplyEmbed): string {
  const lines = [`┌─ ${plain(embed.title)}`];
  if (embed.author) lines.push(`│  by ${plain(embed.author.name)}`);
  if (embed.description) lines.push(indent(plain(embed.description), '│  '));
  for (const field of embed.fields ?? []) lines.push(`│  ${plain(field.name)}`, indent(plain(field.value), '│    '));
  if (embed.url) lines.push(`│  ${embed.url}`);
  if (embed.image) lines.push(`│  image: ${embed.image.url}`);
  const footer = [embed.footer?.text ? plain(embed.footer.text) : undefined, embed.timestamp?.slice(0, 10)].filter(Boolean).join(' · ');
  lines.push(`└─ ${footer}`);
  return lines.join('\n');
}

/** An announcement as a readable card. */
export function renderAnnouncement(channelId: string, body: MessageBody): string {
  const ping = body.content ? `${body.content} ` : '';
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
