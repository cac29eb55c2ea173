/**
 * The shapes the SQL store keeps, each with the zod schema its reads are checked against: a row
 * written by a bug, a hand edit or a newer bot is skipped with a warning instead of stopping the
 * bot. Objects are loose (unknown fields pass through) so a field added later survives a rewrite;
 * each schema is typed as its domain type, so the compiler checks the two agree.
 */
import { z } from 'zod';
import type { FeedState } from '../../engine/feed-state.ts';
import type { MessageBody } from '../../engine/format.ts';
import type { NewsItem } from '../../engine/types.ts';
import type { Quote } from '../quotes.ts';
import type { GuildSettings, PollRecord } from '../settings.ts';

/** FeedState is the engine's (src/engine/feed-state.ts); the schema below is typed against it. */
export type { FeedState, MessageBody, NewsItem, Quote, PollRecord };

const text = z.string();
const optional = z.string().optional();

export const feedStateSchema: z.ZodType<FeedState> = z.looseObject({
  validators: z.looseObject({ etag: optional, lastModified: optional, bodyHash: optional }).optional(),
  initialized: z.boolean().optional(),
  lastSuccess: optional,
  lastAttempt: optional,
  consecutiveFailures: z.number().optional(),
  lastError: optional,
  nextAttemptAt: optional,
  retryAfterUntil: optional,
  paused: z.boolean().optional(),
  pausedAt: optional,
  pausedReason: optional,
});

export const newsItemSchema: z.ZodType<NewsItem> = z.looseObject({
  id: text,
  feed: text,
  source: text,
  title: text,
  link: optional,
  summary: text,
  fullText: optional,
  published: optional,
  author: optional,
  image: optional,
  guid: optional,
});

const embedSchema = z.looseObject({
  title: text,
  url: optional,
  description: optional,
  color: z.number(),
  timestamp: optional,
  footer: z.looseObject({ text }),
  author: z.looseObject({ name: text }).optional(),
  image: z.looseObject({ url: text }).optional(),
});

export const messageBodySchema: z.ZodType<MessageBody> = z.looseObject({
  content: optional,
  embeds: z.array(embedSchema),
  allowed_mentions: z.looseObject({
    parse: z.array(z.enum(['roles', 'users', 'everyone'])),
    roles: z.array(text).optional(),
    users: z.array(text).optional(),
  }),
});

export const quoteSchema: z.ZodType<Quote> = z.looseObject({
  id: text,
  speaker: text,
  role: optional,
  date: text,
  text,
  context: optional,
  source: z.looseObject({ title: text, url: optional, date: optional, via: optional }),
  addedBy: optional,
});

export const pollRecordSchema: z.ZodType<PollRecord> = z.looseObject({
  at: text,
  feeds: z.number(),
  failed: z.number(),
  announced: z.number(),
});

/** guild_settings.extra: room for per-server options added later without a migration. */
export const extraSchema = z.record(z.string(), z.unknown());

/** What a server chose with /setup, plus free-form extras. */
export interface ServerSettings extends GuildSettings {
  extra?: Record<string, unknown>;
}

/** A feed a server added with /feeds add: it announces only in that server. */
export interface GuildFeed {
  guildId: string;
  url: string;
  addedAt: string;
  addedBy?: string;
  /** Declared about Alita with /feeds add about_alita: its items need only the sequel. */
  aboutAlita?: boolean;
}
