import { findTerms } from './match.ts';
import { namesake } from './mentions.ts';
import { scanEvidence } from './scan.ts';
import { htmlToText } from './text.ts';
import { itemTokens } from './tokens.ts';
import type { Topic } from './topic.ts';

export interface FeedFacts {
  /** The feed as configured, and where the document really came from. */
  feed: string;
  documentUrl?: string;
  /** The channel's own title and description. */
  title?: string;
  description?: string;
  /** Declared about Alita: its entry in data/feeds.json, or /feeds add about_alita. */
  flagged?: boolean;
}

/**
 * A search feed's title names its query, not its subject ("alita" - Google News holds every
 * Alita anything): Google News, or any URL that is a search with a query.
 */
export function isSearchFeed(facts: FeedFacts): boolean {
  for (const address of [facts.feed, facts.documentUrl]) {
    let url: URL;
    try {
      url = new URL(address ?? '');
    } catch {
      continue;
    }
    if (url.hostname === 'news.google.com') return true;
    if (/search/i.test(url.pathname) && (url.searchParams.has('q') || url.searchParams.has('query'))) return true;
  }
  return /[-–]\s*Google\s*\S+$/u.test(facts.title?.trim() ?? '');
}

/**
 * Why the feed is about Alita, or undefined when it is not: flagged so, else its own title or
 * description names the film (and not a namesake), unless it is a search feed.
 */
export function feedAboutAlita(facts: FeedFacts, topic: Topic): string | undefined {
  if (facts.flagged) return 'flagged as about Alita';
  if (isSearchFeed(facts)) return undefined;
  for (const [part, text] of [['title', facts.title], ['description', facts.description]] as const) {
    if (!text) continue;
    const tokens = itemTokens([htmlToText(text)]);
    const name = findTerms(tokens, topic.aboutFeeds.terms)[0];
    if (name && !namesake(scanEvidence(tokens, topic), topic, tokens)) return `its ${part} names the film: ${name.label}`;
  }
  return undefined;
}
