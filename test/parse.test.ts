import Parser from 'rss-parser';
import { describe, it, expect } from 'vitest';
import { MalformedFeedError, NotAFeedError } from '../src/engine/errors.ts';
import { parseFeed } from '../src/engine/parse.ts';

const rss2 = (items: string, head = '') =>
  `<?xml version="1.0" encoding="utf-8"?>${head}<rss version="2.0"><channel><title>Wire</title><link>https://e.org/</link><description>d</description>${items}</channel></rss>`;

describe('parseFeed: dialects', () => {
  it('reads RSS 0.91 (with its public DOCTYPE, which is never fetched)', async () => {
    const feed = await parseFeed(
      '<?xml version="1.0"?><!DOCTYPE rss PUBLIC "-//Netscape Communications//DTD RSS 0.91//EN" "http://my.netscape.com/publish/formats/rss-0.91.dtd">' +
        '<rss version="0.91"><channel><title>Old</title><link>http://e.org/</link><description>d</description><language>en</language>' +
        '<item><title>A</title><link>http://e.org/a</link><description>x</description></item></channel></rss>',
    );
    expect(feed).toMatchObject({ format: 'rss', title: 'Old', link: 'http://e.org/' });
    expect(feed.items).toEqual([expect.objectContaining({ title: 'A', link: 'http://e.org/a', content: 'x' })]);
  });

  it('reads RSS 0.92 with an enclosure', async () => {
    const feed = await parseFeed(
      '<rss version="0.92"><channel><title>T</title><link>http://e.org/</link><description>d</description>' +
        '<item><title>A</title><enclosure url="http://e.org/a.jpg" length="1" type="image/jpeg"/></item></channel></rss>',
    );
    expect(feed.items[0]).toMatchObject({ title: 'A', enclosure: { url: 'http://e.org/a.jpg', type: 'image/jpeg' } });
  });

  it('reads RSS 1.0 (RDF), items outside the channel', async () => {
    const feed = await parseFeed(
      '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns="http://purl.org/rss/1.0/" xmlns:dc="http://purl.org/dc/elements/1.1/">' +
        '<channel rdf:about="http://e.org/"><title>RDF</title><link>http://e.org/</link><description>d</description></channel>' +
        '<item rdf:about="http://e.org/a"><title>A</title><link>http://e.org/a</link><dc:date>2023-01-02T03:04:05Z</dc:date></item>' +
        '<item rdf:about="http://e.org/b"><title>B</title><link>http://e.org/b</link></item></rdf:RDF>',
    );
    expect(feed).toMatchObject({ format: 'rss', title: 'RDF' });
    expect(feed.items.map((i) => i.title)).toEqual(['A', 'B']);
    expect(feed.items[0]).toMatchObject({ isoDate: '2023-01-02T03:04:05.000Z' });
  });

  it('reads RSS 2.0', async () => {
    const feed = await parseFeed(rss2('<item><title>A</title><link>https://e.org/a</link><guid>g-1</guid><pubDate>Wed, 04 Oct 2023 12:00:00 GMT</pubDate></item>'));
    expect(feed).toMatchObject({ format: 'rss', title: 'Wire', link: 'https://e.org/' });
    expect(feed.items[0]).toMatchObject({ title: 'A', link: 'https://e.org/a', guid: 'g-1', isoDate: '2023-10-04T12:00:00.000Z' });
  });

  it('reads Atom 1.0', async () => {
    const feed = await parseFeed(
      '<feed xmlns="http://www.w3.org/2005/Atom"><title>Atom</title><link href="https://e.org/"/><id>urn:x</id>' +
        '<entry><title>A</title><id>tag:e.org,2023:a</id><link href="https://e.org/a"/><published>2023-10-04T18:30:00Z</published><summary>s</summary></entry></feed>',
    );
    expect(feed).toMatchObject({ format: 'atom', title: 'Atom', link: 'https://e.org/' });
    expect(feed.items[0]).toMatchObject({ title: 'A', id: 'tag:e.org,2023:a', link: 'https://e.org/a', summary: 's' });
  });

  it('reads <rss> without a version as RSS 2.0', async () => {
    const feed = await parseFeed('<rss><channel><title>T</title><item><title>A</title></item></channel></rss>');
    expect(feed.items.map((i) => i.title)).toEqual(['A']);
  });

  it('gives each RSS item what rss-parser gives, but the snippets nothing reads', async () => {
    const doc = rss2(
      '<item><title>A</title><description>Plain &amp; simple</description><content:encoded><![CDATA[<p>The <b>article</b></p>]]></content:encoded></item>' +
        '<item><title>B</title><description type="html">With an attribute</description></item>' +
        '<item><title>C</title><description><p>Nested <b>markup</b></p></description></item>' +
        '<item><title>D</title><description></description></item>',
    ).replace('<rss version="2.0">', '<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/">');
    const ours = await parseFeed(doc);
    const theirs = (await new Parser().parseString(doc)).items as Array<Record<string, unknown>>;
    expect(ours.items.map((item) => Object.keys(item).filter((key) => key.endsWith('Snippet')))).toEqual([[], [], ['contentSnippet'], []]);
    expect(ours.items.map((item) => item.content)).toEqual(['Plain & simple', 'With an attribute', theirs[2]!.content, '']);
    for (const [i, item] of theirs.entries()) {
      const { contentSnippet: _, 'content:encodedSnippet': __, ...rest } = item;
      expect(ours.items[i]).toMatchObject(rest);
    }
  });

  it('reads a channel-less document as a feed with no items', async () => {
    expect((await parseFeed('<rss version="2.0"><item><title>A</title></item></rss>')).items).toEqual([]);
    expect((await parseFeed('<rss version="0.91"></rss>')).items).toEqual([]);
  });

  it('keeps the rest of an Atom feed when one entry has an invalid <published>', async () => {
    const feed = await parseFeed(
      '<feed xmlns="http://www.w3.org/2005/Atom"><title>T</title>' +
        '<entry><title>Bad date</title><id>a</id><published>the day after tomorrow</published><updated>nope</updated></entry>' +
        '<entry><title>Good</title><id>b</id><published>2023-01-01T00:00:00Z</published></entry></feed>',
    );
    expect(feed.items.map((i) => i.title)).toEqual(['Bad date', 'Good']);
    expect(feed.items[0]).not.toHaveProperty('isoDate');
    expect(feed.items[1]).toMatchObject({ isoDate: '2023-01-01T00:00:00.000Z' });
  });
});

describe('parseFeed: not a feed', () => {
  it.each([
    ['an HTML page', '<!DOCTYPE html><html><head><title>Hi</title></head><body><p>no feed</p></body></html>'],
    ['an XHTML page', '<?xml version="1.0"?><html xmlns="http://www.w3.org/1999/xhtml"><body/></html>'],
    ['JSON', '{"version":"https://jsonfeed.org/version/1.1","items":[]}'],
    ['a JSON array', '[1, 2]'],
    ['an empty string', ''],
    ['only whitespace', ' \n\t '],
    ['plain text', 'Service unavailable'],
    ['another XML vocabulary', '<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg"/>'],
  ])('rejects %s with NotAFeedError', async (_name, text) => {
    await expect(parseFeed(text)).rejects.toBeInstanceOf(NotAFeedError);
  });
});

describe('parseFeed: broken and hostile XML', () => {
  it('rejects truncated XML with MalformedFeedError', async () => {
    const whole = rss2('<item><title>A</title><link>https://e.org/a</link></item>');
    await expect(parseFeed(whole.slice(0, whole.indexOf('</title>')))).rejects.toBeInstanceOf(MalformedFeedError);
    await expect(parseFeed(whole.slice(0, -3))).rejects.toBeInstanceOf(MalformedFeedError);
  });

  it('rejects a billion-laughs document without expanding it', async () => {
    const levels = Array.from({ length: 9 }, (_, i) => `<!ENTITY lol${i + 1} "${`&lol${i};`.repeat(10)}">`).join('');
    const doc = rss2('<item><title>&lol9;</title></item>', `<!DOCTYPE rss [<!ENTITY lol0 "lol">${levels}]>`);
    // Expanding 10^9 "lol"s would take gigabytes and end in the test's deadline, not this refusal.
    const error = await parseFeed(doc).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(MalformedFeedError);
    expect((error as Error).message).toMatch(/entit/);
  });

  it('rejects many references to one large flat entity (quadratic blowup)', async () => {
    const big = 'x'.repeat(1000);
    const doc = rss2(`<item><title>${'&big;'.repeat(5000)}</title></item>`, `<!DOCTYPE rss [<!ENTITY big "${big}">]>`);
    await expect(parseFeed(doc)).rejects.toBeInstanceOf(MalformedFeedError);
  });

  it('rejects an external entity and never reads the file', async () => {
    for (const decl of ['<!ENTITY xxe SYSTEM "file:///etc/passwd">', "<!ENTITY xxe PUBLIC 'x' 'file:///etc/passwd'>"]) {
      const doc = rss2('<item><title>&xxe;</title><description>&xxe;</description></item>', `<!DOCTYPE rss [${decl}]>`);
      const error = await parseFeed(doc).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(MalformedFeedError);
      expect(String((error as Error).message)).not.toMatch(/root:|nologin|\/bin\//);
    }
  });

  it('expands a simple internal entity', async () => {
    const feed = await parseFeed(rss2('<item><title>A</title><guid>&id;2023:a</guid></item>', '<!DOCTYPE rss [<!ENTITY id "tag:example.com,">]>'));
    expect(feed.items[0]).toMatchObject({ guid: 'tag:example.com,2023:a' });
  });

  it('accepts undeclared HTML entities and stray ampersands', async () => {
    const feed = await parseFeed(rss2('<item><title>Caf&eacute;&nbsp;AT&T &amp; R&D &copy; &#233;&#x00E9; &bogus;</title></item>'));
    expect(feed.items[0]!.title).toBe('Café\u00a0AT&T & R&D © éé &bogus;');
  });

  it('leaves CDATA untouched by entity handling', async () => {
    const feed = await parseFeed(rss2('<item><title><![CDATA[AT&T &eacute; <b>]]></title></item>'));
    expect(feed.items[0]!.title).toBe('AT&T &eacute; <b>');
  });

  // KNOWN ENGINE BUG: xml-prepare.ts takes the first "<!DOCTYPE" anywhere in the text, even inside
  // CDATA, and cuts up to the next ">": the CDATA is left unterminated (or its entities judged).
  it('treats "<!DOCTYPE" inside CDATA as content', async () => {
    const feed = await parseFeed(rss2('<item><title>A</title><description><![CDATA[ <!DOCTYPE ]]></description></item>'));
    expect(feed.items[0]!.content).toBe(' <!DOCTYPE ');
    const html = await parseFeed(rss2('<item><title>B</title><description><![CDATA[<!DOCTYPE html [<!ENTITY x SYSTEM "y">]><p>Hi</p>]]></description></item>'));
    expect(html.items[0]!.content).toContain('<p>Hi</p>');
  });

  it('still rejects a broken document after a failed parse with a DOCTYPE', async () => {
    const truncated = rss2('<item><title>A</title></item>').slice(0, -20);
    const withDoctype = rss2('<item><title>&x;</title></item>', '<!DOCTYPE rss [<!ENTITY x "y">]>').slice(0, -20);
    const external = rss2('<item><title>&x;</title></item>', '<!DOCTYPE rss [<!ENTITY x SYSTEM "http://127.0.0.1:9/">]>');
    await expect(parseFeed(withDoctype)).rejects.toBeInstanceOf(MalformedFeedError);
    await expect(parseFeed(truncated)).rejects.toBeInstanceOf(MalformedFeedError);
    await expect(parseFeed(external)).rejects.toBeInstanceOf(MalformedFeedError);
    await expect(parseFeed(truncated)).rejects.toThrow(/malformed XML \((?!Unable to parse XML)/);
    // …and the next good document is read normally.
    expect((await parseFeed(rss2('<item><title>A</title></item>'))).items).toHaveLength(1);
  });

  it('parses many documents concurrently without mixing them up', async () => {
    const docs = Array.from({ length: 20 }, (_, i) => (i % 3 === 0 ? `<rss><channel><item>${i}` : rss2(`<item><title>n${i}</title></item>`)));
    const results = await Promise.allSettled(docs.map((d) => parseFeed(d)));
    results.forEach((r, i) => {
      if (i % 3 === 0) expect(r.status === 'rejected' && r.reason instanceof MalformedFeedError).toBe(true);
      else expect(r.status === 'fulfilled' && r.value.items[0]?.title).toBe(`n${i}`);
    });
  });
});
