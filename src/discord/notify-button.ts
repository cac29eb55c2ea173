/**
 * The "🔔 Notify me" button on announcements: pressing it gives the member the server's ping role,
 * pressing it again takes it away; the answer is private. Only the role the server set up (or
 * PING_ROLE_ID) is ever given, whatever a button's custom_id says.
 */
import { DiscordAPIError, MessageFlags, Routes, type ButtonInteraction } from 'discord.js';
import type { BotContext } from '../bot/context.ts';
import { NOTIFY_PREFIX } from '../engine/format.ts';

export type NotifyOutcome = 'added' | 'removed' | 'not-this-role' | 'cannot' | 'no-server';

/** Pure: the private answer to a press. */
export function notifyReply(outcome: NotifyOutcome, roleId: string): string {
  switch (outcome) {
    case 'added':
      return `🔔 You now have <@&${roleId}>: you will be pinged with each Alita sequel announcement. Press the button again to stop.`;
    case 'removed':
      return `🔕 <@&${roleId}> removed: no more pings. Press the button again to get them back.`;
    case 'not-this-role':
      return 'This button is from an older setup of this server; the ping role has changed since. Use the button on a newer announcement.';
    case 'cannot':
      return "I can't give or take that role right now (the bot needs Manage Roles, and its role above the ping role). The moderators can fix it in Server Settings → Roles.";
    case 'no-server':
      return 'This button only works in a server.';
  }
}

export function isNotifyButton(customId: string): boolean {
  return customId.startsWith(NOTIFY_PREFIX);
}

/** Discord's refusals that mean "not allowed" rather than "try again". */
const MISSING_PERMISSIONS = 50013;
const UNKNOWN_ROLE = 10011;

export async function pressNotify(interaction: ButtonInteraction, ctx: BotContext): Promise<void> {
  const roleId = interaction.customId.slice(NOTIFY_PREFIX.length);
  const outcome = await toggle(interaction, roleId, ctx);
  if (outcome === 'added' || outcome === 'removed') ctx.logger.info('notify role toggled', { guild: interaction.guildId, user: interaction.user.id, role: roleId, outcome });
  await interaction.reply({ content: notifyReply(outcome, roleId), flags: MessageFlags.Ephemeral, allowedMentions: { parse: [] } });
}

async function toggle(interaction: ButtonInteraction, roleId: string, ctx: BotContext): Promise<NotifyOutcome> {
  const guildId = interaction.guildId;
  if (!guildId || !interaction.member) return 'no-server';
  const configured = (await ctx.settings.guild(guildId))?.roleId ?? ctx.config.PING_ROLE_ID;
  if (configured !== roleId) return 'not-this-role';
  // The member as the interaction carried it: a cached GuildMember, or the raw payload's role ids.
  const roles = interaction.member.roles;
  const has = Array.isArray(roles) ? roles.includes(roleId) : roles.cache.has(roleId);
  const route = Routes.guildMemberRole(guildId, interaction.user.id, roleId);
  try {
    if (has) await interaction.client.rest.delete(route, { reason: 'Pressed 🔔 Notify me' });
    else await interaction.client.rest.put(route, { reason: 'Pressed 🔔 Notify me' });
  } catch (error) {
    if (error instanceof DiscordAPIError && (error.code === MISSING_PERMISSIONS || error.code === UNKNOWN_ROLE)) return 'cannot';
    throw error;
  }
  return has ? 'removed' : 'added';
}
