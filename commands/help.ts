import { SlashCommandBuilder } from 'discord.js';
import { privately, type Command, type CommandReply } from '../src/bot/command.ts';
import { fitLines, REPLY_LIMITS } from '../src/bot/reply-limits.ts';
import feeds from './feeds.ts';
import latest from './latest.ts';
import quote from './quote.ts';
import quotes from './quotes.ts';
import setup from './setup.ts';
import status from './status.ts';

export const data = new SlashCommandBuilder().setName('help').setDescription('The commands you can use here, one line each');

/** What /help lists: every command but itself (it is named in its own footer line). */
const LISTED: Command[] = [latest, quote, status, feeds, quotes, setup];

interface Described {
  name: string;
  description: string;
  options?: Array<{ type: number; name: string; description: string }>;
}

/** Subcommands (option type 1) get a line each: "/feeds add — …". */
function lines(command: Command): string[] {
  const json = command.data.toJSON() as Described;
  const subcommands = (json.options ?? []).filter((o) => o.type === 1);
  if (subcommands.length === 0) return [`\`/${json.name}\` — ${json.description}`];
  return subcommands.map((sub) => `\`/${json.name} ${sub.name}\` — ${sub.description}`);
}

/** Pure: the commands a member can use, one line each; moderators (Manage Server) see theirs too. */
export function helpReply(commands: Command[], canManageGuild: boolean): CommandReply {
  const everyone = commands.filter((c) => !c.moderator).flatMap(lines);
  const moderators = canManageGuild ? commands.filter((c) => c.moderator).flatMap(lines) : [];
  const parts = [`**Commands**\n${fitLines(everyone, REPLY_LIMITS.content / 2)}`];
  if (moderators.length > 0) parts.push(`**For moderators** (Manage Server)\n${fitLines(moderators, REPLY_LIMITS.content / 2)}`);
  else parts.push('Moderators (Manage Server) also see how to set the bot up.');
  return privately(parts.join('\n\n'));
}

export const help = {
  data,
  async execute(request) {
    return helpReply(LISTED, request.canManageGuild);
  },
} satisfies Command;

export const execute = help.execute;
export default help;
