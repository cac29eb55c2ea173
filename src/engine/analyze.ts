import { documentPieces, type FeedDocument } from './charset.ts';
import { normalizedItems } from './normalize.ts';
import { parseFeed } from './parse.ts';
import { judge } from './relevance.ts';
import type { Topic } from './topic.ts';
import type { Judged } from './dedupe.ts';

export interface AnalyzeContext {
  feed: string;
  documentUrl?: string;
  now: Date;
  topic: Topic;
}

/** analyzeDocument's signature: what pollFeed accepts as its `analyze` (a ParsePool's runs it off the main thread). */
export type Analyze = (document: FeedDocument, ctx: AnalyzeContext) => Promise<Judged[]>;

/** Document → normalised items with their verdicts: the pure middle of the pipeline. */
export async function analyzeDocument(document: FeedDocument, ctx: AnalyzeContext): Promise<Judged[]> {
  const parsed = await parseFeed(documentPieces(document));
  const judged: Judged[] = [];
  // Judged as normalised: the full text only serves the verdict (the message uses the summary,
  // which falls back to the start of the full text), so a big feed's articles never all live at
  // once, and none reaches the archive.
  for (const { fullText, ...item } of normalizedItems(parsed, { feed: ctx.feed, documentUrl: ctx.documentUrl, now: ctx.now })) {
    judged.push({ item, verdict: judge({ title: item.title, summary: item.summary, fullText }, ctx.topic) });
  }
  return judged;
}
