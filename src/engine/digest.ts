import { embedTextLength, escapeDiscordText, LIMITS, type Embed, type FormatOptions, type MessageBody } from './format.ts';
import { absoluteHttpUrl } from './links.ts';
import { foldWhitespace, truncateAtWord } from './text.ts';
import type { NewsItem } from './types.ts';

const ALITA_BLUE = 0x4a7fd6;
/** Per-line caps, so one 2,000-character title cannot crowd out every other item. */
const TITLE_MAX = 200;
const SOURCE_MAX = 80;
const FOOTER = 'Oldest first';

/**
 * Characters that could end or confuse a markdown link destination: parentheses close it,
 * whitespace and quotes start a link title, a backslash escapes, angle brackets wrap it.
 * Percent-encoding them leaves the URL pointing at the same resource.
 */
const URL_UNSAFE = /[()\\<>"'`|\s]/gu;
const utf8 = new TextEncoder();

/** Feed text → one line of inert Discord text, at most `max` characters. */
function inert(text: string, max: number): string {
  return truncateAtWord(escapeDiscordText(foldWhitespace(text)), max);
}

/** The item's link, fit for `[text](…)`; undefined unless it is an absolute http(s) URL. */
function linkTarget(link: string | undefined): string | undefined {
  const url = absoluteHttpUrl(link);
  if (!url) return undefined;
  const safe = url.replace(URL_UNSAFE, (c) => Array.from(utf8.encode(c), (b) => `%${b.toString(16).toUpperCase().padStart(2, '0')}`).join(''));
  return safe.length <= LIMITS.url ? safe : undefined;
}

function digestLine(item: NewsItem): string {
  const title = inert(item.title, TITLE_MAX) || 'Untitled item';
  const url = linkTarget(item.link);
  const meta = [inert(item.source || item.feed, SOURCE_MAX), /^\d{4}-\d{2}-\d{2}/.exec(item.published ?? '')?.[0]].filter(Boolean);
  return `• ${url ? `[${title}](${url})` : title}${meta.length ? ` — ${meta.join(' · ')}` : ''}`;
}

function moreLine(count: number): string {
  return `…and ${count} more — see /latest`;
}

const length = (s: string) => Array.from(s).length;

/**
 * Many new items at once (a feed republishing its archive) → ONE message listing them all, one
 * line each in the order given, each a masked link with its source and date. What does not fit
 * Discord's limits is cut at a whole line and counted in a last "…and K more — see /latest".
 * Pure: the same items give the same body.
 */
export function formatDigest(items: NewsItem[], options: FormatOptions & { daily?: boolean } = {}): MessageBody {
  const stories = `${items.length} ${items.length === 1 ? 'story' : 'stories'}`;
  const embed: Embed = {
    // A daily digest (digest mode) is the day's news; otherwise a burst's overflow after its posts.
    title: options.daily ? `Alita sequel news of the day: ${stories}` : `${items.length} more ${items.length === 1 ? 'story' : 'stories'} about the Alita sequel`,
    color: ALITA_BLUE,
    footer: { text: FOOTER },
  };
  const budget = Math.min(LIMITS.description, LIMITS.total - embedTextLength(embed));
  const lines = items.map(digestLine);
  const sizes = lines.map(length);

  let kept = lines.length;
  if (sizes.reduce((n, s) => n + s, 0) + Math.max(0, lines.length - 1) > budget) {
    // The most whole lines that still leave room for the "…and K more" line (K shrinks as lines are kept).
    kept = 0;
    let used = 0;
    for (let m = 1; m < lines.length; m++) {
      used += sizes[m - 1]! + 1;
      if (used > budget) break;
      if (used + length(moreLine(lines.length - m)) <= budget) kept = m;
    }
  }
  const shown = lines.slice(0, kept);
  if (kept < lines.length) shown.push(moreLine(lines.length - kept));
  if (shown.length > 0) embed.description = shown.join('\n');

  const body: MessageBody = { embeds: [embed], allowed_mentions: { parse: [] } };
  if (options.pingRoleId) {
    body.content = `<@&${options.pingRoleId}>`;
    body.allowed_mentions.roles = [options.pingRoleId];
  }
  return body;
}
