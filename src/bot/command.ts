import type { RESTPostAPIChatInputApplicationCommandsJSONBody } from 'discord.js';
import type { Embed } from '../engine/format.ts';
import type { BotContext } from './context.ts';

export type OptionValue = string | number | boolean;

/** A slash command as our code sees it, whether it came from Discord or the console. */
export interface CommandRequest {
  name: string;
  subcommand?: string;
  options: Record<string, OptionValue | undefined>;
  guildId?: string;
  channelId?: string;
  userId: string;
  /** Whether the member has Manage Server where the command was run (checked when run). */
  canManageGuild: boolean;
}

export interface CommandReply {
  content?: string;
  embeds?: Embed[];
  /** Only the member who ran the command sees it. */
  ephemeral?: boolean;
}

export interface AutocompleteRequest {
  name: string;
  subcommand?: string;
  focused: string;
  value: string;
  guildId?: string;
}

export interface Choice {
  name: string;
  value: string;
}

/** What each file in commands/ exports, checked with `satisfies Command`. */
export interface Command {
  data: { name: string; toJSON(): RESTPostAPIChatInputApplicationCommandsJSONBody };
  /** Needs Manage Server: set as default_member_permissions and checked again when run. */
  moderator?: boolean;
  /** May take seconds (it fetches a feed): acknowledge at once, answer when done. */
  slow?: boolean;
  execute(request: CommandRequest, ctx: BotContext): Promise<CommandReply>;
  autocomplete?(request: AutocompleteRequest, ctx: BotContext): Promise<Choice[]>;
}

/** A reply only the caller sees. */
export function privately(content: string): CommandReply {
  return { content, ephemeral: true };
}

/** Moderator commands check Manage Server themselves too: Discord's default permissions can be overridden per server. */
export function refuseUnlessModerator(request: CommandRequest): CommandReply | undefined {
  return request.canManageGuild ? undefined : privately(`You need the Manage Server permission to use /${request.name}.`);
}
