/**
 * What one poll of a feed changes, decided from what the store already knows: which items become
 * seen, which story marks are added, what enters the archive, and which items each channel is
 * told about. Pure: the bot runs it inside the transaction that reads `known` and writes the plan,
 * so two writers can never both decide that the same story is new.
 *
 * Story marks are kept per scope: each channel is a scope (a story is announced at most once per
 * channel, whichever feeds it arrived through), and the archive is one more (/latest lists a story
 * once). Seen marks are per feed: an item one server's feed brought is still new to an operator
 * feed that carries it later, so the servers the first feed did not reach get it then; the
 * channels that already have it hold its mark, under its id as under its title.
 */
import { chooseAnnouncements, splitNewStories, toCandidate, type Candidate, type Judged, type StoryMark } from './dedupe.ts';
import type { Embed, MessageBody } from './format.ts';
import type { ExtractedQuote } from './quotes/extract.ts';
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
  /** Digest mode: when this channel's next daily digest is due (ISO); its stories wait for it. */
  dailyAt?: string;
}

export interface Known {
  /** Which of the poll's item ids this feed saw before. */
  seen: Set<string>;
  /** Marks stored in the poll's scopes for its title hashes or its item ids. */
  marks: StoryMarkRow[];
  /** Messages recently posted for the poll's on-topic items this feed saw before (see RecordInput.editSince). */
  announced?: AnnouncedMessage[];
}

/** A story's own message in a channel, as posted, and how often a publisher's changes edited it. */
export interface AnnouncedMessage {
  channelId: string;
  itemId: string;
  body: MessageBody;
  /** Update edits queued for it so far. */
  updates: number;
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

/**
 * An edit of a story's message: another outlet reporting it ("Also reported by"), or the
 * publisher's own change to the item (its embeds as they read now).
 */
export interface StoryEdit {
  channelId: string;
  /** The story's announced item. */
  itemId: string;
  /** What caused it: the other outlet's item id, or `update:` and a hash of the changed text. One edit per cause. */
  cause: string;
  outlet?: { source: string; link?: string };
  embeds?: Embed[];
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
  /** Stories told again by other outlets: their messages grow an "Also reported by" line. */
  edits: StoryEdit[];
  /**
   * Quotations for the review queues of the servers a story was announced in (or whose message
   * grew by this outlet): the bot proposes only what it announced.
   */
  quotes: Array<{ guildId: string; item: NewsItem; quote: ExtractedQuote }>;
  onTopic: number;
}

/**
 * The poll's items by id, the first of each. A loop of its own: run over every item of every feed,
 * it made planRecord hot enough for V8 to optimise the whole of it, a compile (some 100 ms in a
 * bot's first poll) that cost more than planRecord's 505 runs.
 */
function distinctById(judged: Judged[]): Map<string, Judged> {
  const byId = new Map<string, Judged>();
  for (const one of judged) if (!byId.has(one.item.id)) byId.set(one.item.id, one);
  return byId;
}

/** One scope's marks: by title hash (the 48-hour rule), and the item ids it holds. */
function marksIn(scope: string, known: StoryMarkRow[]): { byHash: Map<string, StoryMark[]>; ids: Set<string> } {
  const byHash = new Map<string, StoryMark[]>();
  const ids = new Set<string>();
  for (const mark of known) {
    if (mark.scope !== scope) continue;
    byHash.set(mark.titleHash, [...(byHash.get(mark.titleHash) ?? []), { id: mark.itemId, at: mark.at }]);
    ids.add(mark.itemId);
  }
  return { byHash, ids };
}

/** New stories for one scope: not an item it holds already (whatever its title is now), nor a story it has. */
function splitFor(scope: string, candidates: Candidate[], known: StoryMarkRow[]): ReturnType<typeof splitNewStories> {
  const { byHash, ids } = marksIn(scope, known);
  return splitNewStories(candidates.filter((c) => !ids.has(c.item.id)), byHash);
}

/** Only the marks this poll adds (splitNewStories returns whole lists, old marks included). */
function newMarks(scope: string, marks: Map<string, StoryMark[]>, fresh: Candidate[]): StoryMarkRow[] {
  const ids = new Set(fresh.map((c) => c.item.id));
  return [...marks].flatMap(([titleHash, list]) => list.filter((mark) => ids.has(mark.id)).map((mark) => ({ scope, titleHash, itemId: mark.id, at: mark.at })));
}

export function planRecord(input: PlanInput): RecordPlan {
  const { known, now } = input;
  const byId = distinctById(input.judged);
  const unseen = [...byId.values()].filter((j) => !known.seen.has(j.item.id));
  const firstSeen = now.toISOString();

  // Marks only for on-topic items, in the archive as in channels: nothing else is archived or
  // announced, and a mark is a row written at a random place of an index (most of a record's cost).
  // So only their marks are read (pollFeed's RecordInput) and only their titles hashed.
  const relevant = unseen.filter((j) => j.verdict.relevant).map((j) => toCandidate(j, now));
  const archived = splitFor(ARCHIVE_SCOPE, relevant, known.marks);
  const marks = newMarks(ARCHIVE_SCOPE, archived.marks, archived.fresh);
  const announcements: RecordPlan['announcements'] = [];
  const announced = new Map<string, NewsItem>();
  const edits: StoryEdit[] = [];
  const quotes: RecordPlan['quotes'] = [];
  const propose = (guildId: string | undefined, id: string) => {
    const found = byId.get(id);
    if (guildId && found?.quotes) for (const quote of found.quotes) quotes.push({ guildId, item: found.item, quote });
  };
  for (const target of input.targets) {
    const split = splitFor(target.channelId, relevant, known.marks);
    for (const repeat of split.repeats) {
      const original = split.originals.get(repeat.item.id);
      if (original && original !== repeat.item.id) {
        edits.push({ channelId: target.channelId, itemId: original, cause: repeat.item.id, outlet: { source: repeat.item.source, ...(repeat.item.link ? { link: repeat.item.link } : {}) } });
        propose(target.guildId, repeat.item.id);
      }
    }
    for (const mark of newMarks(target.channelId, split.marks, split.fresh)) marks.push(mark);
    const items = chooseAnnouncements(split.fresh, { firstPoll: input.firstPoll, backfill: input.backfill });
    if (items.length > 0) announcements.push({ target, items });
    for (const item of items) {
      announced.set(item.id, item);
      propose(target.guildId, item.id);
    }
  }
  return {
    seen: unseen.map((j) => ({ itemId: j.item.id, relevant: j.verdict.relevant, firstSeen })),
    marks,
    archive: archived.fresh.map((c) => c.item),
    announcements,
    announced: [...announced.values()],
    edits,
    quotes,
    onTopic: [...byId.values()].filter((j) => j.verdict.relevant).length,
  };
}
