import { SlashCommandBuilder } from 'discord.js';
import type { Command, CommandReply } from '../src/bot/command.ts';
import { fitLines, length, REPLY_LIMITS } from '../src/bot/reply-limits.ts';
import { humanDuration } from '../src/bot/text.ts';
import { escapeDiscordText } from '../src/engine/format.ts';
import { truncateAtWord } from '../src/engine/text.ts';
import type { DeadLetter, OutboxCounts } from '../src/store/sql/outbox.ts';
import type { FeedState, PollRecord } from '../src/store/sql/types.ts';

/** How many of the newest dead letters are read to find this server's few. */
const DEAD_LETTERS_READ = 100;

export const data = new SlashCommandBuilder().setName('status').setDescription('How the bot is doing: uptime, last poll, feed health, queue');

export interface StatusInput {
  now: Date;
  startedAt: Date;
  lastPoll?: PollRecord;
  /** The operator's feeds and this server's own (never another server's). */
  feeds: Array<{ url: string; state?: FeedState }>;
  /** The whole bot's queue: counts only, nothing of any server's in it. */
  outbox: OutboxCounts;
  /** This server's dead letters, newest first. */
  deadLetters: DeadLetter[];
}

function ago(now: Date, iso: string | undefined): string {
  return iso ? `${humanDuration(now.getTime() - Date.parse(iso))} ago` : 'never';
}

/** "retrying in 20 min": when the poll cycle will try a backing-off or paused feed again. */
function retryLine(now: Date, state: FeedState): string {
  const at = Math.max(Date.parse(state.nextAttemptAt ?? '') || 0, Date.parse(state.retryAfterUntil ?? '') || 0);
  const verb = state.paused ? 'next try' : 'retrying';
  const asked = state.retryAfterUntil && Date.parse(state.retryAfterUntil) > now.getTime() ? ' (the site asked to wait)' : '';
  return at > now.getTime() ? `; ${verb} in ${humanDuration(at - now.getTime())}${asked}` : `; ${verb} at the next poll`;
}

/** A stored error can quote a server's whole answer: one readable line is enough here. */
const reason = (text: string) => escapeDiscordText(truncateAtWord(text, 150));

function feedLine(now: Date, url: string, state: FeedState | undefined): string {
  const name = escapeDiscordText(truncateAtWord(url, 80));
  if (!state?.lastAttempt) return `⏳ ${name}: not polled yet`;
  if (state.paused) {
    return `⏸️ ${name}: paused since ${ago(now, state.pausedAt)} (${reason(state.pausedReason ?? state.lastError ?? 'repeated failures')})${retryLine(now, state)}; last success ${ago(now, state.lastSuccess)}`;
  }
  const failures = state.consecutiveFailures ?? 0;
  if (failures === 0) return `✅ ${name}: ok, ${ago(now, state.lastSuccess)}`;
  const retry = state.nextAttemptAt || state.retryAfterUntil ? retryLine(now, state) : '';
  return `⚠️ ${name}: ${failures} failure${failures === 1 ? '' : 's'} in a row (${reason(state.lastError ?? 'unknown')})${retry}; last success ${ago(now, state.lastSuccess)}`;
}

/** Pure: what /status shows. */
export function statusReply(input: StatusInput): CommandReply {
  const { now } = input;
  // Paused feeds first: they need a moderator's eye and must not hide behind the 15-line cut.
  const paused = input.feeds.filter((f) => f.state?.paused);
  const shown = [...paused, ...input.feeds.filter((f) => !f.state?.paused)].slice(0, 15);
  const poll = input.lastPoll
    ? `${ago(now, input.lastPoll.at)}: ${input.lastPoll.feeds} feed${input.lastPoll.feeds === 1 ? '' : 's'}, ${input.lastPoll.failed} failed, ${input.lastPoll.announced} new`
    : 'not yet';
  const head = [
    `**Uptime:** ${humanDuration(now.getTime() - input.startedAt.getTime())}`,
    `**Last poll:** ${poll}`,
    `**Outbox (all servers):** ${input.outbox.pending} waiting${input.outbox.retrying ? ` (${input.outbox.retrying} retrying)` : ''}, ${input.outbox.dead} dead-lettered${input.outbox.publishing ? `, ${input.outbox.publishing} posted and waiting to be published (Discord allows 10 an hour per channel)` : ''}`,
    '',
    `**Feeds (${input.feeds.length}${paused.length ? `, ${paused.length} paused` : ''})**`,
  ].join('\n');
  let dead = '';
  if (input.deadLetters.length > 0) {
    const letters = input.deadLetters.slice(0, 5).map((d) => `• ${escapeDiscordText(truncateAtWord(d.title, 80))}: ${reason(d.reason)}`);
    dead = `\n\n**Not delivered here** (Discord refused these; they are not retried)\n${fitLines(letters, 1500, { omitted: input.deadLetters.length - letters.length })}`;
  }
  // Feeds get the room the rest leaves, in whole lines, the ones left out counted in "…and N more".
  const room = REPLY_LIMITS.description - length(head) - length(dead) - 1;
  const feeds = fitLines(shown.map((f) => feedLine(now, f.url, f.state)), room, { omitted: input.feeds.length - shown.length });
  const description = `${head}${feeds ? `\n${feeds}` : ''}${dead}`;
  return { embeds: [{ title: 'Alita Army news bot status', description, color: 0x2ecc71, footer: { text: now.toISOString() } }], ephemeral: true };
}

export const status = {
  data,
  async execute(request, ctx) {
    const urls = await ctx.visibleFeeds(request.guildId);
    const states = await ctx.news.getFeedStates(urls);
    // Dead letters name a server's channel and what failed there: each server sees only its own.
    const dead = (await ctx.outbox.deadLetters(DEAD_LETTERS_READ)).filter((d) => d.guildId === request.guildId);
    return statusReply({
      now: ctx.clock(),
      startedAt: ctx.startedAt,
      lastPoll: await ctx.settings.lastPoll(),
      feeds: urls.map((url) => ({ url, state: states.get(url) })),
      outbox: await ctx.outbox.counts(),
      deadLetters: dead,
    });
  },
} satisfies Command;

export const execute = status.execute;
export default status;
