import {
  ApplicationCommandOptionType,
  DiscordAPIError,
  MessageFlags,
  PermissionFlagsBits,
  type AutocompleteInteraction,
  type ChatInputCommandInteraction,
  type CommandInteractionOption,
  type Interaction,
} from 'discord.js';
import { refuseUnlessModerator, type ChannelPermissionName, type Command, type CommandReply, type CommandRequest, type OptionValue, type ResolvedChannel, type ResolvedRole } from '../bot/command.ts';
import type { BotContext } from '../bot/context.ts';
import { clipChoice, fitReply } from '../bot/reply-limits.ts';
import { isNotifyButton, pressNotify } from './notify-button.ts';
import { isReviewButton, pressReview } from './review-buttons.ts';

const ALREADY_ACKNOWLEDGED = 40060;
const SORRY = 'Sorry, something went wrong while answering that. The moderators can find the details in the bot’s log.';
// Discord drops an interaction not acknowledged within 3 s; answer or defer well before.
const DEFER_AFTER_MS = 1_500;

function flatten(options: readonly CommandInteractionOption[]): { subcommand?: string; values: Record<string, OptionValue | undefined> } {
  const values: Record<string, OptionValue | undefined> = {};
  let subcommand: string | undefined;
  for (const option of options) {
    if (option.options) {
      subcommand = option.name;
      Object.assign(values, flatten(option.options).values);
    } else {
      values[option.name] = option.value ?? undefined;
    }
  }
  return { subcommand, values };
}

/** What the bot needs in a channel to post announcements there, by the name Discord's UI shows. */
const NEEDED: [ChannelPermissionName, bigint][] = [
  ['View Channel', PermissionFlagsBits.ViewChannel],
  ['Send Messages', PermissionFlagsBits.SendMessages],
  ['Embed Links', PermissionFlagsBits.EmbedLinks],
];

function channelOptions(options: readonly CommandInteractionOption[]): CommandInteractionOption[] {
  return options.flatMap((o) => (o.options ? channelOptions(o.options) : o.type === ApplicationCommandOptionType.Channel ? [o] : []));
}

/**
 * A channel option as the bot knows it, from discord.js' caches; undefined when the bot knows
 * nothing of it. discord.js adds the interaction's resolved channels to the caches (even another
 * server's channel, under this server), so a channel's own guildId is what says where it is.
 */
function resolveChannel(interaction: ChatInputCommandInteraction, id: string): ResolvedChannel | undefined {
  const channel = interaction.guild?.channels.cache.get(id) ?? interaction.client.channels.cache.get(id);
  if (!channel) return undefined;
  const guildId = 'guildId' in channel && channel.guildId ? channel.guildId : undefined;
  // Permissions (roles and overwrites) only where the channel's own server is the one cached for it.
  const guild = 'guild' in channel && channel.guild?.id === guildId ? channel.guild : undefined;
  const me = guild?.members.me;
  const permissions = me && 'permissionsFor' in channel ? channel.permissionsFor(me) : null;
  const botMissing = NEEDED.filter(([, flag]) => !permissions?.has(flag)).map(([name]) => name);
  return { id, ...(guildId ? { guildId } : {}), type: channel.type, botMissing };
}

function resolveChannels(interaction: ChatInputCommandInteraction): Record<string, ResolvedChannel> | undefined {
  const channels: Record<string, ResolvedChannel> = {};
  for (const option of channelOptions(interaction.options.data)) {
    const resolved = typeof option.value === 'string' ? resolveChannel(interaction, option.value) : undefined;
    if (resolved) channels[option.name] = resolved;
  }
  return Object.keys(channels).length ? channels : undefined;
}

/** Whether the bot could give and take each role option's role, and if not, why. */
function resolveRoles(interaction: ChatInputCommandInteraction): Record<string, ResolvedRole> | undefined {
  const roles: Record<string, ResolvedRole> = {};
  const guild = interaction.guild;
  const me = guild?.members.me;
  for (const option of interaction.options.data.flatMap((o) => (o.options ? [...o.options] : [o]))) {
    if (option.type !== ApplicationCommandOptionType.Role || typeof option.value !== 'string') continue;
    const role = guild?.roles.cache.get(option.value);
    const unmanageable = !me?.permissions.has(PermissionFlagsBits.ManageRoles)
      ? ('no Manage Roles' as const)
      : role?.managed
        ? ('managed by an integration' as const)
        : !role || role.comparePositionTo(me.roles.highest) >= 0
          ? ('above the bot' as const)
          : undefined;
    roles[option.name] = { id: option.value, ...(unmanageable ? { unmanageable } : {}) };
  }
  return Object.keys(roles).length ? roles : undefined;
}

function canManageGuild(interaction: ChatInputCommandInteraction | AutocompleteInteraction): boolean {
  return Boolean(interaction.inGuild() && interaction.memberPermissions?.has(PermissionFlagsBits.ManageGuild));
}

export function toRequest(interaction: ChatInputCommandInteraction): CommandRequest {
  const { subcommand, values } = flatten(interaction.options.data);
  const channels = resolveChannels(interaction);
  const roles = resolveRoles(interaction);
  return {
    name: interaction.commandName,
    ...(subcommand ? { subcommand } : {}),
    options: values,
    ...(interaction.guildId ? { guildId: interaction.guildId } : {}),
    ...(interaction.channelId ? { channelId: interaction.channelId } : {}),
    userId: interaction.user.id,
    canManageGuild: canManageGuild(interaction),
    ...(channels ? { channels } : {}),
    ...(roles ? { roles } : {}),
  };
}

/** Every reply passes here: cut to Discord's limits, which refuses an oversize body outright. */
function payload(original: CommandReply) {
  const reply = fitReply(original);
  return {
    ...(reply.content !== undefined ? { content: reply.content } : {}),
    ...(reply.embeds ? { embeds: reply.embeds } : {}),
    ...(reply.components ? { components: reply.components } : {}),
    // Replies quote feed text and user input: nothing in them may ping anyone.
    allowedMentions: { parse: [] },
  };
}

async function answer(interaction: ChatInputCommandInteraction, command: Command, ctx: BotContext): Promise<void> {
  const request = toRequest(interaction);
  const refused = command.moderator ? refuseUnlessModerator(request) : undefined;
  if (refused) {
    await interaction.reply({ ...payload(refused), flags: MessageFlags.Ephemeral });
    return;
  }
  const work = command.execute(request, ctx);
  // The command may fail while deferReply is in flight: mark it handled now, or Node reports an
  // unhandled rejection (and, by default, exits). `await work` below still throws to our caller.
  work.catch(() => undefined);
  let deferred = false;
  if (command.slow) {
    await interaction.deferReply({ flags: MessageFlags.Ephemeral });
    deferred = true;
  } else {
    const early = await Promise.race([work.then(() => true), new Promise<false>((r) => setTimeout(() => r(false), DEFER_AFTER_MS).unref())]);
    if (!early) {
      await interaction.deferReply();
      deferred = true;
    }
  }
  const reply = await work;
  if (deferred) {
    await interaction.editReply(payload(reply));
  } else {
    await interaction.reply({ ...payload(reply), ...(reply.ephemeral ? { flags: MessageFlags.Ephemeral } : {}) });
  }
}

async function suggest(interaction: AutocompleteInteraction, command: Command, ctx: BotContext): Promise<void> {
  const focused = interaction.options.getFocused(true);
  const choices = command.autocomplete
    ? await command.autocomplete(
        {
          name: interaction.commandName,
          subcommand: interaction.options.getSubcommand(false) ?? undefined,
          focused: focused.name,
          value: String(focused.value),
          ...(interaction.guildId ? { guildId: interaction.guildId } : {}),
          canManageGuild: canManageGuild(interaction),
        },
        ctx,
      )
    : [];
  await interaction.respond(choices.slice(0, 25).map((c) => ({ name: clipChoice(c.name), value: clipChoice(c.value) })));
}

/**
 * The one place interactions are answered. Any error becomes a private apology to the member
 * and one log line with the context needed to find it; the bot keeps running.
 */
export async function handleInteraction(interaction: Interaction, commands: Map<string, Command>, ctx: BotContext): Promise<void> {
  if (interaction.isButton() && (isNotifyButton(interaction.customId) || isReviewButton(interaction.customId))) {
    const press = isNotifyButton(interaction.customId) ? pressNotify : pressReview;
    await press(interaction, ctx).catch(async (error: unknown) => {
      ctx.logger.error('interaction failed', { button: interaction.customId, guild: interaction.guildId ?? 'dm', user: interaction.user.id, error: error instanceof Error ? error.message : String(error) });
      if (!interaction.replied) await interaction.reply({ content: SORRY, flags: MessageFlags.Ephemeral, allowedMentions: { parse: [] } }).catch(() => undefined);
    });
    return;
  }
  if (!interaction.isChatInputCommand() && !interaction.isAutocomplete()) return;
  const command = commands.get(interaction.commandName);
  const context = { command: interaction.commandName, guild: interaction.guildId ?? 'dm', user: interaction.user.id };
  try {
    if (!command) throw new Error(`unknown command /${interaction.commandName}`);
    if (interaction.isAutocomplete()) await suggest(interaction, command, ctx);
    else await answer(interaction, command, ctx);
  } catch (error) {
    // Every instance sharing the token receives every interaction; one answers, the rest get 40060.
    if (error instanceof DiscordAPIError && error.code === ALREADY_ACKNOWLEDGED) {
      ctx.logger.debug('interaction answered elsewhere', { ...context, code: error.code });
      return;
    }
    ctx.logger.error('interaction failed', { ...context, error: error instanceof Error ? error.message : String(error) });
    if (interaction.isAutocomplete()) {
      if (!interaction.responded) await interaction.respond([]).catch(() => undefined);
      return;
    }
    const sorry = { content: SORRY, allowedMentions: { parse: [] as [] } };
    if (interaction.deferred) await interaction.editReply(sorry).catch(() => undefined);
    else if (interaction.replied) await interaction.followUp({ ...sorry, flags: MessageFlags.Ephemeral }).catch(() => undefined);
    else await interaction.reply({ ...sorry, flags: MessageFlags.Ephemeral }).catch(() => undefined);
  }
}
