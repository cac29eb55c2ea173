// Guild members and their roles (PUT/DELETE /guilds/{g}/members/{u}/roles/{r}); no GUILD_MEMBER_UPDATE is sent.
import { PermissionFlagsBits as P } from 'discord.js';
import { errors } from './http.ts';
import { highestRolePosition, permissionsOf } from './permissions.ts';
import type { Call, Route } from './rest.ts';
import type { World } from './world.ts';

export function memberRoutes(world: World): Route[] {
  const guildOf = (c: Call) => {
    const guild = world.guild(c.params.guild!);
    if (!guild) throw errors.unknownGuild();
    return guild;
  };
  const memberOf = (c: Call) => {
    const member = world.member(guildOf(c).id, c.params.user!);
    if (!member) throw errors.unknownMember();
    return member;
  };
  /**
   * Unknown member 10007 and unknown role 10011 first; then Manage Roles, and the role must sit
   * below the bot's highest role (Administrator does not lift that), else 403 50013. A managed
   * role (a bot's or a booster role) cannot be given or taken either.
   */
  const roleChange = (c: Call) => {
    const guild = guildOf(c);
    const member = memberOf(c);
    const role = guild.roles.find((r) => r.id === c.params.role);
    if (!role || role.id === guild.id) throw errors.unknownRole();
    if (!(permissionsOf(guild, world.bot.id) & P.ManageRoles)) throw errors.missingPermissions();
    if (role.position >= highestRolePosition(guild, world.bot.id) || role.managed) throw errors.missingPermissions();
    return { member, role };
  };

  return [
    { method: 'GET', pattern: '/guilds/:guild/members/:user', handle: (c) => ({ status: 200, body: memberOf(c) }) },
    {
      method: 'PUT', pattern: '/guilds/:guild/members/:user/roles/:role',
      handle: (c) => {
        const { member, role } = roleChange(c);
        if (!member.roles.includes(role.id)) member.roles.push(role.id);
        return { status: 204 };
      },
    },
    {
      method: 'DELETE', pattern: '/guilds/:guild/members/:user/roles/:role',
      handle: (c) => {
        const { member, role } = roleChange(c);
        member.roles = member.roles.filter((r) => r !== role.id);
        return { status: 204 };
      },
    },
  ];
}
