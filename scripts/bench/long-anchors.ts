/**
 * The "long-anchors" workload: RSS 2.0 feeds, each in one language (English, Spanish, French,
 * German, Italian, Portuguese, Japanese), whose items are long (about 150 words; the big feeds'
 * articles about 900) and mostly name the film, or Alita, and a sequel word without being on
 * topic — Alita as a namesake (a racehorse, a robot vacuum), a cast member's other sequel,
 * Cameron's Avatar sequels, part 2 of an article series, fan art — so the topic filter cannot
 * leave early and runs its full matcher; a few per cent are on topic. The anchors and sequel
 * nouns are data/topic.json's own terms (read from the file), so the items keep reaching the
 * matcher as the rule changes. Seeded per feed: every run serves the same bytes.
 */
import { readFileSync } from 'node:fs';
import { seededRandom } from '../../test/support/random.ts';
import { escapeXml, PROJECT_ROOT } from './feed-content.ts';
import { capitalise, LANGUAGES, titleCase, type ItemKind, type Language } from './long-anchors-languages.ts';

export type { ItemKind } from './long-anchors-languages.ts';

/** How often each kind of item is written (sums to 1). */
export const KIND_SHARES: Record<ItemKind, number> = { namesake: 0.16, castSequel: 0.14, cameronSequels: 0.1, seriesPart: 0.1, fanArt: 0.1, plain: 0.37, onTopic: 0.03 };
/** Kinds that name the film (or Alita) and a sequel word without being on topic. */
export const NEAR_MISS_KINDS: ItemKind[] = ['namesake', 'castSequel', 'cameronSequels', 'seriesPart', 'fanArt'];
export const ITEM_KINDS = Object.keys(KIND_SHARES) as ItemKind[];
/** Words of an ordinary item's article (its lede included, the title not); the big feeds' are longer. */
export const ARTICLE_WORDS = 150;
/** Japanese has no spaces: a "word" is counted as this many characters. */
export const JA_CHARS_PER_WORD = 2.5;

export interface TopicTerms {
  /** Every term of data/topic.json, trailing * dropped. */
  terms: Set<string>;
  otherWorks: Set<string>;
  /** Full names of the cast (comebacks.cast), as written. */
  cast: string[];
}

const FILMMAKERS = new Set(['robert rodriguez', 'james cameron', 'jon landau']);

export function readTopicTerms(path: URL = new URL('data/topic.json', `file://${PROJECT_ROOT}`)): TopicTerms {
  const file = JSON.parse(readFileSync(path, 'utf8')) as { otherWorks?: { terms?: string[] }; comebacks?: { cast?: string[] } };
  const terms = new Set<string>();
  const walk = (value: unknown): void => {
    if (typeof value === 'string') terms.add(value.replace(/\*$/, ''));
    else if (Array.isArray(value)) value.forEach(walk);
    else if (value && typeof value === 'object') for (const [key, v] of Object.entries(value)) if (key !== 'about' && !key.endsWith('About')) walk(v);
  };
  walk(file);
  const cast = (file.comebacks?.cast ?? []).filter((name) => name.includes(' ') && !FILMMAKERS.has(name));
  return { terms, otherWorks: new Set(file.otherWorks?.terms ?? []), cast };
}

/** A language with only the terms topic.json still has (never empty: falls back to the rule's own). */
interface Resolved extends Language {
  actors: string[];
}

const latin = (text: string) => /^[\p{Script=Latin}\s.'-]+$/u.test(text);

function resolve(language: Language, topic: TopicTerms): Resolved {
  const keep = (list: string[], fallback: string) => {
    const kept = list.filter((t) => topic.terms.has(t));
    return kept.length ? kept : [fallback];
  };
  const japanese = language.code === 'ja';
  const actors = topic.cast.filter((name) => latin(name) !== japanese).map((name) => (japanese ? name.replace(/ /g, '・') : titleCase(name)));
  return {
    ...language,
    anchors: keep(language.anchors, [...topic.terms][0] ?? 'alita'),
    sequels: keep(language.sequels, 'sequel'),
    others: japanese ? language.others : keep(language.others, 'avatar'),
    actors: actors.length ? actors : ['Rosa Salazar'],
  };
}

const pick = <T>(random: () => number, list: readonly T[]): T => list[Math.floor(random() * list.length)]!;

function kindOf(random: () => number): ItemKind {
  let r = random();
  for (const kind of ITEM_KINDS) if ((r -= KIND_SHARES[kind]) < 0) return kind;
  return 'plain';
}

const fill = (template: string, slots: Record<string, string>) => template.replace(/\{(\w+)\}/g, (_m, key: string) => slots[key] ?? key);

/** Words of a text as the report counts them (Japanese: characters / JA_CHARS_PER_WORD). */
export function wordCount(text: string, languageCode: string): number {
  return languageCode === 'ja' ? Math.round(text.replace(/\s/g, '').length / JA_CHARS_PER_WORD) : text.split(/\s+/).filter(Boolean).length;
}

function filmName(random: () => number, lang: Resolved): string {
  const [open, close] = lang.quotes;
  const others = lang.anchors.filter((a) => a !== lang.name.toLowerCase());
  const r = random();
  if (r < 0.5 || others.length === 0) return `${open}${lang.name}${close}`;
  const subtitle = lang.display(pick(random, others));
  return r < 0.8 && lang.joiner === ' ' ? `${lang.name}: ${subtitle}` : `${open}${subtitle}${close}`;
}

function fillerSentence(random: () => number, lang: Resolved, vocabulary: string[]): string {
  const out: string[] = [];
  const length = 8 + Math.floor(random() * 11);
  for (let i = 0; i < length; i++) out.push(pick(random, vocabulary));
  const text = out.join(lang.joiner);
  return `${text.charAt(0).toUpperCase()}${text.slice(1)}${lang.stop}`;
}

export interface LongItem {
  kind: ItemKind;
  title: string;
  lede: string;
  paragraphs: string[];
}

/** One item: a template's title and lede, then filler sentences to `articleWords`, with echoes of its names. */
function longItem(random: () => number, lang: Resolved, kind: ItemKind, articleWords: number): LongItem {
  const name = lang.name;
  const film = filmName(random, lang);
  const slots = {
    name,
    film,
    // German capitalises nouns; elsewhere a sequel noun is lower case in running text.
    sequel: lang.code === 'de' ? capitalise(pick(random, lang.sequels)) : pick(random, lang.sequels),
    actor: pick(random, lang.actors),
    other: kind === 'cameronSequels' ? (lang.code === 'ja' ? 'アバター' : 'Avatar') : lang.code === 'ja' ? pick(random, lang.others) : titleCase(pick(random, lang.others)),
    studio: pick(random, lang.studios),
    place: pick(random, lang.places),
    n: String(3 + Math.floor(random() * 3)),
    mention: kind === 'namesake' ? name : film,
  };
  const [title, lede] = pick(random, lang.templates[kind]).map((t) => fill(t, slots)) as [string, string];
  const sentences: string[] = [];
  // The lede opens the article: together about `articleWords`.
  let words = wordCount(lede, lang.code);
  // A namesake's article is about a horse or a gadget: film words around the name would make it the film.
  const vocabulary = kind === 'namesake' ? lang.everyday : lang.words;
  while (words < articleWords) {
    const sentence = fillerSentence(random, lang, vocabulary);
    sentences.push(sentence);
    words += wordCount(sentence, lang.code);
  }
  // Long stories say the name again, and the other work's sequel that the item is about.
  const echoes: string[] = [];
  if (kind !== 'plain') echoes.push(fill(pick(random, lang.echoes.mention), slots));
  if (kind === 'castSequel' || kind === 'cameronSequels' || kind === 'plain') echoes.push(fill(pick(random, lang.echoes.other), slots));
  for (const echo of echoes) sentences.splice(1 + Math.floor(random() * sentences.length), 0, echo);
  const perParagraph = Math.max(3, Math.ceil(sentences.length / 3));
  const paragraphs: string[] = [];
  for (let i = 0; i < sentences.length; i += perParagraph) paragraphs.push(sentences.slice(i, i + perParagraph).join(lang.joiner));
  return { kind, title, lede, paragraphs };
}

export interface LongAnchorsOptions {
  /** Feed number: seeds the content, picks the language (index mod 7) and names the site. */
  index: number;
  targetBytes: number;
  /** Words of each item's article (default ARTICLE_WORDS). */
  articleWords?: number;
  now: Date;
  /** readTopicTerms(), read once by the caller for many documents. */
  topic: TopicTerms;
}

export const languageOf = (index: number): Language => LANGUAGES[index % LANGUAGES.length]!;

/** One RSS 2.0 document of about `targetBytes`: how many items, of which kinds, and each item's kind in order. */
export function longAnchorsDocument(options: LongAnchorsOptions): { xml: string; items: number; kinds: Record<ItemKind, number>; order: ItemKind[] } {
  const { index, targetBytes, now } = options;
  const random = seededRandom(0x10a6 + index * 7919);
  const lang = resolve(languageOf(index), options.topic);
  const articleWords = options.articleWords ?? ARTICLE_WORDS;
  const site = `${lang.code}${index}.example.net`;
  const head =
    `<?xml version="1.0" encoding="UTF-8"?>\n<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/" ` +
    `xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:media="http://search.yahoo.com/mrss/">\n<channel>\n` +
    `<title>${escapeXml(lang.site)} ${index}</title>\n<link>https://${site}/</link>\n<description>${escapeXml(lang.about)}</description>\n` +
    `<language>${lang.locale}</language>\n<lastBuildDate>${now.toUTCString()}</lastBuildDate>\n`;
  const tail = '</channel>\n</rss>\n';
  const parts = [head];
  const kinds = Object.fromEntries(ITEM_KINDS.map((k) => [k, 0])) as Record<ItemKind, number>;
  const order: ItemKind[] = [];
  let bytes = Buffer.byteLength(head) + tail.length;
  let n = 0;
  while (bytes < targetBytes) {
    const item = longItem(random, lang, kindOf(random), articleWords);
    kinds[item.kind]++;
    order.push(item.kind);
    const published = new Date(now.getTime() - (n * 23 + Math.floor(random() * 20)) * 60_000);
    const content = [item.lede, ...item.paragraphs].map((p) => `<p>${escapeXml(p)}</p>`).join('');
    const xml =
      `<item>\n<title>${escapeXml(item.title)}</title>\n<link>https://${site}/${published.getUTCFullYear()}/${index}-${n}</link>\n` +
      `<guid isPermaLink="false">${site}-${n}</guid>\n<pubDate>${published.toUTCString()}</pubDate>\n` +
      `<dc:creator>${escapeXml(pick(random, lang.places))} desk</dc:creator>\n<category>${item.kind === 'plain' || item.kind === 'onTopic' ? 'Film' : 'Culture'}</category>\n` +
      `<description>${escapeXml(item.lede)}</description>\n<content:encoded><![CDATA[${content}]]></content:encoded>\n` +
      `<media:thumbnail url="https://${site}/img/${index}-${n}.jpg" width="640" height="360"/>\n</item>\n`;
    parts.push(xml);
    bytes += Buffer.byteLength(xml);
    n++;
  }
  parts.push(tail);
  return { xml: parts.join(''), items: n, kinds, order };
}
