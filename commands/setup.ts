import { ChannelType, InteractionContextType, PermissionFlagsBits, SlashCommandBuilder } from 'discord.js';
import { privately, refuseUnlessModerator, type Command, type CommandReply, type CommandRequest, type ResolvedRole } from '../src/bot/command.ts';
import type { ServerSettings } from '../src/store/sql/types.ts';

const SNOWFLAKE = /^\d{15,25}$/;
/** The daily digest's hour (UTC) when /setup mode:digest names none: evening in Europe, midday in the Americas. */
export const DEFAULT_DIGEST_HOUR = 17;
/** Channels announcements can go to: text (0), announcement (5), and forum (15: a post per story). */
const ANNOUNCEABLE = new Set<number>([ChannelType.GuildText, ChannelType.GuildAnnouncement, ChannelType.GuildForum]);
const KINDS: Partial<Record<number, string>> = {
  [ChannelType.DM]: 'a direct message',
  [ChannelType.GuildVoice]: 'a voice channel',
  [ChannelType.GroupDM]: 'a group message',
  [ChannelType.GuildCategory]: 'a category',
  [ChannelType.AnnouncementThread]: 'a thread',
  [ChannelType.PublicThread]: 'a thread',
  [ChannelType.PrivateThread]: 'a thread',
  [ChannelType.GuildStageVoice]: 'a stage channel',
  [ChannelType.GuildDirectory]: 'a server directory',
  [ChannelType.GuildMedia]: 'a media channel',
};
const FIX = 'Give the bot View Channel, Send Messages and Embed Links in that channel (Edit Channel → Permissions), then run /setup again.';

/** "A", "A and B", "A, B and C". */
function listed(names: readonly string[]): string {
  return names.length < 2 ? (names[0] ?? '') : `${names.slice(0, -1).join(', ')} and ${names.at(-1)}`;
}

/**
 * Pure: why the channel chosen for `option` cannot receive this server's announcements, or
 * undefined when it can: it must be a text, announcement or forum channel of the same server, in which
 * the bot has View Channel, Send Messages and Embed Links.
 */
export function checkAnnouncementChannel(request: CommandRequest, option = 'channel'): string | undefined {
  const id = request.options[option];
  const channel = request.channels?.[option];
  if (!channel || channel.id !== id) return "I can't see that channel. Pick a text, announcement or forum channel of this server that the bot can view.";
  if (!channel.guildId || channel.guildId !== request.guildId) return 'That channel is not in this server. Pick one of this server’s text, announcement or forum channels.';
  if (!ANNOUNCEABLE.has(channel.type)) return `<#${channel.id}> is ${KINDS[channel.type] ?? 'not a text channel'}: announcements need a text, announcement or forum channel.`;
  const missing = channel.botMissing;
  if (missing.includes('View Channel')) return `I can't see <#${channel.id}>: the bot lacks ${listed(missing)} there. ${FIX}`;
  if (missing.length) return `I can't post announcements in <#${channel.id}>: the bot lacks ${listed(missing)} there. ${FIX}`;
  return undefined;
}

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
      .addChannelTypes(ChannelType.GuildText, ChannelType.GuildAnnouncement, ChannelType.GuildForum),
  )
  .addRoleOption((option) => option.setName('role').setDescription('A role to ping with each announcement (leave out to ping nobody)'))
  .addBooleanOption((option) =>
    option.setName('publish').setDescription('In an announcement channel, publish each announcement to the servers following it (default: yes)'),
  )
  .addBooleanOption((option) => option.setName('button').setDescription('Put a "🔔 Notify me" button on announcements, to get or drop the role (default: yes)'))
  .addStringOption((option) =>
    option
      .setName('mode')
      .setDescription('post: one message per story (default); digest: one message a day listing the day\'s stories')
      .addChoices({ name: 'post', value: 'post' }, { name: 'digest', value: 'digest' }),
  )
  .addIntegerOption((option) => option.setName('hour').setDescription(`Digest mode: the hour of the daily message, UTC (0-23, default ${DEFAULT_DIGEST_HOUR})`).setMinValue(0).setMaxValue(23));

const UNMANAGEABLE: Record<NonNullable<ResolvedRole['unmanageable']>, string> = {
  'no Manage Roles': 'the bot lacks the Manage Roles permission',
  'above the bot': "the role is not below the bot's highest role",
  'managed by an integration': 'an integration manages that role',
};

/** What the reply says about the "Notify me" button. */
function buttonLine(settings: ServerSettings, role: ResolvedRole | undefined): string | undefined {
  if (!settings.roleId) return settings.notifyButton ? 'The 🔔 Notify me button needs a role to give: run `/setup` with `role:` as well.' : undefined;
  if (settings.notifyButton === false) return 'Announcements carry no 🔔 Notify me button (button:false).';
  const why = role?.unmanageable ? UNMANAGEABLE[role.unmanageable] : undefined;
  if (why) return `The 🔔 Notify me button will not be shown: ${why}. Give the bot Manage Roles and move its role above <@&${settings.roleId}> (Server Settings → Roles), then run /setup again.`;
  return `Each announcement carries a 🔔 Notify me button: members press it to get or drop <@&${settings.roleId}>.`;
}

/** What the reply says about publishing; only an announcement channel's messages can be published. */
function publishLine(settings: ServerSettings, announcement: boolean): string | undefined {
  const channel = `<#${settings.channelId}>`;
  if (!announcement) return settings.publish ? `${channel} is not an announcement channel, so announcements are posted but cannot be published to other servers.` : undefined;
  if (settings.publish === false) return `Announcements are not published to the servers following ${channel} (publish:false).`;
  return `Each announcement is also published to the servers following ${channel}: Discord allows 10 an hour, the rest wait their turn. Turn it off with \`/setup publish:false\`.`;
}

/**
 * Pure: what the moderator sees after /setup; `previous` is what the server had before, and
 * `announcement` whether the channel is an announcement channel.
 */
export function setupReply(settings: ServerSettings, previous?: ServerSettings, announcement = false, role?: ResolvedRole, forum = false): CommandReply {
  const ping = settings.roleId ? `pinging <@&${settings.roleId}>` : 'without pinging anyone';
  const lines = [`New Alita sequel news will be announced in <#${settings.channelId}>, ${ping}.`];
  if (forum) lines.push('It is a forum: each story becomes a post named after its title, tagged "News" or "Reddit" when the forum has such a tag.');
  if (previous && previous.channelId !== settings.channelId) lines.push(`(It went to <#${previous.channelId}> before.)`);
  // Discord drops a role mention silently when the role is not mentionable and the bot may not ping all roles.
  if (settings.roleId) lines.push('For the ping to reach people, the role must be mentionable or the bot must be allowed to mention all roles.');
  const publishing = publishLine(settings, announcement);
  if (publishing) lines.push(publishing);
  const button = buttonLine(settings, role);
  if (button) lines.push(button);
  if (settings.digestHour !== undefined) {
    lines[0] = `New Alita sequel news will be gathered into one message a day in <#${settings.channelId}>, at ${String(settings.digestHour).padStart(2, '0')}:00 UTC, ${ping} (nothing is sent on a day without news).`;
  }
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
    const publish = request.options.publish;
    if (publish !== undefined && typeof publish !== 'boolean') return privately('publish is true or false (or leave it out: announcement channels publish).');
    const button = request.options.button;
    if (button !== undefined && typeof button !== 'boolean') return privately('button is true or false (or leave it out: a ping role gets a button).');
    const mode = request.options.mode ?? 'post';
    const hour = request.options.hour;
    if (mode !== 'post' && mode !== 'digest') return privately('mode is post (a message per story) or digest (one message a day).');
    if (hour !== undefined && (typeof hour !== 'number' || !Number.isInteger(hour) || hour < 0 || hour > 23)) return privately('hour is a whole hour of the day, UTC, from 0 to 23.');
    if (hour !== undefined && mode !== 'digest') return privately('hour only applies to mode:digest (the hour of the daily message).');
    // @everyone's role id is the server's id; pinging everyone on every news item is never wanted.
    if (roleId === request.guildId) return privately('Pick a role other than @\u200beveryone, or leave role out to ping nobody.');
    const wrongChannel = checkAnnouncementChannel(request);
    if (wrongChannel) return privately(wrongChannel);
    const previous = await ctx.settings.guild(request.guildId);
    const settings: ServerSettings = { guildId: request.guildId, channelId, updatedAt: ctx.clock().toISOString(), updatedBy: request.userId };
    if (roleId) settings.roleId = roleId;
    if (publish !== undefined) settings.publish = publish;
    if (button !== undefined) settings.notifyButton = button;
    if (mode === 'digest') settings.digestHour = typeof hour === 'number' ? hour : DEFAULT_DIGEST_HOUR;
    await ctx.settings.setGuild(settings);
    ctx.logger.info('guild set up', { guild: request.guildId, channel: channelId, role: roleId, publish, button, digestHour: settings.digestHour, by: request.userId });
    const type = request.channels?.channel?.type;
    return setupReply(settings, previous, type === ChannelType.GuildAnnouncement, request.roles?.role, type === ChannelType.GuildForum);
  },
} satisfies Command;

export const execute = setup.execute;
export default setup;
