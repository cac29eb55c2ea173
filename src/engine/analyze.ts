import { setImmediate as nextTurn } from 'node:timers/promises';
import { documentPieces, type FeedDocument } from './charset.ts';
import type { Judged } from './dedupe.ts';
import { describeError } from './errors.ts';
import { feedAboutAlita } from './feed-context.ts';
import { mayMentionWords } from './mentions.ts';
import { itemNormalizer, leanOf } from './normalize.ts';
import { parseFeed, UNREADABLE, type RawItem } from './parse.ts';
import { judge, noMention, type JudgeOptions } from './relevance.ts';
import { asText, foldWhitespace } from './text.ts';
import type { Topic } from './topic.ts';
import type { NewsItem } from './types.ts';
import type { QuoteExtractor } from './quotes/extract.ts';

export interface AnalyzeContext {
  feed: string;
  documentUrl?: string;
  now: Date;
  topic: Topic;
  /** Items judged per document, its newest (MAX_ITEMS_PER_FEED); default DEFAULT_MAX_ITEMS. */
  maxItems?: number;
  /** Told what was left out (a cut feed, a skipped item), on the caller's thread, as it happens. */
  report?: (note: AnalyzeNote) => void;
  /** The feed is declared about Alita (data/feeds.json, /feeds add about_alita): see feed-context.ts. */
  aboutAlita?: boolean;
  /** Finds known people's quotations: in on-topic items (the bot proposes only those), or in every item (preview). */
  quotes?: { extractor: QuoteExtractor; in: 'relevant' | 'all' };
  /**
   * Items that cannot name Alita, as their markup already shows, are judged before they are
   * normalised and handed on lean: what identifies them, an empty summary (normalize.ts's
   * leanItem); items judged off topic whole go on lean too. The bot keeps nothing else of an
   * item off topic; preview shows them whole.
   */
  lean?: boolean;
  /** Called once the document is decoded and its bytes are no longer read (the worker frees its copy then). */
  decoded?: () => void;
}

/** What a moderator reading the log needs to know about items the bot did not judge. */
export type AnalyzeNote =
  | { kind: 'cut'; feed: string; items: number; kept: number }
  | { kind: 'skipped'; feed: string; title: string; link?: string; reason: string };

export const DEFAULT_MAX_ITEMS = 500;

/**
 * Judged items handed on together: a worker posts each batch as one message, so the main thread
 * takes a big feed in short steps rather than one long structured-clone.
 */
export const BATCH_SIZE = 100;

/** analyzeDocument's signature: what pollFeed accepts as its `analyze` (a ParsePool's runs it off the main thread). */
export type Analyze = (document: FeedDocument, ctx: AnalyzeContext) => Promise<Judged[]>;

/** Document → normalised items with their verdicts: the pure middle of the pipeline. */
export async function analyzeDocument(document: FeedDocument, ctx: AnalyzeContext): Promise<Judged[]> {
  const judged: Judged[] = [];
  await analyzeInBatches(document, ctx, (batch) => {
    for (const one of batch) judged.push(one);
  });
  return judged;
}

/**
 * analyzeDocument, handing the judged items to `onBatch` BATCH_SIZE at a time and yielding to the
 * event loop between batches. Only the document's newest `maxItems` items are built at all; an
 * item that fails to normalise or to be judged is reported and skipped, the rest go on.
 */
export async function analyzeInBatches(document: FeedDocument, ctx: AnalyzeContext, onBatch: (batch: Judged[]) => void): Promise<void> {
  const parsed = await parseFeed(decoded(document, ctx), { maxItems: ctx.maxItems ?? DEFAULT_MAX_ITEMS, now: ctx.now });
  if (parsed.total !== undefined) tell(ctx, { kind: 'cut', feed: ctx.feed, items: parsed.total, kept: parsed.items.length });
  const normalize = itemNormalizer(parsed, { feed: ctx.feed, documentUrl: ctx.documentUrl, now: ctx.now });
  const facts = { feed: ctx.feed, documentUrl: ctx.documentUrl, title: parsed.title, description: parsed.description, flagged: ctx.aboutAlita };
  const aboutAlita = feedAboutAlita(facts, ctx.topic);
  // Judged as normalize leaves an item (judgeWhole).
  const options: JudgeOptions = { ...(aboutAlita ? { aboutAlita } : {}), normalised: true };
  // Preview finds quotations in every item, so it needs every item whole.
  const lean = ctx.lean === true && ctx.quotes?.in !== 'all';
  // A feed about Alita is judged whole: its items need not name Alita (relevance.ts).
  const probe = lean && !aboutAlita ? (words: string[]) => mayMentionWords(words, ctx.topic) : undefined;
  let batch: Judged[] = [];
  const raws = parsed.items;
  for (let at = 0; at < raws.length; at++) {
    const raw = raws[at];
    // Each raw item is let go of as it is judged: held to the document's end, a feed's items
    // outlived the worker's scavenges and were promoted (a quarter of what it promoted on film news).
    raws[at] = null as unknown as RawItem;
    if (raw === null || typeof raw !== 'object') continue;
    let judged: Judged;
    try {
      const unreadable = (raw as { [UNREADABLE]?: string })[UNREADABLE];
      if (unreadable !== undefined) throw new Error(unreadable);
      const fromMarkup = probe ? normalize.lean(raw, probe) : undefined;
      if (typeof fromMarkup === 'object') judged = { item: fromMarkup, verdict: noMention() };
      else {
        // Probed already on every word it has: judge need not probe its normalised text again.
        judged = judgeWhole(normalize(raw), ctx, fromMarkup === 'named' ? { ...options, probed: true } : options);
        // Off topic after all: it goes on lean too (most items that name the film in passing), with
        // its verdict's conclusion only: the bot reads no reasons of an item off topic, and the
        // rest (five to ten lines on long items) was a good part of what the worker posted.
        const slim = lean && !judged.verdict.relevant ? leanOf(judged.item) : undefined;
        if (slim) judged = { ...judged, item: slim, verdict: { ...judged.verdict, reasons: judged.verdict.reasons.slice(-1) } };
      }
    } catch (error) {
      tell(ctx, skipped(ctx.feed, raw, error));
      continue;
    }
    batch.push(judged);
    if (batch.length >= BATCH_SIZE) {
      onBatch(batch);
      batch = [];
      await nextTurn();
    }
  }
  if (batch.length > 0) onBatch(batch);
}

/** The document as text: neither the bytes (freed here) nor the text outlive the parse. */
function decoded(document: FeedDocument, ctx: AnalyzeContext): string[] {
  const pieces = documentPieces(document);
  ctx.decoded?.();
  return pieces;
}

/**
 * Judged as normalised: the full text only serves the verdict and the quotations (the message uses
 * the summary, which falls back to the start of the full text), so a big feed's articles never
 * all live at once, and none reaches the archive.
 */
function judgeWhole({ fullText, ...item }: NewsItem, ctx: AnalyzeContext, options: JudgeOptions): Judged {
  const verdict = judge({ title: item.title, summary: item.summary, fullText }, ctx.topic, options);
  const judged: Judged = { item, verdict };
  if (ctx.quotes && (verdict.relevant || ctx.quotes.in === 'all')) {
    const quotes = ctx.quotes.extractor.extract({ title: item.title, summary: item.summary, ...(fullText ? { fullText } : {}) });
    if (quotes.length > 0 || ctx.quotes.in === 'all') judged.quotes = quotes;
  }
  return judged;
}

/** A report that fails (a logger's trouble) must not cost the feed its items. */
function tell(ctx: AnalyzeContext, note: AnalyzeNote): void {
  try {
    ctx.report?.(note);
  } catch {
    // Nothing to do: the note is lost, the analysis goes on.
  }
}

/** Enough of the item to find it in the feed; never the whole of a huge field. */
function skipped(feed: string, raw: RawItem, error: unknown): AnalyzeNote {
  const short = (value: unknown) => foldWhitespace(asText(value).slice(0, 500)).slice(0, 200);
  const link = short(raw.link);
  return { kind: 'skipped', feed, title: short(raw.title) || '(no title)', ...(link ? { link } : {}), reason: describeError(error) };
}
