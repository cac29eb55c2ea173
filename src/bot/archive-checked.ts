/**
 * The on-topic items /feeds add found, archived at once, so that /latest shows them in that
 * server right away instead of after the feed's first poll. Only the archive is written (its rows
 * and its story marks): no seen marks, no channel marks, no outbox entries, so the first poll
 * still announces exactly what it would have (BACKFILL of them, or none) and records the rest.
 */
import { storyTitleHash, type Judged } from '../engine/dedupe.ts';
import { ARCHIVE_SCOPE, planRecord } from '../engine/record-plan.ts';
import type { NewsStore } from '../store/sql/news.ts';

/** How many items entered the archive (a story it holds already, from another feed, is not added twice). */
export async function archiveChecked(store: Pick<NewsStore, 'recordPoll'>, feed: string, judged: Judged[], now: Date): Promise<number> {
  const relevant = judged.filter((j) => j.verdict.relevant);
  if (relevant.length === 0) return 0;
  const ids = relevant.map((j) => j.item.id);
  const input = { feedUrl: feed, itemIds: ids, markedIds: ids, scopes: [ARCHIVE_SCOPE], titleHashes: [...new Set(relevant.map((j) => storyTitleHash(j.item.title)).filter(Boolean))] };
  return store.recordPoll(input, (known) => {
    // The archive's part of a first poll's plan, the same decision a poll makes (no targets: nothing is announced).
    const plan = planRecord({ judged: relevant, known, targets: [], firstPoll: true, backfill: 0, now });
    return { result: plan.archive.length, marks: plan.marks, archive: plan.archive.map((item) => ({ item, sortKey: item.published ?? now.toISOString() })) };
  });
}
