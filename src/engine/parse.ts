import Parser from 'rss-parser';
import { describeError, FeedError, MalformedFeedError, NotAFeedError } from './errors.ts';
import { NewestItems, type Xml2jsParser } from './newest-items.ts';
import { QuickXml, QuickXmlRefused, type SaxHandlers } from './quick-xml.ts';
import { readRss, type RssOutput } from './rss-reader.ts';
import { asText } from './text.ts';
import { needsNoPreparing, prepareXml } from './xml-prepare.ts';

export type RawItem = Record<string, unknown>;

export interface ParsedFeed {
  format: 'rss' | 'atom';
  title?: string;
  link?: string;
  /** The channel's description (RSS) or subtitle (Atom): part of what says a feed is about Alita. */
  description?: string;
  items: RawItem[];
  /** How many items the document held, when that was more than `maxItems`. */
  total?: number;
}

export interface ParseOptions {
  /** Keep only the newest this many items (by date, else the first in the document). */
  maxItems?: number;
  /** What "a date too far ahead" is measured from when ranking items. */
  now?: Date;
  /** 'sax' reads every document with sax, never QuickXml: the reference the tests hold QuickXml to. */
  reader?: 'sax';
}

/**
 * Marks an item rss-parser could not build (its reason as the value), with the title and link it
 * had: the item is skipped and reported, the rest of the feed goes on.
 */
export const UNREADABLE = Symbol('unreadable item');

function unreadable(xmlItem: RawItem, error: unknown): RawItem {
  const links = Array.isArray(xmlItem.link) ? (xmlItem.link as unknown[]) : [];
  const href = links.map((link) => (link as { $?: { href?: unknown } } | null)?.$?.href).find((h) => typeof h === 'string');
  return { [UNREADABLE]: describeError(error), title: asText(xmlItem.title), link: typeof href === 'string' ? href : asText(xmlItem.link) };
}

const CUSTOM_ITEM_FIELDS: Array<[string, string, { keepArray: boolean }]> = [
  ['media:content', 'mediaContent', { keepArray: true }],
  ['media:thumbnail', 'mediaThumbnail', { keepArray: true }],
  ['media:group', 'mediaGroup', { keepArray: true }],
  // rss-parser flattens <guid> to its text; keep the element to read isPermaLink.
  ['guid', 'guidElement', { keepArray: true }],
  // Google News names each item's outlet in <source url="…">Outlet</source>.
  ['source', 'outlet', { keepArray: false }],
];

type AtomEntry = Record<string, unknown>;
interface SaxWriter {
  write(chunk: string | null): SaxWriter;
}

function isBadDate(node: unknown): boolean {
  const first = Array.isArray(node) ? node[0] : undefined;
  return typeof first !== 'string' || Number.isNaN(new Date(first).getTime());
}

/**
 * rss-parser calls `new Date(published).toISOString()` on Atom entries, which throws on an
 * invalid date and fails the whole feed; drop such dates so only that item loses its date.
 */
class TolerantParser extends Parser<Record<string, unknown>, RawItem> {
  parseItemAtom(entry: AtomEntry): RawItem {
    const safe: AtomEntry = { ...entry };
    for (const key of ['published', 'updated']) {
      if (key in safe && isBadDate(safe[key])) delete safe[key];
    }
    try {
      return (Parser.prototype as unknown as { parseItemAtom(e: AtomEntry): RawItem }).parseItemAtom.call(this, safe);
    } catch (error) {
      return unreadable(entry, error);
    }
  }

  // One item rss-parser chokes on (its HTML content nested too deep to rebuild) fails that item only.
  parseItemRss(xmlItem: RawItem, itemFields: unknown): RawItem {
    // A plain-text description is the content as it is: rss-parser would also make it a snippet.
    const description = Array.isArray(xmlItem.description) ? textOf(xmlItem.description[0]) : undefined;
    try {
      const item = (Parser.prototype as unknown as { parseItemRss(i: RawItem, f: unknown): RawItem }).parseItemRss.call(
        this,
        description === undefined ? xmlItem : { ...xmlItem, description: undefined },
        withoutSnippets(itemFields),
      );
      if (description !== undefined) item.content = description;
      return item;
    } catch (error) {
      return unreadable(xmlItem, error);
    }
  }

  // rss-parser's builders index `channel[0]` blindly; a channel-less document is an empty feed.
  buildRSS2(xmlObj: { rss?: unknown }): unknown {
    return hasChannel(xmlObj.rss) ? callSuper(this, 'buildRSS2', xmlObj) : { items: [] };
  }

  buildRSS0_9(xmlObj: { rss?: unknown }): unknown {
    return hasChannel(xmlObj.rss) ? callSuper(this, 'buildRSS0_9', xmlObj) : { items: [] };
  }

  /**
   * parseString for a document in pieces: rss-parser's own xml2js parser, whose sax parser is
   * handed the rest of the pieces after the first (sax is a streaming parser), so nothing joins
   * them into one string. Its errors and results are parseString's.
   *
   * With `quick`, QuickXml reads the pieces instead of sax and makes sax's calls to xml2js. When
   * it refuses the document, `quick.refused` says so (xml2js may have given a result already,
   * or swallowed the error after the root closed): the caller reads it again, with sax.
   */
  parsePieces(pieces: string[], quick?: { refused?: QuickXmlRefused }): Promise<unknown> {
    const sax = (this as unknown as { xmlParser: { saxParser: SaxWriter & SaxHandlers } }).xmlParser.saxParser;
    // xml2js ends with sax's close(), which is write(null): the end of the document, not a piece.
    if (quick) {
      sax.write = (first: string | null) => {
        if (first === null) return sax;
        try {
          const reader = new QuickXml(sax);
          reader.write(first);
          for (let i = 1; i < pieces.length; i++) reader.write(pieces[i]!);
          reader.end();
        } catch (error) {
          if (error instanceof QuickXmlRefused) quick.refused = error;
          throw error;
        }
        return sax;
      };
    } else if (pieces.length > 1) {
      const write = sax.write.bind(sax);
      sax.write = (first: string | null) => {
        if (first === null) return write(null);
        write(first);
        for (const piece of pieces.slice(1)) write(piece);
        return sax;
      };
    }
    return this.parseString(pieces[0]!);
  }

  buildRSS1(xmlObj: Record<string, unknown>): unknown {
    const rdf = (xmlObj['rdf:RDF'] ?? {}) as Record<string, unknown>;
    const channel = Array.isArray(rdf.channel) && rdf.channel[0] && typeof rdf.channel[0] === 'object' ? rdf.channel[0] : {};
    const items = Array.isArray(rdf.item) ? rdf.item : [];
    return (this as unknown as { buildRSS(c: unknown, i: unknown[]): unknown }).buildRSS(channel, items);
  }
}

/** An xml2js text node's text (rss-parser's getContent for text): undefined for an element with children. */
function textOf(node: unknown): string | undefined {
  if (typeof node === 'string') return node;
  const text = node && typeof node === 'object' ? (node as { _?: unknown })._ : undefined;
  return typeof text === 'string' ? text : undefined;
}

/**
 * rss-parser's item fields without `includeSnippet`: it strips the HTML of every item's article
 * (content:encoded) into a "snippet" by regex, a few per cent of all parsing, which nothing reads.
 */
function withoutSnippets(itemFields: unknown): unknown {
  if (!Array.isArray(itemFields)) return itemFields;
  return itemFields.map((field: unknown) => {
    if (!Array.isArray(field) || field.length < 3 || !(field[2] as { includeSnippet?: boolean } | undefined)?.includeSnippet) return field;
    const { includeSnippet: _, ...options } = field[2] as Record<string, unknown>;
    return [field[0], field[1], options];
  });
}

function hasChannel(rss: unknown): boolean {
  if (!rss || typeof rss !== 'object') return false;
  const channel = (rss as { channel?: unknown }).channel;
  return Array.isArray(channel) && typeof channel[0] === 'object' && channel[0] !== null;
}

function callSuper(self: unknown, method: string, arg: unknown): unknown {
  const proto = Parser.prototype as unknown as Record<string, (a: unknown) => unknown>;
  return proto[method]!.call(self, arg);
}

/**
 * The first element's name, past processing instructions, comments and a DOCTYPE. A scan from
 * the start rather than a copy of the document without them: feeds run to megabytes.
 */
function rootName(xml: string, partial = false): string | undefined {
  const name = /<([A-Za-z_][\w.:-]*)/y;
  for (let at = xml.indexOf('<'); at >= 0; at = xml.indexOf('<', at + 1)) {
    const skipTo = xml.startsWith('<?', at) ? '?>' : xml.startsWith('<!--', at) ? '-->' : /^<!DOCTYPE/i.test(xml.slice(at, at + 9)) ? '>' : undefined;
    const end = skipTo ? xml.indexOf(skipTo, at + 2) : -1;
    if (skipTo && end < 0 && partial) return undefined;
    if (end >= 0) {
      at = end;
      continue;
    }
    name.lastIndex = at;
    const match = name.exec(xml);
    // In the head of a document, a name running to its end may go on in the next piece.
    if (match) return partial && name.lastIndex >= xml.length ? undefined : match[1];
  }
  return undefined;
}

function sniffNonXml(text: string): string | undefined {
  const head = text.trimStart().slice(0, 512);
  if (head === '') return 'empty document';
  if (head.startsWith('{') || head.startsWith('[')) return 'looks like JSON';
  if (/^(<!--[\s\S]*?-->\s*)*<!DOCTYPE\s+html|^(<\?xml[^>]*>\s*)?(<!--[\s\S]*?-->\s*)*<html[\s>]/i.test(head)) return 'an HTML page';
  if (!head.startsWith('<')) return 'no XML markup';
  return undefined;
}

/** The start of the text, long enough to sniff and to hold the prolog of any sane document. */
function headOf(pieces: string[]): string {
  let head = '';
  for (const piece of pieces) {
    head += piece;
    if (head.trimStart().length >= 4096) break;
  }
  return head;
}

/**
 * The pieces as they are when a strict parser can take them one by one: the root element (so
 * the whole prolog) in the head, nothing for prepareXml to do in any piece. Otherwise (rare)
 * the whole text, prepared.
 */
export function preparePieces(pieces: string[], head = headOf(pieces)): string[] {
  if (pieces.length > 1 && rootName(head, true) !== undefined && pieces.every(needsNoPreparing)) return pieces;
  return [prepareXml(pieces.join(''))];
}

/**
 * The longest document QuickXml reads for xml2js (in characters); a longer one is read by sax.
 * Measured on the long-items benchmark: QuickXml on its five 4 MB feeds raised the bot's peak RSS
 * from about 182 to 193 MiB (the parse worker's heap grew about 5 MiB more while it read them at
 * twice the pace, xml2js's tree of each whole), close to the 200 MiB target; with them left to
 * sax, about 186 MiB. The RSS reader has no tree and reads any size with QuickXml: with it, the
 * peak was 170-190 MiB (eight runs), against 172-179 MiB with sax, for some 0.4 s less of the
 * worker's time on those five feeds.
 */
const QUICK_MAX_CHARS = 1024 * 1024;

/**
 * One reading of the document by rss-parser, with a fresh parser: a shared one carries state
 * from a failed parse into the next. Undefined when QuickXml (`quick`) refused the document.
 */
async function readDocument(pieces: string[], options: ParseOptions, quick: boolean): Promise<{ output: Record<string, unknown>; newest?: NewestItems } | undefined> {
  const newest = options.maxItems !== undefined ? new NewestItems(options.maxItems, options.now ?? new Date()) : undefined;
  const parser = new TolerantParser({ defaultRSS: 2, customFields: { item: CUSTOM_ITEM_FIELDS as never, feed: ['subtitle'] as never } });
  newest?.attach((parser as unknown as { xmlParser: Xml2jsParser }).xmlParser);
  const attempt: { refused?: QuickXmlRefused } = {};
  try {
    const output = (await parser.parsePieces(pieces, quick ? attempt : undefined)) as unknown as Record<string, unknown>;
    return attempt.refused ? undefined : { output, ...(newest ? { newest } : {}) };
  } catch (error) {
    if (attempt.refused) return undefined;
    throw error;
  }
}

/**
 * An RSS document read by rss-reader.ts, without xml2js's tree: with QuickXml, or with sax where
 * QuickXml refuses it (`quickRefused`, so xml2js need not ask QuickXml again). Undefined `read`
 * when the reader refused the document or the document is malformed: xml2js and rss-parser then
 * read it as ever, and their result, or their error, is the feed's.
 */
function readDirect(pieces: string[], options: ParseOptions): { read?: RssOutput; quickRefused?: boolean } {
  // xml2js takes the BOM off the document; sax would call it text outside the root.
  const read = (quick: boolean) => readRss([pieces[0]!.replace(/^\uFEFF/, ''), ...pieces.slice(1)], options, quick);
  try {
    return { read: read(true) };
  } catch (error) {
    if (!(error instanceof QuickXmlRefused)) return {};
  }
  try {
    return { read: read(false) };
  } catch {
    return { quickRefused: true };
  }
}

/**
 * Parses one feed document, given whole or in pieces (charset.ts's documentPieces). Throws
 * NotAFeedError or MalformedFeedError, never anything else.
 */
export async function parseFeed(document: string | string[], options: ParseOptions = {}): Promise<ParsedFeed> {
  const pieces = typeof document === 'string' ? [document] : document;
  const head = headOf(pieces);
  const nonXml = sniffNonXml(head);
  if (nonXml) throw new NotAFeedError(nonXml);
  const prepared = preparePieces(pieces, head);
  const root = rootName(prepared.length > 1 ? head : prepared[0]!);
  if (!root) throw new NotAFeedError('no root element');
  const local = root.toLowerCase();
  if (local === 'html') throw new NotAFeedError('an HTML page');
  if (!['rss', 'feed', 'rdf:rdf'].includes(local)) throw new NotAFeedError(`root element <${root}>`);
  let output: Record<string, unknown>;
  let newest: NewestItems | undefined;
  try {
    // Quickly where QuickXml reads the document; otherwise (or when it refuses) with sax.
    const quick = options.reader !== 'sax' && prepared.reduce((n, piece) => n + piece.length, 0) <= QUICK_MAX_CHARS;
    const direct = root === 'rss' && options.reader !== 'sax' ? readDirect(prepared, options) : undefined;
    const read = direct?.read ?? (quick && !direct?.quickRefused ? await readDocument(prepared, options, true) : undefined) ?? (await readDocument(prepared, options, false))!;
    ({ output, newest } = read);
  } catch (error) {
    if (error instanceof FeedError) throw error;
    const detail = error instanceof Error ? error.message.split('\n')[0] ?? '' : String(error);
    if (/not recognized as RSS/i.test(detail)) throw new NotAFeedError(`root element <${root}>`);
    throw new MalformedFeedError(detail.replace(/\s+/g, ' ').trim() || 'unreadable', { cause: error });
  }
  const items = Array.isArray(output.items) ? (output.items as RawItem[]) : [];
  return {
    format: local === 'feed' ? 'atom' : 'rss',
    title: typeof output.title === 'string' ? output.title : undefined,
    link: typeof output.link === 'string' ? output.link : undefined,
    description: asText(output.description ?? output.subtitle) || undefined,
    items,
    // Always present, so every feed's result has one shape: the code that reads it is optimised
    // once, not again at the first feed cut short.
    total: newest && newest.total > items.length ? newest.total : undefined,
  };
}
