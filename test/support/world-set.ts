/**
 * The labelled "world" sets (test/fixtures/world/<lang>-<part>.json): items shaped like the bot's
 * real sources (Google News search feeds, the subreddit, film sites) in seven languages, written
 * blind to the rule. Each feed's items become one RSS document, judged the way a poll judges it
 * (analyzeDocument: parse → normalise → judge), so feed context and Google News' <source> count.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { analyzeDocument } from '../../src/engine/analyze.ts';
import type { Topic } from '../../src/engine/topic.ts';

export const WORLD_DIR = fileURLToPath(new URL('../fixtures/world/', import.meta.url));

export interface WorldItem {
  source: 'google-news' | 'reddit' | 'site';
  feed: { title: string; description: string; url: string };
  title: string;
  summary: string;
  outlet?: string;
  link: string;
  relevant: boolean;
  why?: string;
  lang: string;
}

export function loadWorld(part: 'tune' | 'seen' | 'seen2' | 'seen3' | 'seen4' | 'seen5' | 'seen6' | 'seen7' | 'seen8' | 'seen9' | 'holdout', langs?: string[]): WorldItem[] {
  const files = readdirSync(WORLD_DIR).filter((f) => f.endsWith(`-${part}.json`) && (!langs || langs.includes(f.split('-')[0]!)));
  return files.sort().flatMap((file) => {
    const set = JSON.parse(readFileSync(`${WORLD_DIR}${file}`, 'utf8')) as { lang: string; items: Omit<WorldItem, 'lang'>[] };
    return set.items.map((item) => ({ ...item, lang: set.lang }));
  });
}

const esc = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/** One feed's items as the RSS document its server would send (Google News with <source>). */
export function worldFeedDocument(items: WorldItem[]): string {
  const feed = items[0]!.feed;
  const body = items
    .map((item) => `<item><title>${esc(item.title)}</title><link>${esc(item.link)}</link><guid isPermaLink="false">${esc(item.link)}</guid><description>${esc(item.summary)}</description>${item.outlet ? `<source url="https://${esc(item.outlet.toLowerCase().replace(/[^a-z0-9]+/g, ''))}.example">${esc(item.outlet)}</source>` : ''}</item>`)
    .join('\n');
  return `<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>${esc(feed.title)}</title><link>${esc(feed.url)}</link><description>${esc(feed.description)}</description>${body}</channel></rss>`;
}

export interface WorldVerdict {
  item: WorldItem;
  predicted: boolean;
  reasons: string[];
}

/** Every item's verdict, each feed judged as one document. */
export async function judgeWorld(items: WorldItem[], topic: Topic, now = new Date('2026-11-01T12:00:00Z')): Promise<WorldVerdict[]> {
  const byFeed = new Map<string, WorldItem[]>();
  for (const item of items) byFeed.set(item.feed.url, [...(byFeed.get(item.feed.url) ?? []), item]);
  const verdicts: WorldVerdict[] = [];
  for (const [url, feedItems] of byFeed) {
    const judged = await analyzeDocument(worldFeedDocument(feedItems), { feed: url, now, topic });
    // The poll normalises links (new URL(): non-ASCII paths come back percent-encoded).
    const key = (link: string | undefined) => (link ? new URL(link).href : '');
    const byLink = new Map(judged.map((j) => [key(j.item.link), j]));
    for (const item of feedItems) {
      const j = byLink.get(key(item.link));
      verdicts.push({ item, predicted: j?.verdict.relevant ?? false, reasons: j?.verdict.reasons ?? ['(item not found after parsing)'] });
    }
  }
  return verdicts;
}

export interface Score {
  items: number;
  precision: number;
  recall: number;
  wrong: string[];
}

export function score(verdicts: WorldVerdict[]): Score {
  const tp = verdicts.filter((v) => v.predicted && v.item.relevant).length;
  const fp = verdicts.filter((v) => v.predicted && !v.item.relevant).length;
  const fn = verdicts.filter((v) => !v.predicted && v.item.relevant).length;
  const wrong = verdicts.filter((v) => v.predicted !== v.item.relevant).map((v) => `${v.item.relevant ? 'missed' : 'false alarm'} [${v.item.lang}/${v.item.source}] ${v.item.title} — ${v.reasons.join('; ')}`);
  return { items: verdicts.length, precision: tp + fp === 0 ? 1 : tp / (tp + fp), recall: tp + fn === 0 ? 1 : tp / (tp + fn), wrong };
}

/** Scores overall, per language and per source. */
export function scoreBreakdown(verdicts: WorldVerdict[]): Record<string, Score> {
  const groups: Record<string, WorldVerdict[]> = { all: verdicts };
  for (const v of verdicts) {
    (groups[`lang:${v.item.lang}`] ??= []).push(v);
    (groups[`source:${v.item.source}`] ??= []).push(v);
  }
  return Object.fromEntries(Object.entries(groups).map(([key, group]) => [key, score(group)]));
}
