/**
 * A feed's newest items, chosen while xml2js builds the document: each item is weighed as its
 * element closes, and one that falls out of the newest `max` is dropped before the next is read.
 * A legal feed of 110,000 tiny items thus never exists as 110,000 objects, in the parser or after.
 */
import { asText } from './text.ts';

/** The parts of rss-parser's xml2js parser this hooks into (xml2js 0.5, as rss-parser 3.13 uses). */
export interface Xml2jsParser {
  saxParser: { onopentag(tag: { name: string }): void; onclosetag(name: string): void };
  /** Called as each element closes, to add it to its parent; an instance property, so replaceable. */
  assignOrPush(parent: Record<string, unknown>, key: string, value: unknown): void;
}

const DAY_MS = 24 * 60 * 60 * 1000;

/** The elements an item's date is read from, first found first. */
export const DATE_ELEMENTS = ['pubDate', 'dc:date', 'published', 'updated'] as const;

/**
 * Where rss-parser reads items (RSS 2 and 0.9x, RSS 1.0, Atom): the item's name when `names`, the
 * open elements from the root, is a container. Compared element by element, never joined: a
 * deeply nested document must not cost a string as long as its depth on every tag.
 */
function itemNameIn(names: string[]): string | undefined {
  if (names.length === 2 && names[0] === 'rss' && names[1] === 'channel') return 'item';
  if (names.length === 1 && names[0] === 'rdf:RDF') return 'item';
  if (names.length === 1 && names[0] === 'feed') return 'entry';
  return undefined;
}

function isItem(names: string[]): boolean {
  const depth = names.length;
  return (depth === 2 || depth === 3) && itemNameIn(names.slice(0, -1)) === names[depth - 1];
}

interface Kept {
  node: unknown;
  /** NaN until weighed: items are weighed only once there are more than `max`. */
  time: number;
  /** Whose date elements rank it: the item's element (xml2js's node, or the reader's children of it). */
  dated: unknown;
  /** Position in the document: among equal dates the earlier one is newer (feeds list newest first). */
  order: number;
}

/** The first of `a`, `b` to drop: the older, or for equal dates the later in the document. */
function worse(a: Kept, b: Kept): boolean {
  return a.time < b.time || (a.time === b.time && a.order > b.order);
}

export class NewestItems {
  /** Items the document held, kept or not. */
  total = 0;
  /**
   * The items kept, in document order until there are more than `max`; from then on a binary
   * heap whose root is the item to drop first. A feed within the limit (nearly every feed) keeps
   * all its items, so none of its dates is parsed here.
   */
  private readonly heap: Kept[] = [];
  private ranked = false;

  constructor(
    private readonly max: number,
    private readonly now: Date,
  ) {}

  /**
   * Hooks into the parser before it parses: items go here instead of into their container, and
   * the container gets the kept ones back, in document order, just before it closes.
   */
  attach(xml: Xml2jsParser): void {
    const names: string[] = [];
    let container: Record<string, unknown> | undefined;
    const sax = xml.saxParser;
    const { onopentag: open, onclosetag: close } = sax;
    const assign = xml.assignOrPush;
    sax.onopentag = function (this: unknown, tag) {
      open.call(this, tag);
      names.push(tag.name);
    };
    sax.onclosetag = (name) => {
      const itemName = itemNameIn(names);
      if (itemName !== undefined && container) container[itemName] = this.take();
      if (itemName !== undefined) container = undefined;
      close.call(sax, name);
      names.pop();
    };
    xml.assignOrPush = (parent, key, value) => {
      if (!isItem(names)) return assign(parent, key, value);
      container = parent;
      this.offer(value);
    };
  }

  /**
   * For a reader that builds its items itself (rss-reader.ts): one item, ranked by the text of
   * the first pubDate, dc:date, published and updated among `children` (xml2js's shape: element
   * name → values), as an xml2js item is.
   */
  add(item: unknown, children: Record<string, unknown>): void {
    this.offer(item, children);
  }

  /** The kept items in document order; the heap starts over (a second channel is not ours to count). */
  take(): unknown[] {
    const kept = this.heap.splice(0);
    if (this.ranked) kept.sort((a, b) => a.order - b.order);
    this.ranked = false;
    return kept.map((entry) => entry.node);
  }

  private offer(node: unknown, dated: unknown = node): void {
    this.total++;
    const entry: Kept = { node, time: NaN, dated, order: this.total };
    if (this.heap.length < this.max) {
      this.heap.push(entry);
      return;
    }
    if (!this.ranked) this.rankAll();
    entry.time = this.timeOf(entry.dated);
    // Full: the newcomer replaces the root only when the root is worse.
    if (!worse(this.heap[0]!, entry)) return;
    this.heap[0] = entry;
    this.siftDown(0);
  }

  /** The first item over `max`: the ones kept so far are weighed and made a heap. */
  private rankAll(): void {
    const heap = this.heap;
    for (const entry of heap) entry.time = this.timeOf(entry.dated);
    for (let at = (heap.length >> 1) - 1; at >= 0; at--) this.siftDown(at);
    this.ranked = true;
  }

  /**
   * Only for ranking: undated items, and dates over a day ahead (a typo, or an item pinning itself
   * to the top), rank below every dated item; among undated items document order decides.
   */
  private timeOf(node: unknown): number {
    if (node === null || typeof node !== 'object') return -Infinity;
    const fields = node as Record<string, unknown>;
    return this.rank(DATE_ELEMENTS.map((key) => asText(fields[key])));
  }

  private rank(dates: Array<string | undefined>): number {
    for (const date of dates) {
      const text = date?.trim();
      if (!text) continue;
      const time = Date.parse(text);
      if (!Number.isNaN(time)) return time > this.now.getTime() + DAY_MS ? -Infinity : time;
    }
    return -Infinity;
  }

  private siftDown(from: number): void {
    const heap = this.heap;
    for (let at = from; ; ) {
      const left = 2 * at + 1;
      const right = left + 1;
      let pick = at;
      if (left < heap.length && worse(heap[left]!, heap[pick]!)) pick = left;
      if (right < heap.length && worse(heap[right]!, heap[pick]!)) pick = right;
      if (pick === at) return;
      [heap[at], heap[pick]] = [heap[pick]!, heap[at]!];
      at = pick;
    }
  }
}
