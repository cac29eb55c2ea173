/**
 * RSS 2.0 (and 0.9x) items read straight from the XML reader's events into the objects rss-parser
 * makes of them. rss-parser has xml2js build a tree of the whole document first, an object and an
 * array per element, and then maps each item from it: some three quarters of parsing a plain feed
 * after the XML reader's own scan (issue 16). Here only the elements rss-parser reads are kept, as
 * the values xml2js would give them, and each item is mapped as its element closes.
 *
 * It reads only the plain shape most feeds have, and refuses the rest (throws RssRefused): an
 * element inside one it reads (markup inside a title, a media:group), a second channel, a channel
 * with nothing in it, a description with no text. parse.ts then reads the document with xml2js as
 * before, so a refusal changes nothing but the time. test/quick-xml.test.ts holds what it gives to
 * xml2js and rss-parser read with sax, on every corpus file, whole and in pieces.
 */
import sax from 'sax';
import { DATE_ELEMENTS, NewestItems } from './newest-items.ts';
import { QuickXml, type SaxHandlers } from './quick-xml.ts';
import type { RawItem } from './parse.ts';

export class RssRefused extends Error {
  constructor(why: string) {
    super(`RSS reader refused: ${why}`);
    this.name = 'RssRefused';
  }
}

/** [element, rss-parser's field, keep every one of them] */
type Field = readonly [string, string, boolean];

const one = (names: Array<string | [string, string]>): Field[] => names.map((n) => (typeof n === 'string' ? [n, n, false] : [n[0], n[1], false]));

/** rss-parser 3.13's item fields (lib/fields.js), then parse.ts's custom ones, in its order: a later one overwrites. */
const ITEM_FIELDS: Field[] = [
  ...one([['author', 'creator'], ['dc:creator', 'creator'], ['dc:date', 'date'], ['dc:language', 'language'], ['dc:rights', 'rights'], ['dc:source', 'source'], ['dc:title', 'title']]),
  ...one(['title', 'link', 'pubDate', 'author', 'summary', 'content:encoded', 'enclosure', 'dc:creator', 'dc:date', 'comments']),
  ['media:content', 'mediaContent', true],
  ['media:thumbnail', 'mediaThumbnail', true],
  ['media:group', 'mediaGroup', true],
  ['guid', 'guidElement', true],
  ['source', 'outlet', false],
];

/** rss-parser's itunes fields of an item, for a document that declares the itunes namespace. */
const PODCAST_FIELDS: Field[] = ['author', 'subtitle', 'summary', 'explicit', 'duration', 'image', 'episode', 'image', 'season', 'keywords', 'episodeType'].map((f) => [`itunes:${f}`, f, false]);

/** The channel's fields parse.ts reads, in rss-parser's order (its feed fields, then parse.ts's `subtitle`). */
const CHANNEL_FIELDS: Field[] = one([['dc:title', 'title'], 'title', 'description', 'link', 'subtitle']);

const ITEM_ELEMENTS = new Set([...ITEM_FIELDS, ...PODCAST_FIELDS].map(([from]) => from).concat(['description', 'category', ...DATE_ELEMENTS]));
const CHANNEL_ELEMENTS = new Set(CHANNEL_FIELDS.map(([from]) => from));

/** An element being read: what xml2js gathers for one. */
interface Open {
  name: string;
  attrs: Record<string, string> | undefined;
  text: string;
  cdata: boolean;
}

/** Elements by name, each as xml2js gives it (explicitArray: every one, in order). */
type Children = Record<string, unknown[]>;

/** xml2js's value for an element without elements inside: its text, or `{ _, $ }` with attributes; blank text counts only in CDATA. */
function valueOf(open: Open): unknown {
  const blank = !open.cdata && /^\s*$/.test(open.text);
  if (!open.attrs) return open.text;
  return blank ? { $: open.attrs } : { _: open.text, $: open.attrs };
}

function attrsOf(attributes: Record<string, string>): Record<string, string> | undefined {
  let attrs: Record<string, string> | undefined;
  // Without a prototype, as xml2js makes them: an attribute may be named __proto__.
  for (const key in attributes) if (Object.prototype.hasOwnProperty.call(attributes, key)) (attrs ??= Object.create(null) as Record<string, string>)[key] = attributes[key]!;
  return attrs;
}

/** rss-parser's utils.copyFromXML. */
function copyFields(from: Children, to: RawItem, fields: Field[]): void {
  for (const [name, key, keepArray] of fields) {
    const values = from[name];
    if (values !== undefined) to[key] = keepArray ? values : values[0];
    const value = to[key] as { _?: unknown } | undefined;
    if (value && typeof value._ === 'string') to[key] = value._;
  }
}

/** parse.ts's TolerantParser.parseItemRss over rss-parser's, without the tree. */
function mapItem(children: Children, attrs: Record<string, string> | undefined, itunes: boolean): RawItem {
  const item: RawItem = {};
  copyFields(children, item, ITEM_FIELDS);
  if (children.enclosure) item.enclosure = (children.enclosure[0] as { $?: unknown }).$;
  if (children.description) {
    const first = children.description[0];
    const text = typeof first === 'string' ? first : (first as { _?: unknown })._;
    // rss-parser would rebuild it as markup: left to it.
    if (typeof text !== 'string') throw new RssRefused('a description without text');
    item.content = text;
  }
  if (children.guid) {
    const guid = children.guid[0] as { _?: unknown } | string;
    item.guid = typeof guid === 'object' && guid._ ? guid._ : guid;
  }
  if (attrs?.['rdf:about']) item['rdf:about'] = attrs['rdf:about'];
  if (children.category) item.categories = children.category;
  const date = (item.pubDate || item.date) as string | undefined;
  if (date) {
    try {
      item.isoDate = new Date(date.trim()).toISOString();
    } catch {
      // As rss-parser: a date it cannot read is no isoDate.
    }
  }
  if (itunes) {
    const podcast: RawItem = {};
    copyFields(children, podcast, PODCAST_FIELDS);
    const image = children['itunes:image']?.[0] as { $?: { href?: string } } | undefined;
    if (image && image.$ && image.$.href) podcast.image = image.$.href;
    item.itunes = podcast;
  }
  return item;
}

/** What parse.ts makes of rss-parser's output: the channel's fields and its items. */
export interface RssOutput {
  output: Record<string, unknown>;
  newest?: NewestItems;
}

class RssBuilder implements SaxHandlers {
  private depth = 0;
  /** Items get rss-parser's itunes fields: RSS 2 (not 0.9x) that declares the namespace. */
  private itunes = false;
  private channels = 0;
  private inChannel = false;
  private channelElements = 0;
  private readonly channel: Children = {};
  private item: { children: Children; attrs: Record<string, string> | undefined } | undefined;
  private open: Open | undefined;
  private readonly items: RawItem[] = [];

  constructor(private readonly newest: NewestItems | undefined) {}

  onopentag(tag: { name: string; attributes: Record<string, string> }): void {
    const depth = ++this.depth;
    if (this.open) throw new RssRefused(`<${tag.name}> inside <${this.open.name}>`);
    if (depth === 1) {
      if (tag.name !== 'rss') throw new RssRefused(`root element <${tag.name}>`);
      const version = tag.attributes.version;
      const rss09 = Boolean(version) && !/^2/.test(version!) && /0\.9/.test(version!);
      this.itunes = Boolean(tag.attributes['xmlns:itunes']) && !rss09;
    } else if (depth === 2) {
      if (tag.name !== 'channel') return;
      if (++this.channels > 1) throw new RssRefused('a second channel');
      this.inChannel = true;
    } else if (depth === 3 && this.inChannel) {
      this.channelElements++;
      if (tag.name === 'item') this.item = { children: {}, attrs: attrsOf(tag.attributes) };
      else if (CHANNEL_ELEMENTS.has(tag.name)) this.open = { name: tag.name, attrs: attrsOf(tag.attributes), text: '', cdata: false };
    } else if (depth === 4 && this.item && ITEM_ELEMENTS.has(tag.name)) {
      this.open = { name: tag.name, attrs: attrsOf(tag.attributes), text: '', cdata: false };
    }
  }

  ontext(text: string): void {
    if (this.open) this.open.text += text;
  }

  oncdata(text: string): void {
    if (!this.open) return;
    this.open.text += text;
    this.open.cdata = true;
  }

  onclosetag(): void {
    const depth = this.depth--;
    const open = this.open;
    if (open) {
      const into = depth === 3 ? this.channel : this.item!.children;
      (into[open.name] ??= []).push(valueOf(open));
      this.open = undefined;
    } else if (depth === 3 && this.item) {
      this.addItem(this.item.children, this.item.attrs);
      this.item = undefined;
    } else if (depth === 2 && this.inChannel) {
      this.inChannel = false;
      // xml2js would make a channel of nothing a string or bare attributes: rss-parser's own case.
      if (this.channelElements === 0) throw new RssRefused('an empty channel');
    }
  }

  private addItem(children: Children, attrs: Record<string, string> | undefined): void {
    const item = mapItem(children, attrs, this.itunes);
    if (!this.newest) this.items.push(item);
    else this.newest.add(item, children);
  }

  result(): RssOutput {
    if (this.depth !== 0 || this.channels === 0) throw new RssRefused('no channel');
    const output: Record<string, unknown> = {};
    copyFields(this.channel, output, CHANNEL_FIELDS);
    output.items = this.newest ? this.newest.take() : this.items;
    return { output, ...(this.newest ? { newest: this.newest } : {}) };
  }
}

/**
 * Reads an RSS document's pieces (BOM off, prepared as parse.ts prepares them) with QuickXml
 * (`quick`) or sax as xml2js sets it up, into what rss-parser would give. Throws RssRefused, or
 * the reader's refusal or error: the caller then reads the document as before.
 */
export function readRss(pieces: string[], options: { maxItems?: number; now?: Date }, quick: boolean): RssOutput {
  const builder = new RssBuilder(options.maxItems !== undefined ? new NewestItems(options.maxItems, options.now ?? new Date()) : undefined);
  if (quick) {
    const reader = new QuickXml(builder);
    for (const piece of pieces) reader.write(piece);
    reader.end();
  } else {
    const parser = sax.parser(true, { trim: false, normalize: false, xmlns: false });
    parser.onopentag = (tag) => builder.onopentag(tag as sax.Tag);
    parser.onclosetag = () => builder.onclosetag();
    parser.ontext = (text) => builder.ontext(text);
    parser.oncdata = (text) => builder.oncdata(text);
    parser.onerror = (error) => {
      throw error;
    };
    for (const piece of pieces) parser.write(piece);
    parser.close();
  }
  return builder.result();
}
