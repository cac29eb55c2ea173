import { createHash } from 'node:crypto';
import { InteractionContextType, PermissionFlagsBits, SlashCommandBuilder } from 'discord.js';
import { privately, refuseUnlessModerator, type Choice, type Command, type CommandReply, type CommandRequest } from '../src/bot/command.ts';
import type { BotContext, FeedCheck } from '../src/bot/context.ts';
import { codeSpan, humanDate, humanDuration } from '../src/bot/text.ts';
import { describeError } from '../src/engine/errors.ts';
import { escapeDiscordText } from '../src/engine/format.ts';
import { truncateAtWord } from '../src/engine/text.ts';
import type { FeedState } from '../src/store/news-store.ts';
import type { AddedFeed } from '../src/store/settings.ts';

const CONTENT_LIMIT = 2000;
/** Discord caps a choice's name and value at 100 characters. */
const CHOICE_LIMIT = 100;
const URL_OPTION_MAX = 1000;

export const data = new SlashCommandBuilder()
  .setName('feeds')
  .setDescription('List, add or remove the news feeds the bot polls')
  .setDefaultMemberPermissions(PermissionFlagsBits.ManageGuild)
  .setContexts(InteractionContextType.Guild)
  .addSubcommand((sub) => sub.setName('list').setDescription('Every feed the bot polls, and how each one is doing'))
  .addSubcommand((sub) =>
    sub
      .setName('add')
      .setDescription('Add an RSS or Atom feed (it is fetched once now to check it)')
      .addStringOption((option) =>
        option.setName('url').setDescription('The feed address, http:// or https://').setRequired(true).setMaxLength(URL_OPTION_MAX),
      ),
  )
  .addSubcommand((sub) =>
    sub
      .setName('remove')
      .setDescription('Remove a feed added with /feeds add')
      .addStringOption((option) =>
        option.setName('url').setDescription('The feed to remove').setRequired(true).setAutocomplete(true).setMaxLength(URL_OPTION_MAX),
      ),
  );

/** A URL in angle brackets: clickable, no preview embed, and nothing in it can close the brackets. */
export function showUrl(url: string): string {
  const safe = url.replace(/[<>\s]/g, (c) => encodeURIComponent(c));
  return `<${Array.from(safe).length > 400 ? `${Array.from(safe).slice(0, 399).join('')}…` : safe}>`;
}

/** The form feeds are stored and compared in, so "HTTPS://Example.com" and "https://example.com/" match. */
export function canonicalFeedUrl(text: string): string | undefined {
  try {
    return new URL(text.trim()).href;
  } catch {
    return undefined;
  }
}

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

/** One line on how a feed is doing, from what the poll cycle recorded. */
export function feedHealth(state: FeedState | undefined, now: Date): string {
  if (!state?.lastAttempt && !state?.lastSuccess) return 'not polled yet';
  const ago = (iso: string) => `${humanDuration(now.getTime() - Date.parse(iso))} ago`;
  const failures = state.consecutiveFailures ?? 0;
  if (failures === 0) return state.lastSuccess ? `OK, last read ${ago(state.lastSuccess)}` : 'OK';
  const error = state.lastError ? `: ${codeSpan(truncateAtWord(state.lastError, 150))}` : '';
  const since = state.lastSuccess ? `last read ${ago(state.lastSuccess)}` : 'never read';
  return `⚠️ ${plural(failures, 'failure')} in a row, ${since}${error}`;
}

/** As many lines as fit in one message; only entry lines count towards "…and N more". */
export function fitLines(lines: Array<{ text: string; entry: boolean }>, limit = CONTENT_LIMIT): string {
  const total = lines.filter((l) => l.entry).length;
  const kept: string[] = [];
  let length = 0;
  let shown = 0;
  for (const [i, line] of lines.entries()) {
    // Every kept line leaves room for the closing "…and N more", so it always fits.
    const reserve = i < lines.length - 1 ? `\n…and ${total} more`.length : 0;
    if (length + (kept.length ? 1 : 0) + line.text.length + reserve > limit) {
      kept.push(total > shown ? `…and ${total - shown} more` : '…');
      return kept.join('\n');
    }
    kept.push(line.text);
    length += (kept.length > 1 ? 1 : 0) + line.text.length;
    if (line.entry) shown++;
  }
  return kept.join('\n');
}

/** Pure: the /feeds list reply. `states` maps a feed URL to what the poller last recorded. */
export function feedsListReply(
  operatorFeeds: string[],
  addedFeeds: AddedFeed[],
  states: ReadonlyMap<string, FeedState | undefined>,
  now: Date,
): CommandReply {
  const lines: Array<{ text: string; entry: boolean }> = [];
  const entry = (url: string, extra = '') => ({ text: `• ${showUrl(url)}${extra} — ${feedHealth(states.get(url), now)}`, entry: true });
  lines.push({ text: `**Operator feeds** (${operatorFeeds.length}; set in the bot's configuration, not removable here)`, entry: false });
  if (operatorFeeds.length === 0) lines.push({ text: 'none', entry: false });
  for (const url of operatorFeeds) lines.push(entry(url));
  lines.push({ text: `**Added feeds** (${addedFeeds.length}; /feeds add and /feeds remove)`, entry: false });
  if (addedFeeds.length === 0) lines.push({ text: 'none yet', entry: false });
  for (const feed of addedFeeds) {
    const by = feed.addedBy ? ` by <@${feed.addedBy}>` : '';
    lines.push(entry(feed.url, `, added${by} ${humanDate(feed.addedAt)}`));
  }
  return privately(fitLines(lines));
}

/** `backfill` is BACKFILL: how many on-topic items a new feed's first poll announces. */
export function feedAddedReply(url: string, check: FeedCheck, backfill = 0): CommandReply {
  const title = check.title ? ` (${escapeDiscordText(truncateAtWord(check.title, 100))})` : '';
  const counts = `${plural(check.items, 'item')}, ${check.onTopic} on topic`;
  let note: string;
  if (check.items === 0) note = 'It is empty right now; it will be polled anyway.';
  else if (check.onTopic === 0) note = 'Nothing in it is about the Alita sequel right now; it will be polled anyway.';
  else if (backfill === 0) note = 'What is in it now will not be announced; new items will.';
  else note = `Up to ${Math.min(backfill, check.onTopic)} of its current on-topic items will be announced at the next poll, then new ones.`;
  return privately(`Added ${showUrl(url)}${title}: ${counts}. ${note}`);
}

function urlOption(request: CommandRequest): string {
  return typeof request.options.url === 'string' ? request.options.url.trim() : '';
}

async function operatorFeeds(ctx: BotContext): Promise<string[]> {
  return (await ctx.feeds()).filter((f) => f.trusted).map((f) => f.url);
}

/** Finds a feed by what was typed, allowing for a different spelling of the same URL. */
function sameFeed(urls: string[], wanted: string): string | undefined {
  const canonical = canonicalFeedUrl(wanted) ?? wanted;
  return urls.find((url) => url === wanted || (canonicalFeedUrl(url) ?? url) === canonical);
}

/** Choice values are capped at 100 characters, so longer URLs travel as a short digest. */
export function feedToken(url: string): string {
  return url.length <= CHOICE_LIMIT ? url : `feed:${createHash('sha256').update(url).digest('hex').slice(0, 16)}`;
}

export function feedChoices(added: AddedFeed[], typed: string): Choice[] {
  const needle = typed.trim().toLowerCase();
  return added
    .filter((f) => f.url.toLowerCase().includes(needle))
    .slice(0, 25)
    .map((f) => {
      const chars = Array.from(f.url);
      const name = chars.length <= CHOICE_LIMIT ? f.url : `${chars.slice(0, 60).join('')}…${chars.slice(-(CHOICE_LIMIT - 61)).join('')}`;
      return { name, value: feedToken(f.url) };
    });
}

async function add(request: CommandRequest, ctx: BotContext): Promise<CommandReply> {
  const typed = urlOption(request);
  if (!typed) return privately('Give the feed address, e.g. /feeds add url:https://example.com/feed.xml');
  const url = canonicalFeedUrl(typed);
  if (!url) return privately(`Could not add that feed: not a valid URL (${codeSpan(truncateAtWord(typed, 200))}). Use a full http:// or https:// address.`);
  // Even where private feeds are allowed: the URL is stored and shown back in /feeds list.
  const parsed = new URL(url);
  if (parsed.username || parsed.password) return privately('Could not add that feed: feed URLs with a user name or password are not allowed.');
  const operator = sameFeed(await operatorFeeds(ctx), url);
  if (operator) return privately(`${showUrl(operator)} is already polled: it is one of the operator's feeds.`);
  const existing = (await ctx.settings.addedFeeds()).find((f) => f.url === url);
  if (existing) {
    const by = existing.addedBy ? ` by <@${existing.addedBy}>` : '';
    return privately(`${showUrl(url)} was already added${by} ${humanDate(existing.addedAt)}. /feeds list shows how it is doing.`);
  }

  let check: FeedCheck;
  try {
    check = await ctx.checkFeed(url);
  } catch (error) {
    ctx.logger.info('feed refused', { url, by: request.userId, reason: describeError(error) });
    return privately(`Could not add ${showUrl(url)}: ${codeSpan(describeError(error))}`);
  }
  const fresh = await ctx.settings.addFeed({ url, addedAt: ctx.clock().toISOString(), addedBy: request.userId, guildId: request.guildId });
  // Another moderator may have added it while this one was being fetched.
  if (!fresh) return privately(`${showUrl(url)} was already added.`);
  ctx.logger.info('feed added', { url, by: request.userId, guild: request.guildId, items: check.items, onTopic: check.onTopic });
  return feedAddedReply(url, check, ctx.config.BACKFILL);
}

async function remove(request: CommandRequest, ctx: BotContext): Promise<CommandReply> {
  const typed = urlOption(request);
  if (!typed) return privately('Give the feed to remove; start typing and pick one of the added feeds.');
  const added = (await ctx.settings.addedFeeds()).map((f) => f.url);
  const url = added.find((u) => feedToken(u) === typed) ?? sameFeed(added, typed);
  if (!url) {
    const operator = sameFeed(await operatorFeeds(ctx), typed);
    if (operator) {
      return privately(`${showUrl(operator)} is one of the operator's feeds (FEEDS or data/feeds.json): it cannot be removed from Discord. Ask whoever runs the bot.`);
    }
    return privately(`${showUrl(typed)} is not an added feed. /feeds list shows them.`);
  }
  await ctx.settings.removeFeed(url);
  ctx.logger.info('feed removed', { url, by: request.userId, guild: request.guildId });
  const stillOperator = sameFeed(await operatorFeeds(ctx), url);
  const tail = stillOperator ? ' It is also an operator feed, so it is still polled.' : ' It will not be polled any more.';
  return privately(`Removed ${showUrl(url)}.${tail}`);
}

async function list(ctx: BotContext): Promise<CommandReply> {
  const operator = await operatorFeeds(ctx);
  const added = await ctx.settings.addedFeeds();
  const urls = [...new Set([...operator, ...added.map((f) => f.url)])];
  const states = new Map(await Promise.all(urls.map(async (url) => [url, await ctx.news.getFeedState(url)] as const)));
  return feedsListReply(operator, added, states, ctx.clock());
}

export const feeds = {
  data,
  moderator: true,
  // add fetches the feed before answering.
  slow: true,
  async execute(request, ctx) {
    const refused = refuseUnlessModerator(request);
    if (refused) return refused;
    switch (request.subcommand) {
      case 'list':
        return list(ctx);
      case 'add':
        return add(request, ctx);
      case 'remove':
        return remove(request, ctx);
      default:
        return privately('Use /feeds list, /feeds add or /feeds remove.');
    }
  },
  async autocomplete(request, ctx) {
    if (request.subcommand !== 'remove' || request.focused !== 'url') return [];
    return feedChoices(await ctx.settings.addedFeeds(), request.value);
  },
} satisfies Command;

export const execute = feeds.execute;
export default feeds;
