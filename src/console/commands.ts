import { ApplicationCommandOptionType, type APIApplicationCommandOption } from 'discord.js';
import type { Command, CommandReply, CommandRequest, OptionValue, ResolvedChannel } from '../bot/command.ts';
import type { BotContext } from '../bot/context.ts';

export class ConsoleUsageError extends Error {}

/** Console mode's stand-in for a server: commands run "in" it, and its channels are all usable. */
export const CONSOLE_GUILD = 'console';

/** Splits a line into words, keeping "quoted phrases" (also in name:"a b") together. */
function words(line: string): string[] {
  return [...line.matchAll(/(?:[^\s"']+|"[^"]*"|'[^']*')+/g)].map((m) => m[0].replace(/"([^"]*)"|'([^']*)'/g, '$1$2'));
}

function convert(option: APIApplicationCommandOption, raw: string): OptionValue {
  if (option.type === ApplicationCommandOptionType.Integer || option.type === ApplicationCommandOptionType.Number) {
    const value = Number(raw);
    if (!Number.isFinite(value) || (option.type === ApplicationCommandOptionType.Integer && !Number.isInteger(value))) throw new ConsoleUsageError(`${option.name} must be a number`);
    const { min_value: min, max_value: max } = option as { min_value?: number; max_value?: number };
    if ((min !== undefined && value < min) || (max !== undefined && value > max)) throw new ConsoleUsageError(`${option.name} must be between ${min ?? '-∞'} and ${max ?? '∞'}`);
    return value;
  }
  if (option.type === ApplicationCommandOptionType.Boolean) return ['true', 'yes', '1'].includes(raw.toLowerCase());
  return raw;
}

/**
 * "/latest 3", "/quote cameron", "/feeds add https://…", "/quote person:cameron": positional
 * values fill the options in their declared order; name:value sets one by name.
 */
export function parseConsoleCommand(line: string, commands: Map<string, Command>): CommandRequest {
  const [head = '', ...args] = words(line.trim());
  const name = head.replace(/^\//, '').toLowerCase();
  const command = commands.get(name);
  if (!command) throw new ConsoleUsageError(`unknown command /${name}. Try: ${[...commands.keys()].map((n) => `/${n}`).join(', ')}`);
  let options = (command.data.toJSON().options ?? []) as APIApplicationCommandOption[];
  let subcommand: string | undefined;
  if (options.some((o) => o.type === ApplicationCommandOptionType.Subcommand)) {
    const sub = options.find((o) => o.name === args[0]?.toLowerCase());
    if (!sub) throw new ConsoleUsageError(`/${name} needs one of: ${options.map((o) => o.name).join(', ')}`);
    subcommand = sub.name;
    args.shift();
    options = ('options' in sub ? sub.options : []) as APIApplicationCommandOption[];
  }
  const values: Record<string, OptionValue | undefined> = {};
  let position = 0;
  for (const arg of args) {
    // name:value only when name is one of the options: "https://…" is a value.
    const named = /^([a-z_]+):(.*)$/.exec(arg);
    const byName = named ? options.find((o) => o.name === named[1]) : undefined;
    const option = byName ?? options[position++];
    if (!option) throw new ConsoleUsageError(`too many values for /${name}${subcommand ? ` ${subcommand}` : ''}`);
    values[option.name] = convert(option, byName ? named![2]! : arg);
  }
  const missing = options.find((o) => 'required' in o && o.required && values[o.name] === undefined);
  if (missing) throw new ConsoleUsageError(`/${name}${subcommand ? ` ${subcommand}` : ''} needs ${missing.name}`);
  // No real channels here: a channel id typed at the terminal stands for a text channel of the
  // console's own "server" where the bot may post (announcements are printed, not posted).
  const channels: Record<string, ResolvedChannel> = {};
  for (const option of options) {
    const value = values[option.name];
    if (option.type === ApplicationCommandOptionType.Channel && typeof value === 'string') {
      channels[option.name] = { id: value, guildId: CONSOLE_GUILD, type: 0, botMissing: [] };
    }
  }
  // The person at the bot's own terminal is its operator.
  return {
    name,
    ...(subcommand ? { subcommand } : {}),
    options: values,
    userId: 'console',
    canManageGuild: true,
    guildId: CONSOLE_GUILD,
    channelId: 'console',
    ...(Object.keys(channels).length ? { channels } : {}),
  };
}

export async function runConsoleCommand(line: string, commands: Map<string, Command>, ctx: BotContext): Promise<CommandReply> {
  try {
    const request = parseConsoleCommand(line, commands);
    return await commands.get(request.name)!.execute(request, ctx);
  } catch (error) {
    if (error instanceof ConsoleUsageError) return { content: error.message, ephemeral: true };
    ctx.logger.error('command failed', { line, error: error instanceof Error ? error.message : String(error) });
    return { content: 'Sorry, something went wrong while answering that (see the log above).', ephemeral: true };
  }
}
