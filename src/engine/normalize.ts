import { isDiscordTime } from './format.ts';
import { absoluteHttpUrl } from './links.ts';
import { itemIdentity } from './identity.ts';
import { UNREADABLE, type ParsedFeed, type RawItem } from './parse.ts';
import { asText, blank, foldWhitespace, htmlToText, truncateAtWord, wordsForProbe } from './text.ts';
import type { NewsItem } from './types.ts';

export interface NormalizeContext {
  /** The feed as configured (URL or path); becomes `NewsItem.feed`. */
  feed: string;
  /** Where the document really came from (after redirects), for relative links. */
  documentUrl?: string;
  now: Date;
}

const DAY_MS = 24 * 60 * 60 * 1000;
const SUMMARY_FALLBACK = 1000;
const IMAGE_EXTENSION = /\.(jpe?g|png|gif|webp|avif)(\?|#|$)/i;

/**
 * A date only when it parses, is not more than a day ahead of now, and is one Discord accepts as
 * an embed timestamp (1970–9999). Anything else is no date at all, so the embed, the ordering,
 * the 48-hour story rule and the archive's sort key all fall back to when the item was first seen
 * instead of sending Discord a date it refuses (`-001000-01-01T…`) or sorting by it.
 */
export function normalizeDate(value: unknown, now: Date): string | undefined {
  const text = asText(value).trim();
  if (!text) return undefined;
  const time = new Date(text).getTime();
  if (Number.isNaN(time) || time > now.getTime() + DAY_MS || !isDiscordTime(time)) return undefined;
  return new Date(time).toISOString();
}

function attr(node: unknown, name: string): string | undefined {
  if (!node || typeof node !== 'object') return undefined;
  const attrs = (node as { $?: Record<string, unknown> }).$ ?? (node as Record<string, unknown>);
  const value = attrs[name];
  return typeof value === 'string' ? value : undefined;
}

function mediaNodes(raw: RawItem): unknown[] {
  const nodes: unknown[] = [];
  for (const key of ['mediaContent', 'mediaThumbnail'] as const) {
    // A loop, not push(...list): an item may carry more media elements than a call takes arguments.
    if (Array.isArray(raw[key])) for (const node of raw[key] as unknown[]) nodes.push(node);
  }
  for (const group of Array.isArray(raw.mediaGroup) ? (raw.mediaGroup as Array<Record<string, unknown>>) : []) {
    for (const key of ['media:content', 'media:thumbnail']) {
      if (group && Array.isArray(group[key])) for (const node of group[key] as unknown[]) nodes.push(node);
    }
  }
  return nodes;
}

function findImage(raw: RawItem, base: string | undefined): string | undefined {
  const enclosure = raw.enclosure;
  const encType = attr(enclosure, 'type');
  const encUrl = attr(enclosure, 'url');
  if (encUrl && (encType?.startsWith('image/') || (!encType && IMAGE_EXTENSION.test(encUrl)))) {
    const url = absoluteHttpUrl(encUrl, base);
    if (url) return url;
  }
  // Feeds often list a thumbnail and full sizes; the widest image reads best in an embed.
  let best: { url: string; width: number } | undefined;
  for (const node of mediaNodes(raw)) {
    const url = attr(node, 'url');
    const medium = attr(node, 'medium');
    const type = attr(node, 'type');
    const isImage = medium === 'image' || type?.startsWith('image/') || (!medium && !type) || IMAGE_EXTENSION.test(url ?? '');
    const absolute = isImage ? absoluteHttpUrl(url, base) : undefined;
    const width = Number(attr(node, 'width')) || 0;
    if (absolute && (!best || width > best.width)) best = { url: absolute, width };
  }
  if (best) return best.url;
  const itunes = raw.itunes as { image?: unknown } | undefined;
  return absoluteHttpUrl(typeof itunes?.image === 'string' ? itunes.image : undefined, base);
}

function pickBase(ctx: NormalizeContext, feedLink: string | undefined): string | undefined {
  return absoluteHttpUrl(ctx.documentUrl) ?? absoluteHttpUrl(feedLink);
}

function sourceName(parsed: ParsedFeed, ctx: NormalizeContext): string {
  const title = htmlToText(asText(parsed.title));
  if (title) return title;
  const url = absoluteHttpUrl(ctx.documentUrl) ?? absoluteHttpUrl(ctx.feed);
  if (url) return new URL(url).hostname;
  return ctx.feed.split(/[\\/]/).pop() || ctx.feed;
}

/** The guid and the link, as every item's identity needs them. */
function guidAndLink(raw: RawItem, atom: boolean, base: string | undefined): { guid?: string; link?: string } {
  const guid = foldWhitespace(asText(atom ? raw.id : raw.guid) || asText(raw.guid) || asText(raw.id) || asText(raw['rdf:about'])) || undefined;
  // An RSS guid is a permalink unless it says otherwise; use it when there is no <link>.
  const guidElement = Array.isArray(raw.guidElement) ? raw.guidElement[0] : raw.guid;
  const guidIsLink = !atom && attr(guidElement, 'isPermaLink')?.trim().toLowerCase() !== 'false';
  const link = absoluteHttpUrl(foldWhitespace(asText(raw.link)), base) ?? (guidIsLink ? absoluteHttpUrl(guid, base) : undefined);
  // Set one by one: spreading optional parts (`...(guid ? { guid } : {})`) made and copied an
  // object each, a microsecond an item here and in the lean items below, every item of every poll.
  const found: { guid?: string; link?: string } = {};
  if (guid) found.guid = guid;
  if (link) found.link = link;
  return found;
}

/** The markup the item's summary and full text are made from. */
function textSources(raw: RawItem, atom: boolean): { summaryHtml: string; fullHtml: string } {
  return { summaryHtml: atom ? asText(raw.summary) : asText(raw.content), fullHtml: atom ? asText(raw.content) : asText(raw['content:encoded']) };
}

function normalizeItem(raw: RawItem, parsed: ParsedFeed, ctx: NormalizeContext, base: string | undefined, source: string, aggregator: boolean): NewsItem {
  const atom = parsed.format === 'atom';
  const { guid, link } = guidAndLink(raw, atom, base);
  const { summaryHtml, fullHtml } = textSources(raw, atom);
  const itunes = (raw.itunes ?? {}) as Record<string, unknown>;
  // Paragraphs kept: who said a quotation depends on them (the verdict reads the words only).
  const fullText = fullHtml ? htmlToText(fullHtml, { paragraphs: true }) : '';
  // Without a description, the start of the full text stands in; the whole article stays in fullText.
  const described = htmlToText(summaryHtml) || htmlToText(asText(itunes.summary) || asText(itunes.subtitle)) || truncateAtWord(foldWhitespace(fullText), SUMMARY_FALLBACK);
  const outlet = htmlToText(asText(raw.outlet));
  const headline = htmlToText(asText(raw.title));
  const title = withoutOutlet(headline, outlet, ' - ');
  const summary = withoutOutlet(described, outlet, ' ');
  // An aggregator's item (Google News, or any whose title carries its outlet) is the outlet's
  // story; elsewhere <source> only says where a feed once found the item, and the feed stays its source.
  const byOutlet = outlet !== '' && (aggregator || title !== headline);
  const author = htmlToText(asText(raw.creator) || asText(raw.author) || asText(itunes.author));
  const item: NewsItem = {
    id: '',
    feed: ctx.feed,
    source: byOutlet ? outlet : source,
    title,
    summary,
  };
  if (link) item.link = link;
  if (fullText) item.fullText = fullText;
  const published = normalizeDate(raw.isoDate ?? raw.pubDate ?? raw.date, ctx.now) ?? normalizeDate(raw.pubDate, ctx.now);
  if (published) item.published = published;
  if (author) item.author = author;
  const image = findImage(raw, base);
  if (image) item.image = image;
  if (guid) item.guid = guid;
  item.id = itemIdentity(item);
  return item;
}

/**
 * The item as far as the bot keeps an item off topic (its seen mark): what makes its id, with an
 * empty summary. Given only when its verdict is sure from the markup alone (the probe on the words
 * of the texts normalizeItem judges) and its id needs no text: it has a guid and a date, and no
 * outlet to cut from its title (Google News), which could join words.
 */
function leanItem(raw: RawItem, parsed: ParsedFeed, ctx: NormalizeContext, base: string | undefined, source: string, mayBeOnTopic: (words: string[]) => boolean): NewsItem | 'named' | undefined {
  if (asText(raw.outlet) !== '') return undefined;
  const atom = parsed.format === 'atom';
  const { summaryHtml, fullHtml } = textSources(raw, atom);
  const headline = asText(raw.title);
  const title = wordsForProbe(headline);
  if (title === undefined) return undefined;
  // Most items that name Alita name it in their title: then the article is not read twice (here
  // and normalised), only normalised. Judged whole either way, the verdict is the same.
  if (mayBeOnTopic([title])) return 'named';
  const words = [title];
  for (const html of [summaryHtml, fullHtml]) {
    const text = wordsForProbe(html);
    if (text === undefined) return undefined;
    words.push(text);
  }
  // Without a description the summary is cut from the full text, and the cut could join words.
  if (blank(words[1]!)) return undefined;
  if (mayBeOnTopic(words)) return 'named';
  const { guid, link } = guidAndLink(raw, atom, base);
  const published = normalizeDate(raw.isoDate ?? raw.pubDate ?? raw.date, ctx.now) ?? normalizeDate(raw.pubDate, ctx.now);
  if (!guid || !published) return undefined;
  const item = leanItemOf('', ctx.feed, source, htmlToText(headline), link, published, guid);
  item.id = itemIdentity(item);
  return item;
}

/**
 * A normalised item cut to what the bot keeps of an item off topic, as leanItem makes it;
 * undefined when its id may need its text (no guid or no date).
 */
export function leanOf(item: NewsItem): NewsItem | undefined {
  if (!item.guid || !item.published) return undefined;
  return leanItemOf(item.id, item.feed, item.source, item.title, item.link, item.published, item.guid);
}

/** A lean item's fields, in the order a whole item has them (the archive's JSON keeps that order). */
function leanItemOf(id: string, feed: string, source: string, title: string, link: string | undefined, published: string, guid: string): NewsItem {
  const item: NewsItem = { id, feed, source, title, summary: '' };
  if (link) item.link = link;
  item.published = published;
  item.guid = guid;
  return item;
}

/**
 * Google News ends each title with " - Outlet" and each description with the outlet's name: cut
 * only when it is exactly the item's <source>, so a title that itself holds " - " keeps its text.
 */
function withoutOutlet(text: string, outlet: string, separator: string): string {
  const tail = `${separator}${outlet}`;
  return outlet && text.length > tail.length && text.endsWith(tail) ? text.slice(0, -tail.length).trimEnd() : text;
}

/** rss-parser output → NewsItems, in document order. */
export function normalizeFeed(parsed: ParsedFeed, ctx: NormalizeContext): NewsItem[] {
  return [...normalizedItems(parsed, ctx)];
}

/**
 * normalizeFeed one item at a time, so a caller that only needs part of each item (analyze.ts
 * drops the full text once judged) never holds a big feed's articles all at once.
 */
export function* normalizedItems(parsed: ParsedFeed, ctx: NormalizeContext): Generator<NewsItem> {
  const normalize = itemNormalizer(parsed, ctx);
  for (const raw of parsed.items) {
    if (raw !== null && typeof raw === 'object' && !(UNREADABLE in raw)) yield normalize(raw);
  }
}

/**
 * One item → NewsItem, the feed-wide parts (base URL, source name) worked out once: for a caller
 * that must catch a failure item by item (analyze.ts skips that item and keeps the rest).
 */
export function itemNormalizer(parsed: ParsedFeed, ctx: NormalizeContext): ItemNormalizer {
  const base = pickBase(ctx, parsed.link);
  const source = sourceName(parsed, ctx);
  const aggregator = [ctx.documentUrl, ctx.feed].some((url) => /^https?:\/\/news\.google\.com\//i.test(absoluteHttpUrl(url) ?? ''));
  const normalize = ((raw: RawItem) => normalizeItem(raw, parsed, ctx, base, source, aggregator)) as ItemNormalizer;
  normalize.lean = (raw, mayBeOnTopic) => leanItem(raw, parsed, ctx, base, source, mayBeOnTopic);
  return normalize;
}

export interface ItemNormalizer {
  (raw: RawItem): NewsItem;
  /**
   * The lean item (see leanItem) when `mayBeOnTopic`, given the words of its title, summary and
   * full text (text.ts's wordsForProbe), says no; 'named' when it says yes; undefined when the
   * item must be normalised whole for other reasons (its markup, its id).
   */
  lean(raw: RawItem, mayBeOnTopic: (fields: string[]) => boolean): NewsItem | 'named' | undefined;
}
