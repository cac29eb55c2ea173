/**
 * A document decoded and parsed in pieces (charset.ts's documentPieces, so a feed with one curly
 * quote does not become two bytes per character) must give exactly what the whole text gives:
 * every corpus file cut into small pieces, and characters cut between pieces of bytes.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { analyzeDocument } from '../src/engine/analyze.ts';
import { decodeFeedPieces, documentText } from '../src/engine/charset.ts';
import { preparePieces } from '../src/engine/parse.ts';
import { loadTopic } from '../src/engine/topic.ts';
import { CORPUS, corpusFiles } from './support/corpus.ts';
import { parseOutcome as outcome } from './support/parse-outcome.ts';
import { cutText as cut } from './support/cut-text.ts';
import { rss } from './support/feeds.ts';


describe('parsing in pieces', () => {
  it('every corpus file gives the same feed (or the same error) in pieces of 1,100 and of 37 characters', async () => {
    const files = corpusFiles();
    expect(files.length).toBeGreaterThan(1700);
    let piecewise = 0;
    for (const file of files) {
      const text = documentText({ bytes: readFileSync(join(CORPUS, file)), contentType: null });
      const whole = await outcome(text);
      for (const size of [1100, 37]) {
        const pieces = cut(text, size);
        if (preparePieces(pieces).length > 1) piecewise++;
        expect(await outcome(pieces), `${file} in pieces of ${size}`).toEqual(whole);
      }
    }
    // Most go the piecewise way; the rest (a DOCTYPE, an entity to fix) are joined first.
    expect(piecewise).toBeGreaterThan(1400);
  }, 120_000);

  it('bytes decode to the same text in pieces, with characters of 2 to 4 bytes cut between pieces', () => {
    const text = `<rss version="2.0"><channel><title>${'Alita é … 🤖 ‘Battle Angel’ '.repeat(12_000)}</title></channel></rss>`;
    const bytes = new Uint8Array(Buffer.from(text, 'utf8'));
    const pieces = decodeFeedPieces(bytes, 'application/rss+xml; charset=utf-8');
    expect(pieces.length).toBeGreaterThan(4);
    expect(pieces.join('')).toBe(text);
    const latin1 = new Uint8Array(Buffer.from(text.replace(/[^\x00-\xff]/g, '?'), 'latin1'));
    expect(decodeFeedPieces(latin1, 'text/xml; charset=iso-8859-1').join('')).toBe(text.replace(/[^\x00-\xff]/g, '?'));
  });

  it('a big feed analyses the same from bytes (in pieces) as from its text', async () => {
    const items = Array.from({ length: 400 }, (_, i) => ({ title: `Alita 2 news ${i}: Rodriguez on the sequel’s “Iron City”`, link: `https://news.example.com/${i}`, summary: 'Battle Angel sequel update, café … '.repeat(30) }));
    const text = rss(items);
    expect(text.length).toBeGreaterThan(300_000);
    const ctx = { feed: 'f', now: new Date('2024-06-01T12:00:00Z'), topic: loadTopic() };
    const fromBytes = await analyzeDocument({ bytes: new Uint8Array(Buffer.from(text, 'utf8')), contentType: 'application/rss+xml' }, ctx);
    expect(fromBytes).toEqual(await analyzeDocument(text, ctx));
    expect(fromBytes.filter((j) => j.verdict.relevant).length).toBe(400);
  });
});
