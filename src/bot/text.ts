import { escapeDiscordText } from '../engine/format.ts';

/** Lower-case, accent-free form for matching what people type ("rodríguez" = "Rodriguez"). */
export function fold(text: string): string {
  return text.normalize('NFKD').replace(/\p{M}+/gu, '').toLowerCase().trim();
}

/** A masked link whose text and URL cannot break out of the markdown around them. */
export function maskedLink(text: string, url: string | undefined): string {
  const label = escapeDiscordText(text);
  if (!url) return label;
  return `[${label}](${url.replace(/\(/g, '%28').replace(/\)/g, '%29').replace(/\s/g, '%20')})`;
}

/**
 * A URL in angle brackets: clickable, no preview embed, and nothing in it can close the brackets.
 * Cut at 400 characters: a percent-encoded address can be many times what was typed.
 */
export function showUrl(url: string): string {
  const safe = Array.from(url.replace(/[<>\s]/g, (c) => encodeURIComponent(c)));
  return `<${safe.length > 400 ? `${safe.slice(0, 399).join('')}…` : safe.join('')}>`;
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** "4 Oct 2023", "Jun 2023" or "2023": as precise as the date given (ISO or YYYY[-MM[-DD]]). */
export function humanDate(value: string | undefined): string {
  if (!value) return 'undated';
  const m = /^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?/.exec(value);
  if (!m) return value;
  const [, year, month, day] = m;
  if (!month) return year!;
  const name = MONTHS[Number(month) - 1] ?? month;
  return day ? `${Number(day)} ${name} ${year}` : `${name} ${year}`;
}

/** "3 d 4 h", "5 min": a duration as people read it. */
export function humanDuration(ms: number): string {
  const minutes = Math.floor(ms / 60_000);
  if (minutes < 1) return `${Math.max(0, Math.floor(ms / 1000))} s`;
  const days = Math.floor(minutes / 1440);
  const hours = Math.floor((minutes % 1440) / 60);
  if (days > 0) return `${days} d ${hours} h`;
  if (hours > 0) return `${hours} h ${minutes % 60} min`;
  return `${minutes} min`;
}

/** Inline code: a URL or a server's error line can neither format, mask a link nor ping. */
export function codeSpan(text: string): string {
  return `\`${text.replace(/`/g, 'ˋ')}\``;
}
