// Forum channels (type 15): their tags, and the thread channels that posts and threads become.
import type { APIUser } from 'discord.js';
import { snowflake, type ChannelSpec, type FakeGuild } from './state.ts';
import type { FakeMessage } from './messages.ts';

type Channel = FakeGuild['channels'][number];
export interface ForumTag { id: string; name: string; moderated: boolean; emoji_id: string | null; emoji_name: string | null }
/** A post in a forum, as a test sees it. */
export interface ForumPost { threadId: string; name: string; appliedTags: string[]; message: FakeMessage | undefined }

/** Channel flag REQUIRE_TAG. */
export const REQUIRE_TAG = 1 << 4;
/** Discord's default auto_archive_duration (minutes) when neither the body nor the channel gives one. */
const DEFAULT_ARCHIVE_MINUTES = 4320;

/** available_tags and flags of a forum spec; nothing for other channel types. */
export function forumFields(spec: ChannelSpec): Record<string, unknown> {
  if (spec.type !== 15 && spec.type !== 16) return {};
  const tags: ForumTag[] = (spec.tags ?? []).map((t) => (typeof t === 'string' ? { name: t } : t)).map((t) => ({
    id: t.id ?? snowflake(), name: t.name, moderated: t.moderated ?? false, emoji_id: t.emojiId ?? null, emoji_name: t.emojiName ?? null,
  }));
  return { available_tags: tags, flags: spec.requireTag ? REQUIRE_TAG : 0 };
}

export function tagsOf(channel: Channel): ForumTag[] {
  return ((channel as { available_tags?: ForumTag[] }).available_tags ?? []);
}

export const isForum = (channel: Channel) => channel.type === 15 || channel.type === 16;

export interface ThreadInput {
  parent: Channel;
  guildId: string;
  owner: APIUser;
  body: Record<string, unknown>;
  /** 11 public (forum posts), 12 private, 10 announcement thread. */
  type: number;
  id?: string;
}

/** The thread channel object Discord answers with (and keeps listing in GUILD_CREATE while active). */
export function makeThread({ parent, guildId, owner, body, type, id = snowflake() }: ThreadInput): Channel {
  const now = new Date().toISOString();
  const minutes = typeof body.auto_archive_duration === 'number' ? body.auto_archive_duration
    : ((parent as { default_auto_archive_duration?: number }).default_auto_archive_duration ?? DEFAULT_ARCHIVE_MINUTES);
  const thread: Record<string, unknown> = {
    id, type, guild_id: guildId, parent_id: parent.id, owner_id: owner.id, name: String(body.name),
    last_message_id: null, rate_limit_per_user: typeof body.rate_limit_per_user === 'number' ? body.rate_limit_per_user : 0, flags: 0,
    message_count: 0, member_count: 1, total_message_sent: 0,
    thread_metadata: { archived: false, auto_archive_duration: minutes, archive_timestamp: now, locked: false, create_timestamp: now },
  };
  if (isForum(parent)) thread.applied_tags = Array.isArray(body.applied_tags) ? body.applied_tags.map(String) : [];
  if (type === 12) (thread.thread_metadata as Record<string, unknown>).invitable = body.invitable !== false;
  return thread as unknown as Channel;
}
