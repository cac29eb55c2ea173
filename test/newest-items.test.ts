/**
 * MAX_ITEMS_PER_FEED: only a document's newest items are read (by date; undated, the first
 * listed, as feeds list newest first), in document order, and the cut is reported with the
 * number of items the document held. In the parse pool the items come back the same.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { analyzeDocument, DEFAULT_MAX_ITEMS, type AnalyzeNote } from '../src/engine/analyze.ts';
import { ParsePool } from '../src/engine/parse-pool.ts';
import { loadTopic } from '../src/engine/topic.ts';

const topic = loadTopic();
const NOW = new Date('2024-06-01T12:00:00Z');
const pool = new ParsePool({ topic, size: 1 });
afterAll(() => pool.close());

const hour = (n: number) => new Date(Date.UTC(2024, 0, 1, n)).toUTCString();
const rss = (items: string[]) => `<?xml version="1.0"?><rss version="2.0"><channel><title>Many</title><link>https://many.example.com/</link>${items.join('\n')}</channel></rss>`;
const rssItem = (n: number, date?: string) => `<item><title>Story ${n}</title><link>https://many.example.com/${n}</link>${date ? `<pubDate>${date}</pubDate>` : ''}</item>`;

async function analyze(document: string, maxItems?: number) {
  const notes: AnalyzeNote[] = [];
  const judged = await analyzeDocument(document, { feed: 'many', now: NOW, topic, ...(maxItems ? { maxItems } : {}), report: (note) => notes.push(note) });
  return { titles: judged.map((j) => j.item.title), notes };
}

const range = (from: number, to: number) => Array.from({ length: to - from }, (_, i) => from + i);

describe('a feed with more items than MAX_ITEMS_PER_FEED', () => {
  it('keeps the first ones of an undated feed (newest first), in document order, and reports the cut', async () => {
    const { titles, notes } = await analyze(rss(range(0, 1000).map((n) => rssItem(n))), 25);
    expect(titles).toEqual(range(0, 25).map((n) => `Story ${n}`));
    expect(notes).toEqual([{ kind: 'cut', feed: 'many', items: 1000, kept: 25 }]);
  });

  it('keeps the newest by date when the feed lists oldest first', async () => {
    const { titles } = await analyze(rss(range(0, 1000).map((n) => rssItem(n, hour(n)))), 10);
    expect(titles).toEqual(range(990, 1000).map((n) => `Story ${n}`));
  });

  it('keeps the newest by date in a shuffled feed; a date far in the future does not count as new', async () => {
    const order = range(0, 300).map((n) => (n * 7) % 300);
    const items = order.map((n) => rssItem(n, hour(n)));
    items.push(rssItem(999, 'Fri, 01 Jan 2100 00:00:00 GMT'));
    const { titles } = await analyze(rss(items), 10);
    expect(titles).toEqual(order.filter((n) => n >= 290).map((n) => `Story ${n}`));
  });

  it('keeps every item of a feed at the limit in document order, whatever their dates; one more drops the oldest', async () => {
    const order = [5, 1, 9, 3, 7, 0, 8, 2, 6, 4];
    const at = await analyze(rss(order.map((n) => rssItem(n, hour(n)))), 10);
    expect(at.titles).toEqual(order.map((n) => `Story ${n}`));
    expect(at.notes).toEqual([]);
    // The eleventh item is newer than all: the oldest (Story 0) goes, the rest keep their places.
    const over = await analyze(rss([...order, 10].map((n) => rssItem(n, hour(n)))), 10);
    expect(over.titles).toEqual([...order.filter((n) => n !== 0), 10].map((n) => `Story ${n}`));
    // An eleventh older than all is the one dropped.
    const older = await analyze(rss([...order.map((n) => rssItem(n + 1, hour(n + 1))), rssItem(0, hour(0))]), 10);
    expect(older.titles).toEqual(order.map((n) => `Story ${n + 1}`));
  });

  it('keeps the newest entries of an Atom feed and of an RSS 1.0 feed', async () => {
    const entries = range(0, 50).map((n) => `<entry><title>Entry ${n}</title><id>urn:e:${n}</id><link href="https://atom.example.com/${n}"/><updated>${new Date(Date.UTC(2024, 0, 1, n)).toISOString()}</updated></entry>`);
    const atom = await analyze(`<?xml version="1.0"?><feed xmlns="http://www.w3.org/2005/Atom"><title>Atom</title>${entries.join('')}</feed>`, 10);
    expect(atom.titles).toEqual(range(40, 50).map((n) => `Entry ${n}`));
    expect(atom.notes).toEqual([{ kind: 'cut', feed: 'many', items: 50, kept: 10 }]);

    const rdfItems = range(0, 30).map((n) => `<item rdf:about="https://rdf.example.com/${n}"><title>Item ${n}</title><link>https://rdf.example.com/${n}</link></item>`);
    const rdf = await analyze(`<?xml version="1.0"?><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns="http://purl.org/rss/1.0/"><channel rdf:about="https://rdf.example.com/"><title>RDF</title></channel>${rdfItems.join('')}</rdf:RDF>`, 10);
    expect(rdf.titles).toEqual(range(0, 10).map((n) => `Item ${n}`));
  });

  it('reads 500 by default, and says nothing about a feed within the limit', async () => {
    expect(DEFAULT_MAX_ITEMS).toBe(500);
    const cut = await analyze(rss(range(0, 700).map((n) => rssItem(n))));
    expect(cut.titles).toHaveLength(500);
    expect(cut.notes).toEqual([{ kind: 'cut', feed: 'many', items: 700, kept: 500 }]);
    const whole = await analyze(rss(range(0, 40).map((n) => rssItem(n))), 40);
    expect(whole.titles).toHaveLength(40);
    expect(whole.notes).toEqual([]);
  });

  it('gives the same items, in the same order, from the parse pool, with the cut reported on this thread', async () => {
    const document = rss(range(0, 3000).map((n) => rssItem(n, hour(3000 - n))));
    const inThread = await analyzeDocument(document, { feed: 'many', now: NOW, topic, maxItems: 750 });
    const notes: AnalyzeNote[] = [];
    const inPool = await pool.analyze(document, { feed: 'many', now: NOW, topic, maxItems: 750, report: (note) => notes.push(note) });
    expect(inPool).toEqual(inThread);
    expect(inPool.map((j) => j.item.title)).toEqual(range(0, 750).map((n) => `Story ${n}`));
    expect(notes).toEqual([{ kind: 'cut', feed: 'many', items: 3000, kept: 750 }]);
  });
});
