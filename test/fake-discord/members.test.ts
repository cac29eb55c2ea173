// Giving and taking members' roles: Manage Roles, the role hierarchy, unknown members and roles.
import { PermissionFlagsBits as P, Routes, type Client } from 'discord.js';
import { afterEach, describe, expect, it } from 'vitest';
import { loginTestClient } from './client.ts';
import { BOT_PERMISSIONS, startFakeDiscord, type FakeDiscord, type GuildSpec } from './server.ts';

const FAN = { id: '700000000000000002', username: 'fan', global_name: 'Fan' };

let fake: FakeDiscord | undefined;
let client: Client<true> | undefined;

afterEach(async () => {
  await client?.destroy();
  await fake?.close();
  client = fake = undefined;
});

/** Positions: Sequel News 1 < bot 2 < Moderators 3; `botPermissions` decides Manage Roles. */
async function setup(botPermissions = BOT_PERMISSIONS | P.ManageRoles) {
  const guilds: GuildSpec[] = [{
    name: 'Alita Army',
    channels: [{ name: 'general' }],
    roles: [{ name: 'Sequel News', position: 1 }, { name: 'Moderators', position: 3, permissions: P.ManageGuild }],
    botRole: { permissions: botPermissions, position: 2 },
    members: [{ ...FAN, roles: [] }],
  }];
  fake = await startFakeDiscord({ guilds });
  client = await loginTestClient(fake);
  return { fake, client, guildId: fake.guild.id, news: fake.roleId('Sequel News'), mods: fake.roleId('Moderators') };
}

describe('member roles', () => {
  it('PUT adds and DELETE removes a role (204 each); discord.js’ GuildMemberRoleManager works on it; tests read the roles', async () => {
    const { fake, client, guildId, news } = await setup();
    const member = await client.guilds.cache.get(guildId)!.members.fetch(FAN.id);
    await member.roles.add(news);
    expect(fake.memberRoles(FAN.id)).toEqual([news]);
    await client.rest.put(Routes.guildMemberRole(guildId, FAN.id, news)); // already has it: still 204, no duplicate
    expect(fake.memberRoles(FAN.id)).toEqual([news]);
    await member.roles.remove(news);
    expect(fake.memberRoles(FAN.id)).toEqual([]);
    expect(fake.requests.filter((r) => r.path.includes('/roles/')).map((r) => [r.method, r.status])).toEqual([['PUT', 204], ['PUT', 204], ['DELETE', 204]]);
  });

  it('refuses 403 50013 without Manage Roles, and for a role at or above the bot’s highest role (its own too)', async () => {
    const { fake, client, guildId, mods } = await setup();
    const botRole = fake.guild.roles.find((r) => r.managed)!.id;
    await expect(client.rest.put(Routes.guildMemberRole(guildId, FAN.id, mods))).rejects.toMatchObject({ status: 403, code: 50013 });
    await expect(client.rest.put(Routes.guildMemberRole(guildId, FAN.id, botRole))).rejects.toMatchObject({ status: 403, code: 50013 });
    await client.destroy();
    await fake.close();
    const weak = await setup(BOT_PERMISSIONS);
    await expect(weak.client.rest.put(Routes.guildMemberRole(weak.guildId, FAN.id, weak.news))).rejects.toMatchObject({ status: 403, code: 50013 });
    await expect(weak.client.rest.delete(Routes.guildMemberRole(weak.guildId, FAN.id, weak.news))).rejects.toMatchObject({ status: 403, code: 50013 });
    expect(weak.fake.memberRoles(FAN.id)).toEqual([]);
  });

  it('refuses unknown members (10007), roles (10011) and guilds (10004)', async () => {
    const { fake, client, guildId, news } = await setup();
    await expect(client.rest.put(Routes.guildMemberRole(guildId, '1', news))).rejects.toMatchObject({ status: 404, code: 10007, message: 'Unknown Member' });
    await expect(client.rest.put(Routes.guildMemberRole(guildId, FAN.id, '1'))).rejects.toMatchObject({ status: 404, code: 10011, message: 'Unknown Role' });
    await expect(client.rest.delete(Routes.guildMemberRole('1', FAN.id, news))).rejects.toMatchObject({ status: 404, code: 10004 });
    expect(fake.memberRoles(FAN.id)).toEqual([]);
    expect(fake.memberRoles('1')).toBeUndefined();
  });
});
