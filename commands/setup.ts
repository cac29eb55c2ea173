import { ChannelType, InteractionContextType, PermissionFlagsBits, SlashCommandBuilder } from 'discord.js';
import { privately, refuseUnlessModerator, type Command, type CommandReply } from '../src/bot/command.ts';
import type { GuildSettings } from '../src/store/settings.ts';

const SNOWFLAKE = /^\d{15,25}$/;

export const data = new SlashCommandBuilder()
  .setName('setup')
  .setDescription('Choose where Alita sequel news is announced, and which role is pinged')
  .setDefaultMemberPermissions(PermissionFlagsBits.ManageGuild)
  .setContexts(InteractionContextType.Guild)
  .addChannelOption((option) =>
    option
      .setName('channel')
      .setDescription('The channel announcements go to')
      .setRequired(true)
      .addChannelTypes(ChannelType.GuildText, ChannelType.GuildAnnouncement),
  )
  .addRoleOption((option) => option.setName('role').setDescription('A role to ping with each announcement (leave out to ping nobody)'));

/** Pure: what the moderator sees after /setup; `previous` is what the server had before. */
export function setupReply(settings: GuildSettings, previous?: GuildSettings): CommandReply {
  const ping = settings.roleId ? `pinging <@&${settings.roleId}>` : 'without pinging anyone';
  const lines = [`New Alita sequel news will be announced in <#${settings.channelId}>, ${ping}.`];
  if (previous && previous.channelId !== settings.channelId) lines.push(`(It went to <#${previous.channelId}> before.)`);
  const needs = ['View Channel', 'Send Messages', 'Embed Links'];
  // Discord drops a role mention silently when the role is not mentionable and the bot may not ping all roles.
  const roleNote = settings.roleId ? ' For the ping to reach people, the role must be mentionable or the bot must be allowed to mention all roles.' : '';
  lines.push(`Make sure the bot has ${needs.join(', ')} in that channel.${roleNote}`);
  return privately(lines.join('\n'));
}

export const setup = {
  data,
  moderator: true,
  async execute(request, ctx) {
    const refused = refuseUnlessModerator(request);
    if (refused) return refused;
    if (!request.guildId) return privately('/setup only works in a server: it sets where that server gets announcements.');
    const channelId = request.options.channel;
    const roleId = request.options.role;
    if (typeof channelId !== 'string' || !SNOWFLAKE.test(channelId)) return privately('Pick the channel announcements should go to.');
    if (roleId !== undefined && (typeof roleId !== 'string' || !SNOWFLAKE.test(roleId))) return privately('Pick a role from the list, or leave role out.');
    // @everyone's role id is the server's id; pinging everyone on every news item is never wanted.
    if (roleId === request.guildId) return privately('Pick a role other than @\u200beveryone, or leave role out to ping nobody.');
    const previous = await ctx.settings.guild(request.guildId);
    const settings: GuildSettings = { guildId: request.guildId, channelId, updatedAt: ctx.clock().toISOString(), updatedBy: request.userId };
    if (roleId) settings.roleId = roleId;
    await ctx.settings.setGuild(settings);
    ctx.logger.info('guild set up', { guild: request.guildId, channel: channelId, role: roleId, by: request.userId });
    return setupReply(settings, previous);
  },
} satisfies Command;

export const execute = setup.execute;
export default setup;
