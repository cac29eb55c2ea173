import type { Analyze } from '../engine/analyze.ts';
import type { Judged } from '../engine/dedupe.ts';
import { describeError } from '../engine/errors.ts';
import type { FetchResult } from '../engine/fetch.ts';
import type { MessageBody } from '../engine/format.ts';
import type { QuoteExtractor } from '../engine/quotes/extract.ts';
import type { Topic } from '../engine/topic.ts';
import type { NewsItem } from '../engine/types.ts';

/** One line of `preview --json`. */
export interface PreviewLine {
  feed: string;
  id: string;
  link: string | null;
  title: string;
  published: string | null;
  relevant: boolean;
  reasons: string[];
  /** Why the feed was taken as about Alita (flagged, or its title names the film), else null. */
  aboutAlita: string | null;
  message: MessageBody | null;
  /** Known people's quotations found in the item, on topic or not (the bot proposes only announced ones). */
  quotes: Array<{ speaker: string; text: string }>;
}

export interface PreviewDeps {
  fetch: (feed: string) => Promise<FetchResult>;
  analyze: Analyze;
  format: (item: NewsItem) => MessageBody;
  topic: Topic;
  now: () => Date;
  /** Feeds declared about Alita (data/feeds.json's flag, or --about-alita). */
  aboutAlita?: (feed: string) => boolean;
  /** Finds quotations in every item (data/people.json). */
  quotes?: QuoteExtractor;
}

/** Every item of one feed as it is now, with its verdict and the message it would send. */
export async function previewFeed(feed: string, deps: PreviewDeps): Promise<{ lines: PreviewLine[] } | { error: string }> {
  try {
    const result = await deps.fetch(feed);
    // Preview keeps no validators, so a feed is never 'unchanged' here.
    if (result.kind !== 'fetched') return { lines: [] };
    const flagged = deps.aboutAlita?.(feed) ? { aboutAlita: true } : {};
    const quotes = deps.quotes ? { quotes: { extractor: deps.quotes, in: 'all' as const } } : {};
    const judged = await deps.analyze(result.body, { feed, documentUrl: result.url, now: deps.now(), topic: deps.topic, ...flagged, ...quotes });
    return {
      lines: judged.map(({ item, verdict, quotes: found }) => ({
        feed,
        id: item.id,
        link: item.link ?? null,
        title: item.title,
        published: item.published ?? null,
        relevant: verdict.relevant,
        reasons: verdict.reasons,
        aboutAlita: verdict.aboutAlita ?? null,
        message: verdict.relevant ? deps.format(item) : null,
        quotes: (found ?? []).map(({ speaker, text }) => ({ speaker, text })),
      })),
    };
  } catch (error) {
    return { error: describeError(error) };
  }
}
