import { SlashCommandBuilder } from 'discord.js';
import type { Command, CommandReply } from '../src/bot/command.ts';
import { fitLines, length, REPLY_LIMITS } from '../src/bot/reply-limits.ts';
import { humanDate, maskedLink } from '../src/bot/text.ts';
import { escapeDiscordText } from '../src/engine/format.ts';
import { truncateAtWord } from '../src/engine/text.ts';
import type { NewsItem } from '../src/engine/types.ts';

export const DEFAULT_COUNT = 5;
export const MAX_COUNT = 10;
const EMBED_COLOR = 0x4a7fd6;
/** Discord takes no longer URL anywhere in an embed; a feed's link may be any length. */
const LINK_MAX = 2048;

export const data = new SlashCommandBuilder()
  .setName('latest')
  .setDescription('The newest Alita sequel news the bot has found')
  .addIntegerOption((option) =>
    option.setName('count').setDescription(`How many items (1-${MAX_COUNT}, default ${DEFAULT_COUNT})`).setMinValue(1).setMaxValue(MAX_COUNT),
  );

/** Pure: the archive (newest first) → the /latest reply. */
export function latestReply(archive: NewsItem[], count: number = DEFAULT_COUNT): CommandReply {
  const items = archive.slice(0, Math.min(Math.max(1, Math.trunc(count)), MAX_COUNT));
  if (items.length === 0) {
    return { content: 'No Alita sequel news yet. New items will be announced here as soon as the bot finds them.' };
  }
  // Feeds' titles and sources have no length limit: each is cut before escaping, and a link longer
  // than LINK_MAX is left off. Items that still do not fit become "…and N more".
  const lines = items.map((item, i) => {
    const meta = `${escapeDiscordText(truncateAtWord(item.source, 100))} · ${humanDate(item.published)}`;
    const link = item.link && length(item.link) <= LINK_MAX ? item.link : undefined;
    return `**${i + 1}.** ${maskedLink(truncateAtWord(item.title || 'Untitled item', 250), link)}\n${meta}`;
  });
  const embed = {
    title: items.length === 1 ? 'Latest Alita sequel news' : `Latest ${items.length} Alita sequel news items`,
    description: fitLines(lines, REPLY_LIMITS.description, { separator: '\n\n' }),
    color: EMBED_COLOR,
    footer: { text: 'Newest first' },
  };
  return { embeds: [embed] };
}

export const latest = {
  data,
  async execute(request, ctx) {
    const asked = typeof request.options.count === 'number' ? request.options.count : DEFAULT_COUNT;
    const count = Math.min(Math.max(1, Math.trunc(asked) || DEFAULT_COUNT), MAX_COUNT);
    // Only the operator's feeds and this server's own: another server's feeds stay its own business.
    const items = await ctx.news.latest({ feedUrls: await ctx.visibleFeeds(request.guildId), limit: count });
    return latestReply(items, count);
  },
} satisfies Command;

export const execute = latest.execute;
export default latest;
