// What a test reads from (and plants in) the fake's world: ids by name, posted and published
// messages, forum posts, members' roles, and the fake's clock. FakeDiscord extends this.
import type { APIUser } from 'discord.js';
import { tagsOf, type ForumPost } from './forums.ts';
import { makeMessage, type FakeMessage } from './messages.ts';
import type { StoredCommand, World } from './world.ts';

export class WorldView {
  constructor(readonly world: World) {}

  get applicationId(): string { return this.world.applicationId; }
  get botUser(): APIUser { return this.world.bot; }
  /** The first (by default the only) guild. */
  get guild() { return this.world.guilds[0]!; }
  get guilds() { return this.world.guilds; }
  channelId(name: string, guildId?: string): string { return this.world.channelId(name, guildId); }
  roleId(name: string, guildId?: string): string { return this.world.roleId(name, guildId); }

  /** Messages the bot posted to a channel (POST /channels/{id}/messages), in order; optionally also visible interaction replies. */
  messages(channelId: string, options: { includeInteractions?: boolean } = {}): FakeMessage[] {
    return this.world.messages.list(channelId, options.includeInteractions).filter((m) => m.author.id === this.world.bot.id);
  }

  /** A message as it is now (after edits, publishing…), whoever wrote it. */
  message(channelId: string, messageId: string): FakeMessage | undefined {
    return this.world.messages.find(channelId, messageId);
  }

  /** Bodies of the accepted edits of a message (PATCH, interaction updates), oldest first. */
  messageEdits(messageId: string): Record<string, unknown>[] { return this.world.messages.edits(messageId); }
  editCount(messageId: string): number { return this.world.messages.edits(messageId).length; }

  /** A user (default: the default user) posts in a channel, e.g. so the bot can try to edit or publish it. */
  postAsUser(channelId: string, body: { content?: string; embeds?: unknown[]; components?: unknown[] }, userId?: string): FakeMessage {
    const found = this.world.channel(channelId);
    if (!found) throw new Error(`fake Discord has no channel ${channelId}`);
    const author = userId ? this.world.findUser(userId) : this.world.defaultUser;
    if (!author) throw new Error(`fake Discord has no user ${userId}`);
    return this.world.messages.add(makeMessage(body, { channelId, guildId: found.guild.id, author }));
  }

  /** Registered commands: global ones, or a guild's. */
  commands(guildId?: string): StoredCommand[] { return this.world.commands(guildId ?? 'global'); }

  /** Ids of the messages published (crossposted) from an announcement channel, in order. */
  published(channelId: string): string[] { return this.world.publishing.published(channelId); }

  /** Posts made in a forum, in order: thread id and name, applied tag ids, first message. */
  forumPosts(forumId: string): ForumPost[] {
    const found = this.world.channel(forumId);
    return (found?.guild.threads ?? []).filter((t) => (t as { parent_id?: string | null }).parent_id === forumId).map((t) => ({
      threadId: t.id, name: t.name, appliedTags: [...((t as { applied_tags?: string[] }).applied_tags ?? [])],
      message: this.world.messages.find(t.id, t.id),
    }));
  }

  /** A forum tag's id, by forum (name or id) and tag name. */
  tagId(forum: string, tagName: string): string {
    const found = this.world.channel(forum) ?? this.world.channel(this.world.channelId(forum));
    const tag = found && tagsOf(found.channel).find((t) => t.name === tagName);
    if (!tag) throw new Error(`fake Discord: forum "${forum}" has no tag "${tagName}"`);
    return tag.id;
  }

  /** A member's role ids in a guild (default: the first guild); undefined if they are not a member. */
  memberRoles(userId: string, guildId = this.guild.id): string[] | undefined {
    const roles = this.world.member(guildId, userId)?.roles;
    return roles ? [...roles] : undefined;
  }

  /** Moves the fake's clock forward (e.g. an hour, so the publishing limit frees up) without waiting. */
  advanceTime(ms: number): void { this.world.clock.advance(ms); }
  /** The fake's current time in ms: Date.now() plus everything advanceTime skipped. */
  now(): number { return this.world.clock.now(); }

  /** Waits until `count` messages were posted to the channel. */
  async waitForMessages(channelId: string, count = 1, timeoutMs = 90_000): Promise<FakeMessage[]> {
    const deadline = Date.now() + timeoutMs;
    while (this.messages(channelId).length < count) {
      if (Date.now() > deadline) throw new Error(`expected ${count} message(s) in ${channelId}, got ${this.messages(channelId).length} after ${timeoutMs} ms`);
      await new Promise((r) => setTimeout(r, 20));
    }
    return this.messages(channelId);
  }
}
