// /setup publish: what a moderator is told about publishing, and what is stored.
import { describe, expect, it } from 'vitest';
import setup, { setupReply } from '../commands/setup.ts';
import type { CommandRequest } from '../src/bot/command.ts';
import type { ServerSettings } from '../src/store/sql/types.ts';

const GUILD = '111111111111111111';
const CHANNEL = '222222222222222222';
const base: ServerSettings = { guildId: GUILD, channelId: CHANNEL, updatedAt: 't' };
const text = (settings: ServerSettings, announcement: boolean) => setupReply(settings, undefined, announcement).content ?? '';

describe('/setup publish', () => {
  it('says an announcement channel publishes by default, and how to turn it off', () => {
    expect(text(base, true)).toContain(`Each announcement is also published to the servers following <#${CHANNEL}>: Discord allows 10 an hour, the rest wait their turn. Turn it off with \`/setup publish:false\`.`);
    expect(text({ ...base, publish: true }, true)).toContain('is also published');
  });

  it('says when publishing is off, and that a text channel cannot publish', () => {
    expect(text({ ...base, publish: false }, true)).toContain(`Announcements are not published to the servers following <#${CHANNEL}> (publish:false).`);
    expect(text({ ...base, publish: true }, false)).toContain(`<#${CHANNEL}> is not an announcement channel, so announcements are posted but cannot be published to other servers.`);
    expect(text(base, false)).not.toMatch(/publish/);
  });

  it('stores the choice, or none when left out', async () => {
    const stored: ServerSettings[] = [];
    const ctx = {
      settings: { guild: async () => undefined, setGuild: async (s: ServerSettings) => void stored.push(s) },
      clock: () => new Date('2024-03-01T00:00:00Z'),
      logger: { info() {}, warn() {}, error() {}, debug() {} },
    };
    const request = (options: CommandRequest['options']): CommandRequest => ({
      name: 'setup', options: { channel: CHANNEL, ...options }, guildId: GUILD, userId: '444444444444444444', canManageGuild: true,
      channels: { channel: { id: CHANNEL, guildId: GUILD, type: 5, botMissing: [] } },
    });
    const run = (options: CommandRequest['options']) => setup.execute(request(options), ctx as never);
    expect((await run({ publish: false })).content).toContain('not published');
    expect((await run({})).content).toContain('is also published');
    expect((await run({ publish: 'yes' })).content).toBe('publish is true or false (or leave it out: announcement channels publish).');
    expect(stored.map((s) => s.publish)).toEqual([false, undefined]);
  });
});

describe('/setup button', () => {
  const ROLE = '555555555555555555';
  const withRole = { ...base, roleId: ROLE };
  it('says announcements carry the button when the bot can manage the role', () => {
    expect(setupReply(withRole, undefined, false, { id: ROLE }).content).toContain(`Each announcement carries a 🔔 Notify me button: members press it to get or drop <@&${ROLE}>.`);
  });

  it('says why the button will not be shown, and never refuses the setup for it', () => {
    expect(setupReply(withRole, undefined, false, { id: ROLE, unmanageable: 'no Manage Roles' }).content).toContain('The 🔔 Notify me button will not be shown: the bot lacks the Manage Roles permission.');
    expect(setupReply(withRole, undefined, false, { id: ROLE, unmanageable: 'above the bot' }).content).toContain("the role is not below the bot's highest role");
    expect(setupReply(withRole, undefined, false, { id: ROLE, unmanageable: 'managed by an integration' }).content).toContain('an integration manages that role');
    expect(setupReply(withRole, undefined, false, { id: ROLE, unmanageable: 'above the bot' }).content).toMatch(/^New Alita sequel news will be announced in/);
  });

  it('says when the button is off, or has no role to give', () => {
    expect(setupReply({ ...withRole, notifyButton: false }, undefined, false, { id: ROLE }).content).toContain('Announcements carry no 🔔 Notify me button (button:false).');
    expect(setupReply({ ...base, notifyButton: true }).content).toContain('The 🔔 Notify me button needs a role to give');
    expect(setupReply(base).content).not.toContain('Notify me');
  });
});
