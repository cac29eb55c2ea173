/**
 * The RSS reader (src/engine/rss-reader.ts) maps items from the XML reader's events, without
 * xml2js's tree: whatever it accepts must come out of parseFeed exactly as xml2js and rss-parser
 * give it (`reader: 'sax'`), and what it refuses still parses, as before. quick-xml.test.ts holds
 * both readers to the reference on the whole corpus; this file says which documents it reads.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { documentText } from '../src/engine/charset.ts';
import { parseFeed, preparePieces } from '../src/engine/parse.ts';
import { readRss } from '../src/engine/rss-reader.ts';
import { CORPUS, corpusFiles } from './support/corpus.ts';
import { cutText } from './support/cut-text.ts';
import { parseOutcome as outcome } from './support/parse-outcome.ts';

const NOW = new Date('2026-11-30T12:00:00Z');

/** Whether the reader takes the document (refused or malformed: not), through QuickXml or sax, as parse.ts hands it over. */
function reads(document: string, quick: boolean): boolean {
  const prepared = preparePieces([document]);
  try {
    readRss([prepared[0]!.replace(/^\uFEFF/, ''), ...prepared.slice(1)], {}, quick);
    return true;
  } catch {
    return false;
  }
}

const rss = (body: string, attrs = 'version="2.0"') => `<?xml version="1.0"?>\n<rss ${attrs}><channel><title>Feed</title><link>https://feed.example/</link>${body}</channel></rss>\n`;

async function sameAsRssParser(document: string): Promise<void> {
  for (const pieces of [[document], cutText(document, 7)]) {
    for (const options of [{}, { maxItems: 2, now: NOW }]) {
      expect(await outcome(pieces, options), document).toEqual(await outcome(pieces, { ...options, reader: 'sax' }));
    }
  }
}

describe('the RSS reader', () => {
  it('reads most RSS files of the corpus itself', () => {
    let documents = 0;
    let read = 0;
    for (const file of corpusFiles()) {
      const text = documentText({ bytes: readFileSync(join(CORPUS, file)), contentType: null });
      if (!/<rss[\s>]/.test(text.slice(0, 4096))) continue;
      documents++;
      if (reads(text, false)) read++;
    }
    expect(documents).toBeGreaterThan(500);
    expect(read).toBeGreaterThan(documents * 0.9);
  });

  it('gives every field rss-parser gives: dates, guids, enclosures, categories, outlets, media, itunes, dc', async () => {
    const items = [
      '<item><title>A &amp; B</title><link>https://a.example/1</link><pubDate>Mon, 30 Nov 2026 10:00:00 GMT</pubDate><guid isPermaLink="false">g-1</guid><description>Plain &lt;b&gt;text&lt;/b&gt;</description></item>',
      '<item><title><![CDATA[ ]]></title><description><![CDATA[<p>Alita</p>]]></description><content:encoded><![CDATA[<p>Full</p>]]></content:encoded><guid>https://a.example/2</guid><pubDate>not a date</pubDate></item>',
      '<item rdf:about="https://a.example/3"><dc:title>DC</dc:title><dc:creator>Ana</dc:creator><author>bob@example.com</author><dc:date>2026-11-29T08:00:00Z</dc:date><category>Film</category><category domain="d">News</category></item>',
      '<item><title>T</title><enclosure url="https://a.example/x.jpg" type="image/jpeg" length="1"/><media:content url="https://a.example/m.jpg" width="800"/><media:thumbnail url="https://a.example/t.jpg"/><source url="https://outlet.example">Outlet</source><guid isPermaLink="true">  </guid></item>',
      '<item><title>Pod</title><itunes:summary>Sum</itunes:summary><itunes:author>Host</itunes:author><itunes:image href="https://a.example/i.png"/><itunes:duration>10:00</itunes:duration></item>',
      '<item/><item>  </item><item><unknown><deep>x</deep></unknown><title>after</title><updated>2026-11-30T09:00:00Z</updated></item>',
    ].join('');
    for (const document of [rss(items), rss(items, 'version="2.0" xmlns:itunes="http://www.itunes.com/dtds/podcast-1.0.dtd"'), rss(items, 'version="0.91" xmlns:itunes="x"'), rss(items, ''), `\uFEFF${rss(items)}`]) {
      expect(reads(document, true), document).toBe(true);
      await sameAsRssParser(document);
    }
    const [first] = (await parseFeed(rss(items), { now: NOW })).items;
    expect(first).toMatchObject({ title: 'A & B', link: 'https://a.example/1', guid: 'g-1', content: 'Plain <b>text</b>', isoDate: '2026-11-30T10:00:00.000Z' });
  });

  it('leaves to xml2js what it does not read as rss-parser would, and the feed is the same', async () => {
    const refused = [
      rss('<item><title>Markup <b>inside</b></title></item>'),
      rss('<item><title>T</title><media:group><media:content url="https://a.example/m.jpg"/></media:group></item>'),
      rss('<item><description type="html"> </description></item>'),
      `<rss version="2.0"><channel><title>One</title></channel><channel><title>Two</title><item><title>x</title></item></channel></rss>`,
      '<rss version="2.0"><channel/></rss>',
      '<rss version="2.0"><channel> </channel></rss>',
      '<rss version="2.0"><item><title>no channel</title></item></rss>',
    ];
    for (const document of refused) {
      expect(reads(document, true), document).toBe(false);
      await sameAsRssParser(document);
    }
    // Malformed documents fail or succeed as they did: the reader's error is never the feed's.
    for (const document of [`${rss('<item><title>a</title></item>')}trailing`, rss('<item><title>a</titel></item>'), '<rss version="2.0"><channel><item><title>cut']) {
      await sameAsRssParser(document);
    }
  });

  it('reads a big document in pieces, keeping the newest items as rss-parser would', async () => {
    const item = (i: number) =>
      `<item><title>Story ${i}</title><link>https://a.example/${i}</link><pubDate>${new Date(NOW.getTime() - ((i * 7919) % 1000) * 60_000).toUTCString()}</pubDate><description>${'word '.repeat(400)}</description></item>`;
    const big = rss(Array.from({ length: 700 }, (_, i) => item(i)).join(''));
    expect(big.length).toBeGreaterThan(1024 * 1024);
    expect(reads(big, true)).toBe(true);
    const parsed = await parseFeed(cutText(big, 65_536), { maxItems: 500, now: NOW });
    expect(parsed.items).toHaveLength(500);
    expect(parsed.total).toBe(700);
    expect(parsed).toEqual(await parseFeed(big, { maxItems: 500, now: NOW, reader: 'sax' }));
  });

  it('reads with sax what QuickXml refuses, as rss-parser would', async () => {
    for (const document of [rss('<item><título>x</título><title>T</title></item>'), rss('<item><title a="x>y">T</title></item>')]) {
      expect(reads(document, true), document).toBe(false);
      expect(reads(document, false), document).toBe(true);
      await sameAsRssParser(document);
    }
  });
});
