/**
 * The engine's memory as rows: feed states, seen items, story marks, the archive. A poll's
 * record step (read what is known → decide → write everything) is ONE transaction, so a crash
 * or a failed write leaves nothing half-recorded, and concurrent writers cannot lose updates.
 */
import { insertCandidates, type NewCandidate } from './quote-candidates.ts';
import { sql, type Kysely, type Selectable, type SqlBool } from 'kysely';
import type { AnnouncedMessage, Known, StoryEdit, StoryMarkRow } from '../../engine/record-plan.ts';
import { insertEdits, UPDATE_CAUSE } from './message-edits.ts';
import type { Database, DatabaseLogger } from './database.ts';
import { insertSeen, rowList, textList, type ListColumn, type SeenRow } from './lists.ts';
import { inProcess, lockFor } from './locks.ts';
import { insertEntries, type NewEntry } from './outbox-entries.ts';
import { chunks, RowReader, toJson } from './rows.ts';
import type { Tables } from './tables.ts';
import { feedStateSchema, messageBodySchema, newsItemSchema, type FeedState, type NewsItem } from './types.ts';

/** How many on-topic items the archive keeps; beyond it the earliest archived go. */
export const ARCHIVE_LIMIT = 10_000;
/** A title recurs rarely (weekly columns): the newest few marks are all the 48-hour rule needs. */
export const MARKS_PER_TITLE = 20;

/** What recordPoll reads for `decide`: the engine's own types (src/engine/record-plan.ts). */
export type { Known, StoryMarkRow };

export interface RecordInput {
  feedUrl: string;
  /** The feed's items: which of them were seen before is read. */
  itemIds: string[];
  /** Channel ids (and 'archive') whose story marks matter to this decision. */
  scopes: string[];
  titleHashes: string[];
  /**
   * The items whose story marks matter, when fewer than `itemIds`: marks are only ever kept for
   * on-topic items, so the others need no look-up by id. Default: every item.
   */
  markedIds?: string[];
  /**
   * Read the messages posted since then for the on-topic items (markedIds) this feed saw before:
   * a publisher's change to one of them edits its message (Known.announced).
   */
  editSince?: string;
}

export type { SeenRow };

export interface ArchiveEntry {
  item: NewsItem;
  /** Orders /latest (newest first): the published date, else when it was first seen. */
  sortKey: string;
}

export interface RecordPlan<R> {
  result: R;
  /** Inserted; an id already seen keeps its first row. */
  seen?: SeenRow[];
  /** Inserted (conflicts ignored); then only the newest MARKS_PER_TITLE per scope and title stay. */
  marks?: StoryMarkRow[];
  /** Upserted by item id (an edit overwrites, keeping its place in arrival order). */
  archive?: ArchiveEntry[];
  /** Queued with the outbox's rules (outbox-entries.ts). */
  outbox?: { entries: NewEntry[]; now: Date; maxPostsPerChannel?: number };
  /** The feed's new state, for input.feedUrl. */
  feedState?: FeedState;
  /** Messages to edit ("Also reported by"), queued in the same transaction. */
  edits?: { edits: StoryEdit[]; now: Date };
  /** Quotations of announced stories, for the servers' review queues (quote-candidates.ts). */
  quotes?: { candidates: NewCandidate[]; now: Date };
}

export class NewsStore {
  private readonly reader: RowReader;
  private readonly archiveLimit: number;

  constructor(
    private readonly database: Database,
    logger: DatabaseLogger,
    options: { archiveLimit?: number } = {},
  ) {
    this.reader = new RowReader(logger);
    this.archiveLimit = options.archiveLimit ?? ARCHIVE_LIMIT;
  }

  /** Every known feed's state among `urls`, in one query (a malformed state is left out: the feed counts as new). */
  async getFeedStates(urls: string[]): Promise<Map<string, FeedState>> {
    const states = new Map<string, FeedState>();
    for (const part of chunks([...new Set(urls)])) {
      const rows = await this.database.db.selectFrom('feed_state').selectAll().where('url', 'in', part).execute();
      for (const row of rows) {
        const state = this.reader.json('feed_state', row.url, row.state, feedStateSchema);
        if (state) states.set(row.url, state);
      }
    }
    return states;
  }

  async getFeedState(url: string): Promise<FeedState | undefined> {
    return (await this.getFeedStates([url])).get(url);
  }

  async setFeedState(url: string, state: FeedState): Promise<void> {
    await writeFeedStates(this.database.db, [[url, state]]);
  }

  /** Several feeds' states in one transaction (a cycle's unchanged feeds: one write, not hundreds). */
  async setFeedStates(states: ReadonlyMap<string, FeedState>): Promise<void> {
    if (states.size === 0) return;
    await this.database.transaction((trx) => writeFeedStates(trx, [...states]));
  }

  /**
   * Reads what is known about a poll's items, lets the pure `decide` choose, and writes its plan,
   * all in one transaction (serialised with other recordPolls, in this process and others).
   * `decide` runs again if the transaction is retried (busy SQLite, PostgreSQL deadlock).
   */
  recordPoll<R>(input: RecordInput, decide: (known: Known) => RecordPlan<R>): Promise<R> {
    return inProcess(this.database, 'record', () =>
      this.database.transaction(async (trx) => {
        await lockFor(this.database, trx, 'record');
        const plan = decide(await readKnown(this.database.kind, trx, input, this.reader));
        await writePlan(this.database, trx, input.feedUrl, plan, this.archiveLimit);
        return plan.result;
      }),
    );
  }

  /** The newest archived items, newest first; `feedUrls` keeps those of these feeds only. */
  async latest(options: { feedUrls?: string[]; limit: number }): Promise<NewsItem[]> {
    if (options.feedUrls?.length === 0 || options.limit <= 0) return [];
    let query = this.database.db.selectFrom('archive').select(['item_id', 'item']).orderBy('sort_key', 'desc').orderBy('archived_seq', 'desc').limit(options.limit);
    if (options.feedUrls) {
      const feeds = textList(this.database.kind, [...new Set(options.feedUrls)]);
      // On SQLite `+feed_url` keeps the planner on archive_newest: newest first, stopping at the
      // limit (at worst a scan of the capped archive), rather than gathering every item of every
      // listed feed to sort them. With 505 operator feeds that took 10–16 ms of the event loop
      // per /latest; now well under a millisecond. PostgreSQL plans this by its statistics.
      query = this.database.kind === 'sqlite' ? query.where(sql<SqlBool>`+feed_url in ${feeds}`) : query.where('feed_url', 'in', feeds);
    }
    const rows = await query.execute();
    return rows.map((row) => this.reader.json('archive', row.item_id, row.item, newsItemSchema)).filter((item): item is NewsItem => item !== undefined);
  }

  async archivedCount(): Promise<number> {
    const row = await this.database.db.selectFrom('archive').select((eb) => eb.fn.countAll().as('n')).executeTakeFirst();
    return Number(row?.n ?? 0);
  }
}

async function writeFeedStates(db: Kysely<Tables>, states: Array<[string, FeedState]>): Promise<void> {
  for (const part of chunks(states, 2)) {
    // Written as SQL (the same on both engines): every poll of every feed writes its state, and
    // Kysely's upsert builder (an expression builder per row and per conflict clause) cost three
    // times the statement's own run.
    const rows = sql.join(part.map(([url, state]) => sql`(${url}, ${toJson(state)})`));
    await sql`insert into feed_state (url, state) values ${rows} on conflict (url) do update set state = excluded.state`.execute(db);
  }
}

/** The story messages posted since `input.editSince` for on-topic items seen before, with their update counts. */
async function readAnnounced(trx: Kysely<Tables>, input: RecordInput, seen: Set<string>, reader: RowReader): Promise<AnnouncedMessage[]> {
  const ids = [...new Set(input.markedIds ?? [])].filter((id) => seen.has(id));
  if (!input.editSince || ids.length === 0) return [];
  const announced: AnnouncedMessage[] = [];
  for (const part of chunks(ids)) {
    const rows = await trx
      .selectFrom('outbox')
      .select(['channel_id', 'item_id', 'body'])
      .where('item_id', 'in', part)
      .where('kind', '=', 'post')
      .where('state', '<>', 'dead')
      .where('enqueued_at', '>=', input.editSince)
      .execute();
    if (rows.length === 0) continue;
    const counts = await trx
      .selectFrom('message_edits')
      .select(['channel_id', 'item_id', (eb) => eb.fn.countAll().as('n')])
      .where('item_id', 'in', part)
      .where('cause', 'like', `${UPDATE_CAUSE}%`)
      .groupBy(['channel_id', 'item_id'])
      .execute();
    const updates = new Map(counts.map((c) => [`${c.channel_id}\u0000${c.item_id}`, Number(c.n)]));
    for (const row of rows) {
      const body = reader.json('outbox', `${row.channel_id}:${row.item_id}`, row.body, messageBodySchema);
      if (body) announced.push({ channelId: row.channel_id, itemId: row.item_id, body, updates: updates.get(`${row.channel_id}\u0000${row.item_id}`) ?? 0 });
    }
  }
  return announced;
}

async function readKnown(kind: Database['kind'], trx: Kysely<Tables>, input: RecordInput, reader: RowReader): Promise<Known> {
  const seen = new Set<string>();
  if (input.itemIds.length > 0) {
    const ids = textList(kind, [...new Set(input.itemIds)]);
    const { rows } = await sql<{ item_id: string }>`select item_id from seen where feed_url = ${input.feedUrl} and item_id in ${ids}`.execute(trx);
    for (const row of rows) seen.add(row.item_id);
  }
  const marks = new Map<string, StoryMarkRow>();
  const scopes = [...new Set(input.scopes)];
  const keep = (rows: Array<Selectable<Tables['story_marks']>>) => {
    for (const row of rows) marks.set(`${row.scope}\u0000${row.title_hash}\u0000${row.item_id}`, { scope: row.scope, titleHash: row.title_hash, itemId: row.item_id, at: row.at });
  };
  if (scopes.length > 0) {
    // By title (the 48-hour story rule) and by item id (an item a channel holds under another title).
    const inScopes = textList(kind, scopes);
    const titles = [...new Set(input.titleHashes)];
    if (titles.length > 0) keep((await sql<Selectable<Tables['story_marks']>>`select scope, title_hash, item_id, at from story_marks where scope in ${inScopes} and title_hash in ${textList(kind, titles)}`.execute(trx)).rows);
    const ids = [...new Set(input.markedIds ?? input.itemIds)];
    if (ids.length > 0) keep((await sql<Selectable<Tables['story_marks']>>`select scope, title_hash, item_id, at from story_marks where scope in ${inScopes} and item_id in ${textList(kind, ids)}`.execute(trx)).rows);
  }
  const announced = await readAnnounced(trx, input, seen, reader);
  return { seen, marks: [...marks.values()], ...(announced.length > 0 ? { announced } : {}) };
}

async function writePlan(database: Database, trx: Kysely<Tables>, feedUrl: string, plan: RecordPlan<unknown>, archiveLimit: number): Promise<void> {
  await insertSeen(database.kind, trx, feedUrl, plan.seen ?? []);
  await writeMarks(database.kind, trx, plan.marks ?? []);
  await writeArchive(database.kind, trx, plan.archive ?? [], archiveLimit);
  if (plan.outbox) await insertEntries(database, trx, plan.outbox.entries, plan.outbox.now, plan.outbox.maxPostsPerChannel);
  if (plan.feedState) await writeFeedStates(trx, [[feedUrl, plan.feedState]]);
  if (plan.edits) await insertEdits(database.kind, trx, plan.edits.edits, plan.edits.now);
  if (plan.quotes) await insertCandidates(trx, plan.quotes.candidates, plan.quotes.now);
}

// The record step's statements are SQL with lists bound whole (lists.ts): Kysely's builders made
// a node per value and per row, a cost paid on the main thread for every feed of every cycle.
const MARK_COLUMNS: readonly ListColumn[] = [
  ['scope', 'text'],
  ['title_hash', 'text'],
  ['item_id', 'text'],
  ['at', 'text'],
];

async function writeMarks(kind: Database['kind'], trx: Kysely<Tables>, marks: StoryMarkRow[]): Promise<void> {
  if (marks.length === 0) return;
  const list = rowList(kind, MARK_COLUMNS, marks.map((m) => [m.scope, m.titleHash, m.itemId, m.at]));
  await sql`insert into story_marks (scope, title_hash, item_id, at) select scope, title_hash, item_id, at from (${list}) as t where true on conflict do nothing`.execute(trx);
  // Only the newest few per (scope, title) are kept: older ones are outside the 48-hour window.
  const scopes = textList(kind, [...new Set(marks.map((m) => m.scope))]);
  const titles = textList(kind, [...new Set(marks.map((m) => m.titleHash))]);
  await sql`delete from story_marks where (scope, title_hash, item_id) in (
      select scope, title_hash, item_id from (
        select scope, title_hash, item_id, row_number() over (partition by scope, title_hash order by at desc, item_id desc) as place
        from story_marks where scope in ${scopes} and title_hash in ${titles}
      ) ranked where place > ${MARKS_PER_TITLE})`.execute(trx);
}

const ARCHIVE_COLUMNS: readonly ListColumn[] = [
  ['item_id', 'text'],
  ['feed_url', 'text'],
  ['sort_key', 'text'],
  ['archived_seq', 'bigint'],
  ['item', 'text'],
];

async function writeArchive(kind: Database['kind'], trx: Kysely<Tables>, entries: ArchiveEntry[], limit: number): Promise<void> {
  const unique = [...new Map(entries.map((e) => [e.item.id, e])).values()];
  if (unique.length === 0) return;
  const known = new Set<string>();
  const ids = textList(kind, unique.map((e) => e.item.id));
  for (const row of (await sql<{ item_id: string }>`select item_id from archive where item_id in ${ids}`.execute(trx)).rows) known.add(row.item_id);
  const top = (await sql<{ seq: number | string | bigint | null }>`select max(archived_seq) as seq from archive`.execute(trx)).rows[0];
  let seq = Number(top?.seq ?? 0);
  // A known item keeps its archived_seq (the upsert does not touch it): the value here is unused.
  const rows = unique.map((e) => [e.item.id, e.item.feed, e.sortKey, known.has(e.item.id) ? 0 : ++seq, toJson(e.item)]);
  await sql`insert into archive (item_id, feed_url, sort_key, archived_seq, item)
    select item_id, feed_url, sort_key, archived_seq, item from (${rowList(kind, ARCHIVE_COLUMNS, rows)}) as t where true
    on conflict (item_id) do update set feed_url = excluded.feed_url, sort_key = excluded.sort_key, item = excluded.item`.execute(trx);
  if (known.size === unique.length) return;
  const count = (await sql<{ n: number | string | bigint }>`select count(*) as n from archive`.execute(trx)).rows[0];
  const excess = Number(count?.n ?? 0) - limit;
  if (excess <= 0) return;
  await sql`delete from archive where item_id in (select item_id from archive order by archived_seq limit ${excess})`.execute(trx);
}
