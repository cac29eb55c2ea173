/**
 * The labelled quotation sets (test/fixtures/quotes/<lang>-<part>.json): interview write-ups,
 * news items, Google News and Reddit posts in seven languages, written by people who had not seen
 * the extractor, each passage with the quotations an editor would attribute with certainty.
 * Every passage becomes an item of one RSS document, found the way `preview` finds them
 * (parse → normalise → extract), and is scored on speaker and exact words together.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { analyzeDocument } from '../../src/engine/analyze.ts';
import { quoteExtractor } from '../../src/engine/quotes/extract.ts';
import type { People } from '../../src/engine/quotes/people.ts';
import type { Topic } from '../../src/engine/topic.ts';

export const QUOTES_DIR = fileURLToPath(new URL('../fixtures/quotes/', import.meta.url));

export interface Passage {
  id: string;
  lang: string;
  source: string;
  outlet?: string | null;
  title: string;
  summary: string;
  content?: string;
  quotes: Array<{ speaker: string; text: string }>;
}

export function loadPassages(part: string): Passage[] {
  return readdirSync(QUOTES_DIR)
    .filter((f) => f.endsWith(`-${part}.json`))
    .sort()
    .flatMap((file) => {
      const set = JSON.parse(readFileSync(`${QUOTES_DIR}${file}`, 'utf8')) as { lang: string; passages: Omit<Passage, 'lang'>[] };
      return set.passages.map((p) => ({ ...p, lang: set.lang }));
    });
}

const esc = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
const link = (p: Passage) => `https://quotes.example/${p.id}`;
/** Plain paragraphs as a feed's content:encoded carries them. */
const html = (text: string) => (/<\w/.test(text) ? text : text.split(/\n{2,}/).map((para) => `<p>${esc(para)}</p>`).join(''));

function feedDocument(passages: Passage[]): string {
  const items = passages.map((p) => {
    const source = p.source === 'google-news' && p.outlet ? `<source url="https://outlet.example">${esc(p.outlet)}</source>` : '';
    const content = p.content ? `<content:encoded>${esc(html(p.content))}</content:encoded>` : '';
    return `<item><title>${esc(p.title)}</title><link>${link(p)}</link><guid>${link(p)}</guid><description>${esc(p.summary)}</description>${content}${source}</item>`;
  });
  return `<?xml version="1.0" encoding="UTF-8"?><rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/"><channel><title>Quotes</title><link>https://quotes.example/</link><description>labelled passages</description>${items.join('')}</channel></rss>`;
}

export interface QuoteScore {
  expected: number;
  found: number;
  correct: number;
  precision: number;
  recall: number;
  /** Every wrong or missed quotation, for a failing test's message. */
  wrong: string[];
}

const norm = (text: string) => text.normalize('NFC').replace(/\s+/g, ' ').trim();

export async function scorePassages(passages: Passage[], people: People, topic: Topic): Promise<QuoteScore> {
  const extractor = quoteExtractor(people);
  const judged = await analyzeDocument(feedDocument(passages), { feed: 'quotes', now: new Date('2026-12-01T00:00:00Z'), topic, maxItems: 10_000, quotes: { extractor, in: 'all' } });
  const byLink = new Map(judged.map((j) => [j.item.link, j.quotes ?? []]));
  let expected = 0;
  let found = 0;
  let correct = 0;
  const wrong: string[] = [];
  for (const passage of passages) {
    const want = new Set(passage.quotes.map((q) => `${q.speaker} | ${norm(q.text)}`));
    const got = new Set((byLink.get(link(passage)) ?? []).map((q) => `${q.speaker} | ${norm(q.text)}`));
    expected += want.size;
    found += got.size;
    for (const g of got) {
      if (want.has(g)) correct++;
      else wrong.push(`${passage.id} FALSE ${g}`);
    }
    for (const w of want) if (!got.has(w)) wrong.push(`${passage.id} MISSED ${w}`);
  }
  return { expected, found, correct, precision: found ? correct / found : 1, recall: expected ? correct / expected : 1, wrong };
}
