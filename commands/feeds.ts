import { createHash } from 'node:crypto';
import { InteractionContextType, PermissionFlagsBits, SlashCommandBuilder } from 'discord.js';
import { privately, refuseUnlessModerator, type Choice, type Command, type CommandReply, type CommandRequest } from '../src/bot/command.ts';
import { archiveChecked } from '../src/bot/archive-checked.ts';
import type { BotContext, FeedCheck } from '../src/bot/context.ts';
import { fitLines, REPLY_LIMITS } from '../src/bot/reply-limits.ts';
import { codeSpan, humanDate, humanDuration, showUrl } from '../src/bot/text.ts';
import { describeError } from '../src/engine/errors.ts';
import { escapeDiscordText } from '../src/engine/format.ts';
import { truncateAtWord } from '../src/engine/text.ts';
import type { GuildFeed } from '../src/store/sql/settings.ts';
import type { FeedState } from '../src/store/sql/types.ts';

/** Discord caps a choice's name and value at 100 characters. */
const CHOICE_LIMIT = 100;
const URL_OPTION_MAX = 1000;

export const data = new SlashCommandBuilder()
  .setName('feeds')
  .setDescription("List, add or remove this server's news feeds")
  .setDefaultMemberPermissions(PermissionFlagsBits.ManageGuild)
  .setContexts(InteractionContextType.Guild)
  .addSubcommand((sub) => sub.setName('list').setDescription("The operator's feeds and this server's own, and how each one is doing"))
  .addSubcommand((sub) =>
    sub
      .setName('add')
      .setDescription('Add an RSS or Atom feed for this server (it is fetched once now to check it)')
      .addStringOption((option) => option.setName('url').setDescription('The feed address, http:// or https://').setRequired(true).setMaxLength(URL_OPTION_MAX))
      .addBooleanOption((option) => option.setName('about_alita').setDescription('The whole feed is about Alita (a fan site): its items need only mention the sequel')),
  )
  .addSubcommand((sub) =>
    sub
      .setName('remove')
      .setDescription('Remove a feed this server added with /feeds add')
      .addStringOption((option) => option.setName('url').setDescription('The feed to remove').setRequired(true).setAutocomplete(true).setMaxLength(URL_OPTION_MAX)),
  );

/** The form feeds are stored and compared in (as ctx.operatorFeeds), so "HTTPS://Example.com" and "https://example.com/" match. */
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

/**
 * Pure: the /feeds list reply: the operator's feeds (every server) and this server's own, never
 * another server's. `states` maps a feed URL to what the poller last recorded; `limit` is MAX_FEEDS_PER_SERVER.
 */
export function feedsListReply(operatorFeeds: string[], ownFeeds: GuildFeed[], states: ReadonlyMap<string, FeedState | undefined>, now: Date, limit?: number): CommandReply {
  const lines: Array<{ text: string; entry: boolean }> = [];
  const entry = (url: string, extra = '') => ({ text: `• ${showUrl(url)}${extra} — ${feedHealth(states.get(url), now)}`, entry: true });
  lines.push({ text: `**Operator feeds** (${operatorFeeds.length}; announced in every server; set by whoever runs the bot, not removable here)`, entry: false });
  if (operatorFeeds.length === 0) lines.push({ text: 'none', entry: false });
  for (const url of operatorFeeds) lines.push(entry(url));
  const of = limit === undefined ? '' : ` of ${limit}`;
  lines.push({ text: `**This server's feeds** (${ownFeeds.length}${of}; announced here only; /feeds add and /feeds remove)`, entry: false });
  if (ownFeeds.length === 0) lines.push({ text: 'none yet', entry: false });
  for (const feed of ownFeeds) {
    // A mention of this server's own moderator; the Discord layer sends no allowed mentions, so it never pings.
    const by = feed.addedBy ? ` by <@${feed.addedBy}>` : '';
    lines.push(entry(feed.url, `, added${by} ${humanDate(feed.addedAt)}${feed.aboutAlita ? ', about Alita' : ''}`));
  }
  // Whole lines only, then "…and N more": a URL cut in half would be a wrong link.
  return privately(fitLines(lines, REPLY_LIMITS.content));
}

/** `backfill` is how many on-topic items the feed's first poll announces (BACKFILL; 0 when it is polled already). */
export function feedAddedReply(url: string, check: FeedCheck, backfill = 0): CommandReply {
  const title = check.title ? ` (${escapeDiscordText(truncateAtWord(check.title, 100))})` : '';
  const counts = `${plural(check.items, 'item')}, ${check.onTopic} on topic`;
  let note: string;
  if (check.items === 0) note = 'It is empty right now; it will be polled anyway.';
  else if (check.onTopic === 0) note = 'Nothing in it is about the Alita sequel right now; it will be polled anyway.';
  else if (backfill === 0) note = 'What is in it now will not be announced; new items will. /latest lists its on-topic items already.';
  else note = `Up to ${Math.min(backfill, check.onTopic)} of its current on-topic items will be announced at the next poll, then new ones. /latest lists them already.`;
  // Said either way: a moderator should know why a fan site's "second film?" post is announced.
  const about = check.aboutAlita ? ` Taken as a feed about Alita (${escapeDiscordText(truncateAtWord(check.aboutAlita, 150))}): its items need only be about the sequel.` : '';
  return privately(`Added ${showUrl(url)}${title}: ${counts}.${about} ${note} Its items are announced in this server only.`);
}

export function feedLimitReply(limit: number): CommandReply {
  return privately(`Could not add that feed: this server already has ${plural(limit, 'feed')} of its own, the most it may have. Remove one with /feeds remove first.`);
}

function urlOption(request: CommandRequest): string {
  return typeof request.options.url === 'string' ? request.options.url.trim() : '';
}

/** Choice values are capped at 100 characters, so longer URLs travel as a short digest. */
export function feedToken(url: string): string {
  return url.length <= CHOICE_LIMIT ? url : `feed:${createHash('sha256').update(url).digest('hex').slice(0, 16)}`;
}

export function feedChoices(own: GuildFeed[], typed: string): Choice[] {
  const needle = typed.trim().toLowerCase();
  return own
    .filter((f) => f.url.toLowerCase().includes(needle))
    .slice(0, 25)
    .map((f) => {
      const chars = Array.from(f.url);
      const name = chars.length <= CHOICE_LIMIT ? f.url : `${chars.slice(0, 60).join('')}…${chars.slice(-(CHOICE_LIMIT - 61)).join('')}`;
      return { name, value: feedToken(f.url) };
    });
}

async function add(request: CommandRequest, guildId: string, ctx: BotContext): Promise<CommandReply> {
  const typed = urlOption(request);
  if (!typed) return privately('Give the feed address, e.g. /feeds add url:https://example.com/feed.xml');
  const url = canonicalFeedUrl(typed);
  if (!url) return privately(`Could not add that feed: not a valid URL (${codeSpan(truncateAtWord(typed, 200))}). Use a full http:// or https:// address.`);
  const aboutAlita = request.options.about_alita === true;
  // Even where private feeds are allowed: the URL is stored and shown back in /feeds list.
  const parsed = new URL(url);
  if (parsed.username || parsed.password) return privately('Could not add that feed: feed URLs with a user name or password are not allowed.');
  if (ctx.operatorFeeds.includes(url)) return privately(`${showUrl(url)} is already polled for every server: it is one of the operator's feeds. Nothing was added.`);
  const limit = ctx.config.MAX_FEEDS_PER_SERVER;
  const own = await ctx.settings.guildFeeds(guildId);
  const existing = own.find((f) => f.url === url);
  if (existing) return privately(`${showUrl(url)} is already one of this server's feeds (added ${humanDate(existing.addedAt)}). /feeds list shows how it is doing.`);
  // Checked before fetching too, so a server at its limit cannot make the bot fetch anything.
  if (own.length >= limit) return feedLimitReply(limit);

  let check: FeedCheck;
  try {
    check = await ctx.checkFeed(url, aboutAlita ? { aboutAlita } : {});
  } catch (error) {
    ctx.logger.info('feed refused', { url, by: request.userId, guild: guildId, reason: describeError(error) });
    return privately(`Could not add ${showUrl(url)}: ${codeSpan(truncateAtWord(describeError(error), 300))}`);
  }
  // Another server may poll it already: then its current items are known and none is backfilled.
  const polled = (await ctx.news.getFeedState(url))?.initialized === true;
  // The store counts and inserts in one transaction: another moderator may have added meanwhile.
  const outcome = await ctx.settings.addGuildFeed({ guildId, url, addedAt: ctx.clock().toISOString(), addedBy: request.userId, ...(aboutAlita ? { aboutAlita } : {}) }, limit);
  if (outcome === 'exists') return privately(`${showUrl(url)} is already one of this server's feeds.`);
  if (outcome === 'limit') return feedLimitReply(limit);
  // A moderator who was just told "1 on topic" looks in /latest next: archived now, announced as before.
  const archived = await archiveChecked(ctx.news, url, check.onTopicItems ?? [], ctx.clock()).catch((error: unknown) => {
    ctx.logger.warn('could not archive the added feed\'s items; the first poll will', { url, reason: describeError(error) });
    return 0;
  });
  ctx.logger.info('feed added', { url, by: request.userId, guild: guildId, items: check.items, onTopic: check.onTopic, archived, ...(check.aboutAlita ? { aboutAlita: check.aboutAlita } : {}) });
  return feedAddedReply(url, check, polled ? 0 : ctx.config.BACKFILL);
}

async function remove(request: CommandRequest, guildId: string, ctx: BotContext): Promise<CommandReply> {
  const typed = urlOption(request);
  if (!typed) return privately("Give the feed to remove; start typing and pick one of this server's feeds.");
  const own = (await ctx.settings.guildFeeds(guildId)).map((f) => f.url);
  const canonical = canonicalFeedUrl(typed) ?? typed;
  const url = own.find((u) => feedToken(u) === typed || u === typed || u === canonical);
  const isOperator = ctx.operatorFeeds.includes(url ?? canonical);
  if (!url) {
    if (isOperator) return privately(`${showUrl(canonical)} is one of the operator's feeds (set in FEEDS or data/feeds.json), polled for every server: it cannot be removed from Discord. Ask whoever runs the bot.`);
    // The same answer whether or not another server added it: servers never learn of each other's feeds.
    return privately(`${showUrl(canonical)} is not one of this server's feeds. /feeds list shows them.`);
  }
  await ctx.settings.removeGuildFeed(guildId, url);
  ctx.logger.info('feed removed', { url, by: request.userId, guild: guildId });
  const tail = isOperator ? ' It is also an operator feed, so it is still announced here.' : ' Its items will not be announced here any more.';
  return privately(`Removed ${showUrl(url)} from this server's feeds.${tail}`);
}

async function list(guildId: string, ctx: BotContext): Promise<CommandReply> {
  const own = await ctx.settings.guildFeeds(guildId);
  const states = await ctx.news.getFeedStates([...ctx.operatorFeeds, ...own.map((f) => f.url)]);
  return feedsListReply(ctx.operatorFeeds, own, states, ctx.clock(), ctx.config.MAX_FEEDS_PER_SERVER);
}

export const feeds = {
  data,
  moderator: true,
  // add fetches the feed before answering.
  slow: true,
  async execute(request, ctx) {
    const refused = refuseUnlessModerator(request);
    if (refused) return refused;
    if (!request.guildId) return privately("/feeds only works in a server: each server has its own feeds.");
    switch (request.subcommand) {
      case 'list':
        return list(request.guildId, ctx);
      case 'add':
        return add(request, request.guildId, ctx);
      case 'remove':
        return remove(request, request.guildId, ctx);
      default:
        return privately('Use /feeds list, /feeds add or /feeds remove.');
    }
  },
  async autocomplete(request, ctx) {
    // Discord shows choices to whoever types, so they go to moderators only, and name only this server's feeds.
    if (request.subcommand !== 'remove' || request.focused !== 'url' || !request.canManageGuild || !request.guildId) return [];
    return feedChoices(await ctx.settings.guildFeeds(request.guildId), request.value);
  },
} satisfies Command;

export const execute = feeds.execute;
export default feeds;
