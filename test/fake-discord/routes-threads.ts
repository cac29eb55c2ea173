// Threads: forum posts (a thread plus its first message) and message-less threads in text channels.
import { PermissionFlagsBits as P } from 'discord.js';
import { forumThreadIssues, formatIssues, toDiscordErrors } from '../support/discord-schema.ts';
import { isForum, makeThread, REQUIRE_TAG, tagsOf } from './forums.ts';
import { errors } from './http.ts';
import { makeMessage } from './messages.ts';
import type { Call, Route } from './rest.ts';
import type { World } from './world.ts';

const TEXT = 0;
const ANNOUNCEMENT = 5;

export function threadRoutes(world: World): Route[] {
  const channelOf = (c: Call) => {
    const found = world.channel(c.params.channel!);
    if (!found) throw errors.unknownChannel();
    if (!(world.botPermissions(found.channel.id) & P.ViewChannel)) throw errors.missingAccess();
    return found;
  };
  const invalid = (path: string, code: string, message: string) => {
    const issues = [{ path, code, message }];
    return Object.assign(errors.invalidForm(toDiscordErrors(issues)), { reasons: formatIssues(issues) });
  };

  /** A forum post: the thread's id is also its first message's id, as on Discord. */
  const post = (c: Call, found: NonNullable<ReturnType<World['channel']>>) => {
    const { channel: forum, guild } = found;
    // Rest validated bodies with a `message`; one without it is still a forum body missing its message.
    const issues = forumThreadIssues(c.body, c.files.length);
    if (issues.length) throw Object.assign(errors.invalidForm(toDiscordErrors(issues)), { reasons: formatIssues(issues) });
    if (!(world.botPermissions(forum.id) & P.SendMessages)) throw errors.missingPermissions();
    const applied = Array.isArray(c.body.applied_tags) ? c.body.applied_tags.map(String) : [];
    const known = new Set(tagsOf(forum).map((t) => t.id));
    // Discord documents no error for a tag the forum lacks; the fake refuses it as a form error on that tag.
    applied.forEach((id, i) => { if (!known.has(id)) throw invalid(`/applied_tags/${i}`, 'FORUM_TAG_UNKNOWN', `Unknown tag ${id}`); });
    if (applied.length === 0 && ((forum.flags ?? 0) & REQUIRE_TAG)) throw errors.tagRequired();
    const thread = makeThread({ parent: forum, guildId: guild.id, owner: world.bot, body: c.body, type: 11 });
    const message = makeMessage(c.body.message as Record<string, unknown>, { channelId: thread.id, guildId: guild.id, author: world.bot, files: c.files });
    message.id = thread.id;
    (thread as { last_message_id: string | null }).last_message_id = message.id;
    guild.threads.push(thread);
    world.messages.add(message);
    return { status: 201, body: { ...thread, message } };
  };

  return [{
    // The guild's active threads the bot can see (Discord answers with thread members too; none here).
    method: 'GET', pattern: '/guilds/:guild/threads/active',
    handle: (c) => {
      const guild = world.guild(c.params.guild!);
      if (!guild) throw errors.unknownGuild();
      const visible = guild.threads.filter((t) => !(t as { thread_metadata?: { archived?: boolean } }).thread_metadata?.archived && world.botPermissions(t.id) & P.ViewChannel);
      return { status: 200, body: { threads: visible, members: [] } };
    },
  }, {
    method: 'POST', pattern: '/channels/:channel/threads', precheck: (c) => void channelOf(c),
    handle: (c) => {
      const found = channelOf(c);
      if (isForum(found.channel)) return post(c, found);
      if (found.channel.type !== TEXT && found.channel.type !== ANNOUNCEMENT) throw errors.wrongChannelType();
      // Without a message: a private thread unless `type` says otherwise; announcement channels get type 10.
      const type = found.channel.type === ANNOUNCEMENT ? 10 : typeof c.body.type === 'number' ? c.body.type : 12;
      const permission = type === 12 ? P.CreatePrivateThreads : P.CreatePublicThreads;
      if (!(world.botPermissions(found.channel.id) & permission)) throw errors.missingPermissions();
      const thread = makeThread({ parent: found.channel, guildId: found.guild.id, owner: world.bot, body: c.body, type });
      found.guild.threads.push(thread);
      return { status: 201, body: thread };
    },
  }];
}
