import type { RESTPostAPIChatInputApplicationCommandsJSONBody } from 'discord.js';
import type { Embed } from '../engine/format.ts';
import type { BotContext } from './context.ts';

export type OptionValue = string | number | boolean;

/** The human names of the permissions the bot needs to post announcements in a channel. */
export type ChannelPermissionName = 'View Channel' | 'Send Messages' | 'Embed Links';

/** What the Discord layer knew about a channel given as a command option. */
export interface ResolvedChannel {
  id: string;
  /** The server the channel belongs to; absent for a channel of no server (a DM). */
  guildId?: string;
  /** Discord's channel type: 0 text, 2 voice, 4 category, 5 announcement, 13 stage, 15 forum… */
  type: number;
  /** Those of View Channel, Send Messages and Embed Links the bot lacks there; empty when it has them all. */
  botMissing: readonly ChannelPermissionName[];
}

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
  /**
   * For each channel option (by option name), the channel as the Discord layer knows it. A channel
   * option missing here is one the bot knows nothing about (not in its cache).
   */
  channels?: Record<string, ResolvedChannel>;
  /** For each role option, whether the bot could give and take that role (for the "Notify me" button). */
  roles?: Record<string, ResolvedRole>;
}

export interface ResolvedRole {
  id: string;
  /** Why the bot cannot give and take it; absent when it can. */
  unmanageable?: 'no Manage Roles' | 'above the bot' | 'managed by an integration';
}

export interface EmbedField {
  name: string;
  value: string;
  inline?: boolean;
}

/** An embed of a reply: an announcement's Embed, where a footer is optional and fields may be added. */
export type ReplyEmbed = Omit<Embed, 'footer'> & { footer?: Embed['footer']; fields?: EmbedField[] };

/** What a command answers; src/bot/reply-limits.ts fits it to Discord's limits on the way out. */
export interface CommandReply {
  content?: string;
  embeds?: ReplyEmbed[];
  /** Only the member who ran the command sees it. */
  ephemeral?: boolean;
  /** Action rows of buttons (Discord's message components), e.g. the quote review's. */
  components?: ActionRow[];
}

export interface ReplyButton {
  type: 2;
  /** 1 primary, 2 secondary, 3 success, 4 danger. */
  style: 1 | 2 | 3 | 4;
  label: string;
  custom_id: string;
}

export interface ActionRow {
  type: 1;
  components: ReplyButton[];
}

export interface AutocompleteRequest {
  name: string;
  subcommand?: string;
  focused: string;
  value: string;
  guildId?: string;
  /** Whether the member has Manage Server where they are typing (moderator-only choices need it). */
  canManageGuild: boolean;
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
