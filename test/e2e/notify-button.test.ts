/**
 * The "🔔 Notify me" button end to end: the real bot and discord.js client against the fake
 * Discord. Shown only where the bot can give the ping role; a press gives it, a second takes it.
 */
import { PermissionFlagsBits } from 'discord.js';
import { afterEach, describe, expect, it } from 'vitest';
import { BOT_PERMISSIONS } from '../fake-discord/state.ts';
import { sequel, startBotHarness, type BotHarness } from '../support/bot-harness.ts';

let h: BotHarness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

const guild = (manageRoles: boolean) => ({
  guilds: [{
    name: 'Alita Army',
    channels: [{ name: 'news' }, { name: 'general' }],
    roles: [{ name: 'Sequel News', position: 1 }],
    botRole: { permissions: manageRoles ? BOT_PERMISSIONS | PermissionFlagsBits.ManageRoles : BOT_PERMISSIONS, position: 5 },
  }],
});
const withPingRole = (fake: { roleId(name: string): string }) => ({ PING_ROLE_ID: fake.roleId('Sequel News') });

describe('the Notify me button', () => {
  it('gives the ping role on a press and takes it on the next, answering privately', async () => {
    h = await startBotHarness({ fake: guild(true), env: withPingRole });
    const role = h.fake.roleId('Sequel News');
    h.setFeed([sequel(1)]);
    await h.cycle();
    const [message] = h.fake.messages(h.newsId);
    const button = (message!.components as Array<{ components: Array<{ custom_id: string; label: string }> }>)[0]!.components[0]!;
    expect(button.label).toBe('🔔 Notify me');

    const user = h.fake.world.defaultUser.id;
    const first = await h.fake.pressButton({ channelId: h.newsId, messageId: message!.id, customId: button.custom_id }).reply();
    expect(first).toMatchObject({ flags: 64 });
    expect(JSON.stringify(first)).toContain('You now have');
    expect(h.fake.memberRoles(user)).toContain(role);

    const second = await h.fake.pressButton({ channelId: h.newsId, messageId: message!.id, customId: button.custom_id }).reply();
    expect(JSON.stringify(second)).toContain('removed: no more pings');
    expect(h.fake.memberRoles(user)).not.toContain(role);
    expect(h.fake.rejected).toEqual([]);
  });

  it('is not shown where the bot cannot give the role, and /setup says why without refusing', async () => {
    h = await startBotHarness({ fake: guild(false), env: withPingRole });
    h.setFeed([sequel(1)]);
    await h.cycle();
    expect(h.fake.messages(h.newsId)[0]!.components ?? []).toEqual([]);
    const reply = await h.fake.sendCommand({ name: 'setup', options: { channel: h.newsId, role: h.fake.roleId('Sequel News') }, memberPermissions: PermissionFlagsBits.ManageGuild }).reply();
    const text = JSON.stringify(reply);
    expect(text).toContain('New Alita sequel news will be announced in');
    expect(text).toContain('The 🔔 Notify me button will not be shown: the bot lacks the Manage Roles permission.');
  });
});
