/**
 * Synthetic but realistic feed documents for the benchmarks: RSS 2.0 with the fields real news
 * feeds carry (guid, pubDate, dc:creator, category, description, content:encoded,
 * media:thumbnail). Most items are general film news that never names Alita (what a real film
 * feed mostly holds); about one in ten is a labelled headline from the topic filter's test sets,
 * on topic or near miss, some of them syndicated across several feeds. Deterministic per feed.
 */
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { seededRandom } from '../../test/support/random.ts';

export const PROJECT_ROOT = fileURLToPath(new URL('../../', import.meta.url));

export interface LabelledItem {
  title: string;
  summary: string;
  relevant: boolean;
}

/** The labelled sets the topic filter is tested on: test/fixtures/*.json and ../shared/relevance/dev-set.json. */
export const LABELLED_SETS = [
  'test/fixtures/relevance-blind.json',
  'test/fixtures/relevance-holdout.json',
  '../shared/relevance/dev-set.json',
];

export function loadLabelledItems(): { items: LabelledItem[]; sources: string[] } {
  const items: LabelledItem[] = [];
  const sources: string[] = [];
  for (const relative of LABELLED_SETS) {
    const path = new URL(relative, `file://${PROJECT_ROOT}`);
    if (!existsSync(path)) continue;
    const file = JSON.parse(readFileSync(path, 'utf8')) as { items?: Array<Partial<LabelledItem>> };
    for (const item of file.items ?? []) {
      if (typeof item.title !== 'string') continue;
      items.push({ title: item.title, summary: typeof item.summary === 'string' ? item.summary : '', relevant: item.relevant === true });
    }
    sources.push(relative);
  }
  if (items.length === 0) throw new Error(`no labelled items found (looked for ${LABELLED_SETS.join(', ')})`);
  return { items, sources };
}


const pick = <T>(random: () => number, list: readonly T[]): T => list[Math.floor(random() * list.length)]!;

const STUDIOS = ['Paramount', 'Universal', 'Warner Bros.', 'Sony Pictures', 'Lionsgate', 'A24', 'Neon', 'Netflix', 'Amazon MGM', 'Focus Features', 'Searchlight', 'Legendary'];
const GENRES = ['thriller', 'comedy', 'horror film', 'animated feature', 'space opera', 'heist movie', 'period drama', 'documentary', 'musical', 'western', 'superhero film', 'romantic comedy'];
const VERBS = ['sets release date for', 'casts newcomer in', 'greenlights', 'delays', 'moves up', 'reveals first look at', 'drops trailer for', 'wraps filming on', 'acquires rights to', 'hires director for'];
const NAMES = ['Midnight Harbor', 'The Glass Orchard', 'Iron Meridian', 'Paper Lanterns', 'Northbound', 'The Long Quiet', 'Ember Run', 'Silver Static', 'Low Tide', 'The Ninth Gate', 'Crowfield', 'Saltwater Kings', 'Neon Requiem', 'Blue Hour', 'The Cartographer'];
const AUTHORS = ['Dana Whitfield', 'Marco Ruiz', 'Priya Natarajan', 'Tom Okafor', 'Lena Hoffmann', 'Sam Brennan', 'Aiko Tanaka', 'Julien Moreau'];
const CATEGORIES = ['Movies', 'Box Office', 'Casting', 'Trailers', 'Festivals', 'Streaming', 'Interviews', 'Reviews'];
const WORDS = (
  'the film production studio release date audience weekend box office critics festival premiere cast crew director producer ' +
  'screenplay writer budget trailer teaser sequel franchise streaming theatrical schedule shoot location visual effects score ' +
  'composer cinematographer editor interview panel convention fans reaction opening domestic international rating runtime ' +
  'distribution rights deal option adaptation novel graphic series season episode showrunner network platform subscribers ' +
  'summer winter autumn spring holiday slate announcement report sources close to the project said confirmed denied expected'
).split(' ');

function sentence(random: () => number, words: number): string {
  const out: string[] = [];
  for (let i = 0; i < words; i++) out.push(pick(random, WORDS));
  const text = out.join(' ');
  return `${text[0]!.toUpperCase()}${text.slice(1)}.`;
}

function paragraph(random: () => number, bytes: number): string {
  let text = '';
  while (text.length < bytes) text += `${sentence(random, 8 + Math.floor(random() * 14))} `;
  return text.trim();
}

export function escapeXml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

function slug(text: string): string {
  return text.toLowerCase().normalize('NFKD').replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '').slice(0, 60) || 'item';
}

export interface FeedDocumentOptions {
  /** Feed number: seeds the content and names the site. */
  index: number;
  /** Approximate size of the document in bytes (UTF-8). */
  targetBytes: number;
  /** Bytes of content:encoded per item (more for the big feeds). */
  contentBytes?: number;
  labelled: LabelledItem[];
  /** Published dates count back from here. */
  now: Date;
}

/** One RSS 2.0 document of about `targetBytes`, plus how many items it holds. */
export function feedDocument(options: FeedDocumentOptions): { xml: string; items: number } {
  const { index, targetBytes, labelled, now } = options;
  // Seeded, so every run serves the same bytes.
  const random = seededRandom(0x5eed + index * 7919);
  const site = `site${index}.example.com`;
  const contentBytes = options.contentBytes ?? 700;
  const head =
    `<?xml version="1.0" encoding="UTF-8"?>\n<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/" ` +
    `xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:media="http://search.yahoo.com/mrss/" xmlns:atom="http://www.w3.org/2005/Atom">\n<channel>\n` +
    `<title>Film Wire ${index}</title>\n<link>https://${site}/</link>\n<description>Film and TV news from site ${index}</description>\n` +
    `<language>en-us</language>\n<lastBuildDate>${now.toUTCString()}</lastBuildDate>\n` +
    `<atom:link href="https://${site}/feed/" rel="self" type="application/rss+xml"/>\n`;
  const tail = '</channel>\n</rss>\n';
  const parts: string[] = [head];
  let bytes = Buffer.byteLength(head) + tail.length;
  let n = 0;
  while (bytes < targetBytes) {
    let title: string;
    let summary: string;
    if (random() < 0.1) {
      // A labelled headline; the same one shows up in several feeds, as syndicated news does.
      const item = pick(random, labelled);
      title = item.title;
      summary = item.summary;
    } else {
      title = `${pick(random, STUDIOS)} ${pick(random, VERBS)} ${pick(random, GENRES)} '${pick(random, NAMES)}' (${index}-${n})`;
      summary = sentence(random, 18 + Math.floor(random() * 20));
    }
    const published = new Date(now.getTime() - (n * 37 + Math.floor(random() * 30)) * 60_000);
    const link = `https://${site}/news/${published.getUTCFullYear()}/${slug(title)}-${index}-${n}`;
    const content = `<p>${escapeXml(summary)}</p><p>${paragraph(random, contentBytes / 2)}</p><p>${paragraph(random, contentBytes / 2)}</p>`;
    const item =
      `<item>\n<title>${escapeXml(title)}</title>\n<link>${link}</link>\n<guid isPermaLink="false">${site}-${n}</guid>\n` +
      `<pubDate>${published.toUTCString()}</pubDate>\n<dc:creator>${pick(random, AUTHORS)}</dc:creator>\n` +
      `<category>${pick(random, CATEGORIES)}</category>\n<description>${escapeXml(`${summary} ${paragraph(random, 200)}`)}</description>\n` +
      `<content:encoded><![CDATA[${content}]]></content:encoded>\n` +
      `<media:thumbnail url="https://${site}/img/${index}-${n}.jpg" width="640" height="360"/>\n</item>\n`;
    parts.push(item);
    bytes += Buffer.byteLength(item);
    n++;
  }
  parts.push(tail);
  return { xml: parts.join(''), items: n };
}
