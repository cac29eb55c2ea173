/**
 * What one poll of a feed changes, decided from what the store already knows: which items become
 * seen, which story marks are added, what enters the archive, and which items each channel is
 * told about. Pure: the bot runs it inside the transaction that reads `known` and writes the plan,
 * so two writers can never both decide that the same story is new.
 *
 * Story marks are kept per scope: each channel is a scope (a story is announced at most once per
 * channel, whichever feeds it arrived through), and the archive is one more (/latest lists a story
 * once).
 */
import { chooseAnnouncements, splitNewStories, toCandidate, type Candidate, type Judged, type StoryMark } from './dedupe.ts';
import type { NewsItem } from './types.ts';

/** The archive's own scope for story marks; channel ids are digits, so it cannot clash. */
export const ARCHIVE_SCOPE = 'archive';

export interface StoryMarkRow {
  scope: string;
  titleHash: string;
  itemId: string;
  /** Published date, else when it was first seen. */
  at: string;
}

/** A place announcements go; `channelId` doubles as its story-mark scope. */
export interface Target {
  channelId: string;
  guildId?: string;
  roleId?: string;
}

export interface Known {
  /** Which of the poll's item ids were seen before. */
  seen: Set<string>;
  /** Marks stored for the poll's title hashes in the poll's scopes. */
  marks: StoryMarkRow[];
}

export interface PlanInput {
  judged: Judged[];
  known: Known;
  targets: Target[];
  /** The feed's first successful poll announces nothing but its newest `backfill` stories. */
  firstPoll: boolean;
  backfill: number;
  now: Date;
}

export interface RecordPlan {
  seen: Array<{ itemId: string; relevant: boolean; firstSeen: string }>;
  marks: StoryMarkRow[];
  /** New on-topic stories, for /latest. */
  archive: NewsItem[];
  /** Per target, the items to announce there, oldest first. */
  announcements: Array<{ target: Target; items: NewsItem[] }>;
  /** Distinct items announced anywhere. */
  announced: NewsItem[];
  onTopic: number;
}

/** Marks by title hash for one scope, without those of the items being judged now. */
function marksIn(scope: string, known: StoryMarkRow[], judging: Set<string>): Map<string, StoryMark[]> {
  const byHash = new Map<string, StoryMark[]>();
  for (const mark of known) {
    if (mark.scope !== scope || judging.has(mark.itemId)) continue;
    byHash.set(mark.titleHash, [...(byHash.get(mark.titleHash) ?? []), { id: mark.itemId, at: mark.at }]);
  }
  return byHash;
}

/** Only the marks this poll adds (splitNewStories returns whole lists, old marks included). */
function newMarks(scope: string, marks: Map<string, StoryMark[]>, fresh: Candidate[]): StoryMarkRow[] {
  const ids = new Set(fresh.map((c) => c.item.id));
  return [...marks].flatMap(([titleHash, list]) => list.filter((mark) => ids.has(mark.id)).map((mark) => ({ scope, titleHash, itemId: mark.id, at: mark.at })));
}

export function planRecord(input: PlanInput): RecordPlan {
  const { known, now } = input;
  const byId = new Map<string, Judged>();
  for (const judged of input.judged) if (!byId.has(judged.item.id)) byId.set(judged.item.id, judged);
  const unseen = [...byId.values()].filter((j) => !known.seen.has(j.item.id)).map((j) => toCandidate(j, now));
  const judging = new Set(unseen.map((c) => c.item.id));

  const archived = splitNewStories(unseen, marksIn(ARCHIVE_SCOPE, known.marks, judging));
  const marks = newMarks(ARCHIVE_SCOPE, archived.marks, archived.fresh);
  const relevant = unseen.filter((c) => c.verdict.relevant);
  const announcements: RecordPlan['announcements'] = [];
  const announced = new Map<string, NewsItem>();
  for (const target of input.targets) {
    const split = splitNewStories(relevant, marksIn(target.channelId, known.marks, judging));
    marks.push(...newMarks(target.channelId, split.marks, split.fresh));
    const items = chooseAnnouncements(split.fresh, { firstPoll: input.firstPoll, backfill: input.backfill });
    if (items.length > 0) announcements.push({ target, items });
    for (const item of items) announced.set(item.id, item);
  }
  return {
    seen: unseen.map((c) => ({ itemId: c.item.id, relevant: c.verdict.relevant, firstSeen: now.toISOString() })),
    marks,
    archive: archived.fresh.filter((c) => c.verdict.relevant).map((c) => c.item),
    announcements,
    announced: [...announced.values()],
    onTopic: [...byId.values()].filter((j) => j.verdict.relevant).length,
  };
}
