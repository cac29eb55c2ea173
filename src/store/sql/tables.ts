/**
 * The Kysely table types: what each column holds as the driver returns it. JSON lives in text
 * columns on both engines (parsed and validated on read, see rows.ts); times are ISO strings
 * (they sort as text) except the lease's expiry, a bigint of milliseconds (pg returns it as a string).
 */
import type { ColumnType, Generated } from 'kysely';

/** int8 / count(*): pg gives a string, better-sqlite3 a number. */
type BigIntColumn = ColumnType<string | number, number, number>;

export interface SchemaMigrationsTable {
  version: number;
  name: string;
  applied_at: string;
}

export interface FeedStateTable {
  url: string;
  /** JSON FeedState */
  state: string;
}

export interface SeenTable {
  feed_url: string;
  item_id: string;
  first_seen: string;
  /** 0 or 1 (SQLite has no boolean) */
  relevant: number;
}

export interface StoryMarksTable {
  /** A channel id, or 'archive' for the archive's own story de-duplication. */
  scope: string;
  title_hash: string;
  item_id: string;
  at: string;
}

export interface ArchiveTable {
  item_id: string;
  feed_url: string;
  sort_key: string;
  /** Arrival order: the earliest archived are dropped beyond the limit. An edit keeps it. */
  archived_seq: BigIntColumn;
  /** JSON NewsItem */
  item: string;
}

export interface OutboxTable {
  id: Generated<number>;
  channel_id: string;
  item_id: string;
  guild_id: string | null;
  title: string;
  /** JSON MessageBody */
  body: string;
  /** The poll cycle that queued it ('' when none). */
  batch: string;
  /** The item's date ('' when none). */
  at: string;
  /** Added by migration 2. */
  kind: ColumnType<string, 'post' | 'digest' | undefined, 'post' | 'digest'>;
  state: ColumnType<string, 'pending' | 'delivered' | 'dead' | undefined, 'pending' | 'delivered' | 'dead'>;
  enqueued_at: string;
  attempts: ColumnType<number, number | undefined, number>;
  next_attempt_at: string | null;
  last_error: string | null;
  finished_at: string | null;
  reason: string | null;
  /** Added by migration 4: the message a delivery made, and its publish (crosspost). */
  message_id: string | null;
  publish: ColumnType<string, 'no' | 'pending' | 'done' | 'failed' | undefined, 'no' | 'pending' | 'done' | 'failed'>;
  publish_after: string | null;
  published_at: string | null;
  publish_attempts: ColumnType<number, number | undefined, number>;
  publish_error: string | null;
}

/** Migration 4: edits of announced messages ("Also reported by"), delivered like posts. */
export interface MessageEditsTable {
  id: Generated<number>;
  channel_id: string;
  /** The announced item whose message is edited. */
  item_id: string;
  /** What caused the edit (another outlet's item id): one row per cause. */
  cause: string;
  /** JSON: the outlet to add ({ source, link? }). */
  payload: string;
  state: ColumnType<string, 'pending' | 'done' | 'dead' | undefined, 'pending' | 'done' | 'dead'>;
  attempts: ColumnType<number, number | undefined, number>;
  next_attempt_at: string | null;
  last_error: string | null;
  enqueued_at: string;
}

export interface GuildSettingsTable {
  guild_id: string;
  channel_id: string;
  role_id: string | null;
  updated_at: string;
  updated_by: string | null;
  /** JSON object or null */
  extra: string | null;
  /** /setup publish (migration 4): 1, 0, or null for the default. */
  publish: number | string | null;
  /** /setup button (migration 4): 1, 0, or null for the default. */
  notify_button: number | string | null;
  /** /setup mode:digest (migration 4): the UTC hour of the daily digest, or null for a post per story. */
  digest_hour: number | string | null;
}

/** Migration 5: a server's choice to turn its quote review queue off (no row: on). */
export interface QuoteReviewTable {
  guild_id: string;
  enabled: number | string;
  updated_at: string;
  updated_by: string | null;
}

/** Migration 5: quotations found in announced stories, per server, for review. */
export interface QuoteCandidatesTable {
  id: Generated<number>;
  guild_id: string;
  /** Speaker and words, folded: the same quotation from any outlet. */
  key: string;
  speaker: string;
  text: string;
  context: string;
  item_id: string;
  link: string | null;
  title: string;
  outlet: string;
  /** The story's published date (else when found): the earliest source is kept. */
  published: string;
  state: ColumnType<string, 'pending' | 'approved' | 'rejected' | undefined, 'pending' | 'approved' | 'rejected'>;
  found_at: string;
  decided_at: string | null;
  decided_by: string | null;
}

export interface GuildFeedsTable {
  guild_id: string;
  url: string;
  added_at: string;
  added_by: string | null;
  /** 1 when the server declared it about Alita (migration 3). */
  about_alita: Generated<number>;
}

export interface LeasesTable {
  name: string;
  holder: string;
  /** Milliseconds since the epoch, in the database's clock on PostgreSQL. */
  expires_at: BigIntColumn;
}

export interface StatusTable {
  key: string;
  /** JSON */
  value: string;
}

export interface KeyvTable {
  /** `namespace:key`, as Keyv hands it to its store. */
  key: string;
  /** Keyv's own serialisation: JSON `{ value, expires }`. */
  value: string;
}

export interface Tables {
  schema_migrations: SchemaMigrationsTable;
  feed_state: FeedStateTable;
  seen: SeenTable;
  story_marks: StoryMarksTable;
  archive: ArchiveTable;
  outbox: OutboxTable;
  guild_settings: GuildSettingsTable;
  message_edits: MessageEditsTable;
  quote_candidates: QuoteCandidatesTable;
  quote_review: QuoteReviewTable;
  guild_feeds: GuildFeedsTable;
  leases: LeasesTable;
  status: StatusTable;
  keyv: KeyvTable;
}
