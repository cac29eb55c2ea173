/**
 * The benchmark workloads the feed servers can serve: "news" (feed-content.ts: general film news,
 * ~10 % labelled headlines, most items never name Alita and leave the filter early) and
 * "long-anchors" (long-anchors.ts: long items in seven languages that mostly name the film and a
 * sequel word without being on topic, so the filter runs its full matcher). Same sizes either way.
 */
import { feedDocument, loadLabelledItems } from './feed-content.ts';
import { ARTICLE_WORDS, ITEM_KINDS, KIND_SHARES, longAnchorsDocument, NEAR_MISS_KINDS, readTopicTerms, type ItemKind } from './long-anchors.ts';

export type Workload = 'news' | 'long-anchors';
export const WORKLOADS: Workload[] = ['news', 'long-anchors'];

/** Short names for table headers and section titles. */
export const WORKLOAD_LABELS: Record<Workload, string> = {
  news: 'film news',
  'long-anchors': 'long items naming anchors',
};

export interface BuiltDocument {
  xml: string;
  items: number;
  /** long-anchors: items of each kind. */
  kinds?: Record<ItemKind, number>;
}

/** Builds the documents of one workload: `big` feeds carry long articles, as full-text feeds do. */
export function documentMaker(workload: Workload, now: Date): (index: number, targetBytes: number, big: boolean) => BuiltDocument {
  if (workload === 'long-anchors') {
    const topic = readTopicTerms();
    return (index, targetBytes, big) => longAnchorsDocument({ index, targetBytes, now, topic, ...(big ? { articleWords: 6 * ARTICLE_WORDS } : {}) });
  }
  const { items: labelled } = loadLabelledItems();
  return (index, targetBytes, big) => feedDocument({ index, targetBytes, labelled, now, ...(big ? { contentBytes: 6000 } : {}) });
}

/** What the items of a workload are, for a report's "how measured" (counts from the documents served). */
export function describeWorkload(workload: Workload, kinds?: Record<ItemKind, number>): string {
  if (workload === 'news') return 'general film news with ~10 % labelled Alita headlines, some syndicated across feeds; most items never name Alita';
  const total = kinds ? ITEM_KINDS.reduce((sum, k) => sum + kinds[k], 0) : 0;
  const share = (list: ItemKind[]) => (kinds && total ? list.reduce((sum, k) => sum + kinds[k], 0) / total : list.reduce((sum, k) => sum + KIND_SHARES[k], 0));
  const pc = (r: number) => `${(r * 100).toFixed(0)} %`;
  return (
    `long items (~${ARTICLE_WORDS} words; the big feeds' articles ~${6 * ARTICLE_WORDS}) in English, Spanish, French, German, Italian, Portuguese and Japanese (one language per feed), ` +
    `${pc(share(NEAR_MISS_KINDS))} naming the film (or Alita) and a sequel word without being on topic (a namesake, a cast member's other sequel, Cameron's Avatar sequels, part 2 of a series, fan art), ` +
    `${pc(share(['plain']))} other films' sequels that never name Alita, ${pc(share(['onTopic']))} on topic; anchors and sequel nouns read from data/topic.json`
  );
}
