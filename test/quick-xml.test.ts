/**
 * QuickXml (src/engine/quick-xml.ts) reads a feed in place of sax: every document it does not
 * refuse must give exactly the feed sax gives (parseFeed's `reader: 'sax'`), whole and in
 * pieces, with the newest-items cut too; what it refuses still parses, with sax.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { documentText } from '../src/engine/charset.ts';
import { parseFeed, preparePieces } from '../src/engine/parse.ts';
import { QuickXml, QuickXmlRefused, type SaxHandlers } from '../src/engine/quick-xml.ts';
import { documentMaker } from '../scripts/bench/workloads.ts';
import { CORPUS, corpusFiles } from './support/corpus.ts';
import { parseOutcome as outcome } from './support/parse-outcome.ts';
import { cutText } from './support/cut-text.ts';

const NOW = new Date('2026-11-30T12:00:00Z');

const quiet: SaxHandlers = { onopentag: () => undefined, onclosetag: () => undefined, ontext: () => undefined, oncdata: () => undefined };

/** Whether QuickXml reads the pieces through (parse.ts then never asks sax). */
function accepted(pieces: string[]): boolean {
  try {
    const reader = new QuickXml(quiet);
    for (const piece of pieces) reader.write(piece);
    reader.end();
    return true;
  } catch (error) {
    if (error instanceof QuickXmlRefused) return false;
    throw error;
  }
}

/** The pieces parseFeed reads: the BOM off, as xml2js takes it off, and prepared as parse.ts prepares them. */
function readPieces(pieces: string[]): string[] {
  const prepared = preparePieces(pieces);
  return [prepared[0]!.replace(/^\uFEFF/, ''), ...prepared.slice(1)];
}

describe('QuickXml', () => {
  it('gives what sax gives on every corpus file it reads, whole and in pieces of 1,100 and 37 characters, all items or the newest 3', async () => {
    const files = corpusFiles();
    expect(files.length).toBeGreaterThan(1700);
    let read = 0;
    for (const file of files) {
      const text = documentText({ bytes: readFileSync(join(CORPUS, file)), contentType: null });
      if (accepted(readPieces([text]))) read++;
      for (const document of [text, cutText(text, 1100), cutText(text, 37)]) {
        for (const options of [{}, { maxItems: 3, now: NOW }]) {
          expect(await outcome(document, options), file).toEqual(await outcome(document, { ...options, reader: 'sax' }));
        }
      }
    }
    // Plain XML is most of the corpus: the comparison above is mostly of QuickXml's own reading.
    expect(read).toBeGreaterThan(files.length / 2);
  }, 300_000);

  it('reads every feed of both benchmark workloads, as sax does', async () => {
    for (const workload of ['news', 'long-anchors'] as const) {
      const make = documentMaker(workload, NOW);
      for (let i = 0; i < 12; i++) {
        const { xml } = make(i, 60_000, i === 0);
        expect(accepted(readPieces(cutText(xml, 16_384))), `${workload} #${i}`).toBe(true);
        expect(await parseFeed(cutText(xml, 16_384), { maxItems: 500, now: NOW })).toEqual(await parseFeed(xml, { maxItems: 500, now: NOW, reader: 'sax' }));
      }
    }
  });

  const wrap = (body: string) => `<?xml version="1.0"?>\n<rss version="2.0"><channel><title>T</title>${body}</channel></rss>\n`;

  it('reads what sax reads without complaint: references, CDATA, comments, attributes, empty and self-closed elements', async () => {
    const documents = [
      wrap('<item><title>Tom &amp; Jerry &lt;3 &#233;&#xE9;&#x1F916; &quot;q&quot; &apos;a&apos;</title><link>https://a.example/1?x=1&amp;y=2</link></item>'),
      wrap('<item><title><![CDATA[<b>Alita</b> & co]]></title><description><![CDATA[]]></description><guid isPermaLink="false">g1</guid></item>'),
      wrap('<item><title>  </title><description>a<![CDATA[ b ]]>c<!-- note -->d</description><enclosure url="https://a.example/x.mp3" length = "1" type=\'audio/mpeg\' /></item>'),
      wrap('<item><title>x</title><category/><category domain="d">c</category><source url="https://s.example">Outlet</source></item>'),
      `\uFEFF<?xml version="1.0"?><!-- before --><feed xmlns="http://www.w3.org/2005/Atom"><title type="html">A &amp;lt; B</title><entry><title>E</title><link href="https://a.example/e" rel="alternate"/><updated>2026-11-30T10:00:00Z</updated></entry></feed><!-- after -->`,
    ];
    for (const document of documents) {
      expect(accepted(readPieces([document])), document).toBe(true);
      for (const pieces of [[document], cutText(document, 1), cutText(document, 7)]) {
        expect(await outcome(pieces, {})).toEqual(await outcome(pieces, { reader: 'sax' }));
      }
    }
  });

  it('reads the same wherever a piece ends: inside a tag, a comment, a CDATA section or its end, a reference, or markup longer than the head it joins', () => {
    const attributes = Array.from({ length: 24 }, (_, i) => ` data-n${i}="${'v'.repeat(12)}"`).join('');
    const body =
      `<item><title>Tom &amp; Jerry &#233; &lt;3</title><link>https://a.example/1?x=1&amp;y=2</link>` +
      `<description${attributes}>a<![CDATA[ <b>x</b> ]] ]> ]]]]>b<!-- > - ${'c'.repeat(400)} -->c&quot;d</description>` +
      `<guid isPermaLink="false">g1</guid><category${attributes}/></item>` +
      `<item><title><![CDATA[${'Alita ]'.repeat(80)}]]></title><description>${'&amp;x '.repeat(60)}</description></item>`;
    // QuickXml itself, as the pieces come (parse.ts joins a document whose pieces cut a reference).
    const events = (pieces: string[]): string[] => {
      const seen: string[] = [];
      // Text and CDATA come in as many calls as the pieces cut them into: what they add up to counts.
      const say = (event: string, joins = false) => {
        if (joins && seen.at(-1)?.[0] === event[0]) seen[seen.length - 1] += event.slice(1);
        else seen.push(event);
      };
      const reader = new QuickXml({
        onopentag: (tag) => say(`<${tag.name} ${JSON.stringify(tag.attributes)}${tag.isSelfClosing ? '/' : ''}>`),
        onclosetag: (name) => say(`</${name}>`),
        ontext: (text) => say(`t${text}`, true),
        oncdata: (text) => say(`c${text}`, true),
      });
      for (const piece of pieces) reader.write(piece);
      reader.end();
      return seen;
    };
    // A comment of a growing length moves every boundary past each construct in turn.
    for (const size of [16, 61, 255, 300, 1100]) {
      for (let shift = 0; shift < 64; shift++) {
        const document = wrap(`<!--${'s'.repeat(shift)}-->${body}`);
        expect(events(cutText(document, size)), `${size}/${shift}`).toEqual(events([document]));
      }
    }
    expect(events([wrap(body)]).filter((event) => event.startsWith('c'))).toHaveLength(2);
  });

  it('refuses what it cannot be sure sax reads the same, and parseFeed then reads it with sax', async () => {
    const refused = [
      '<!DOCTYPE rss [<!ENTITY a "b">]><rss version="2.0"><channel><title>&a;</title></channel></rss>',
      wrap('<item><title>caf&eacute;</title></item>'),
      wrap('<item><title>&#0; &#xD800;</title></item>'),
      wrap('<item><title>AT&T</title></item>'),
      wrap('<item><title>a</titel></item>'),
      wrap('<item><title lang=en>a</title></item>'),
      wrap('<item><title a="1" a="2">a</title></item>'),
      wrap('<item><title a="1"b="2">a</title></item>'),
      wrap('<item><title a="x>y">a</title></item>'),
      wrap('<item><título>a</título></item>'),
      wrap('<item><title>a</title><!-- a -- b --></item>'),
      wrap('<item><title><![cdata[a]]></title></item>'),
      `${wrap('<item><title>a</title></item>')}trailing text`,
      `${wrap('<item><title>a</title></item>')}<rss/>`,
      'text first<rss version="2.0"><channel></channel></rss>',
      '<rss version="2.0"><channel><item><title>cut',
    ];
    // Markup running over many pieces is left to sax too (each piece would search it again). sax
    // itself refuses a comment over 64 KiB written in pieces, and reads it whole.
    const longComment = wrap(`<item><title>a</title><!-- ${'x'.repeat(200_000)} --></item>`);
    expect(accepted([longComment])).toBe(true);
    expect(accepted(cutText(longComment, 16_384))).toBe(false);
    expect(await outcome(cutText(longComment, 16_384), {})).toEqual(await outcome(cutText(longComment, 16_384), { reader: 'sax' }));
    expect(await outcome([longComment], {})).toEqual(await outcome([longComment], { reader: 'sax' }));
    for (const document of refused) {
      // As QuickXml meets them (parse.ts's preparing turns a DOCTYPE's and HTML's entities into characters first).
      expect(accepted([document]), document).toBe(false);
      for (const pieces of [[document], cutText(document, 5)]) {
        expect(await outcome(pieces, {}), document).toEqual(await outcome(pieces, { reader: 'sax' }));
      }
    }
  });
});
