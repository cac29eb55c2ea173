// The pure check behind /setup channel: which channels may receive a server's announcements.
import { describe, expect, it } from 'vitest';
import setup, { checkAnnouncementChannel } from '../commands/setup.ts';
import type { CommandRequest, ResolvedChannel } from '../src/bot/command.ts';
import { parseConsoleCommand } from '../src/console/commands.ts';

const GUILD = '111111111111111111';
const OTHER_GUILD = '999999999999999999';
const CHANNEL = '222222222222222222';

function request(channel: Partial<ResolvedChannel> | undefined, more: Partial<CommandRequest> = {}): CommandRequest {
  return {
    name: 'setup', options: { channel: CHANNEL }, guildId: GUILD, userId: '444444444444444444', canManageGuild: true,
    ...(channel ? { channels: { channel: { id: CHANNEL, guildId: GUILD, type: 0, botMissing: [], ...channel } } } : {}),
    ...more,
  };
}

describe('checkAnnouncementChannel', () => {
  it('accepts a text, announcement or forum channel of the same server where the bot has all it needs', () => {
    expect(checkAnnouncementChannel(request({ type: 0 }))).toBeUndefined();
    expect(checkAnnouncementChannel(request({ type: 5 }))).toBeUndefined();
    expect(checkAnnouncementChannel(request({ type: 15 }))).toBeUndefined();
  });

  it('refuses a channel the Discord layer knows nothing about', () => {
    expect(checkAnnouncementChannel(request(undefined))).toMatch(/^I can't see that channel\./);
    // A resolution for another id than the option's value is not about this channel.
    expect(checkAnnouncementChannel(request({ id: '333333333333333333' }))).toMatch(/^I can't see that channel\./);
  });

  it('refuses another server’s channel, and a channel of no server, before looking at its kind', () => {
    expect(checkAnnouncementChannel(request({ guildId: OTHER_GUILD, type: 2 }))).toBe('That channel is not in this server. Pick one of this server’s text, announcement or forum channels.');
    expect(checkAnnouncementChannel(request({ guildId: undefined, type: 1 }))).toMatch(/not in this server/);
  });

  it.each([
    [2, 'a voice channel'],
    [4, 'a category'],
    [11, 'a thread'],
    [13, 'a stage channel'],
    [16, 'a media channel'],
    [99, 'not a text channel'],
  ])('refuses channel type %i as %s', (type, kind) => {
    expect(checkAnnouncementChannel(request({ type }))).toBe(`<#${CHANNEL}> is ${kind}: announcements need a text, announcement or forum channel.`);
  });

  it('names each permission the bot lacks', () => {
    expect(checkAnnouncementChannel(request({ botMissing: ['Embed Links'] }))).toBe(
      `I can't post announcements in <#${CHANNEL}>: the bot lacks Embed Links there. Give the bot View Channel, Send Messages and Embed Links in that channel (Edit Channel → Permissions), then run /setup again.`,
    );
    expect(checkAnnouncementChannel(request({ botMissing: ['Send Messages', 'Embed Links'] }))).toMatch(/lacks Send Messages and Embed Links there/);
    expect(checkAnnouncementChannel(request({ botMissing: ['View Channel'] }))).toMatch(new RegExp(`^I can't see <#${CHANNEL}>: the bot lacks View Channel there\\.`));
    expect(checkAnnouncementChannel(request({ type: 5, botMissing: ['View Channel', 'Send Messages', 'Embed Links'] }))).toMatch(/lacks View Channel, Send Messages and Embed Links there/);
  });

  it('checks the option it is asked about', () => {
    const r = request(undefined, { options: { target: CHANNEL }, channels: { target: { id: CHANNEL, guildId: GUILD, type: 0, botMissing: [] } } });
    expect(checkAnnouncementChannel(r, 'target')).toBeUndefined();
    expect(checkAnnouncementChannel(r)).toMatch(/^I can't see that channel/);
  });

  it('accepts the channel typed in console mode, which has no real channels', () => {
    const parsed = parseConsoleCommand(`/setup ${CHANNEL}`, new Map([['setup', setup]]));
    expect(parsed.channels).toEqual({ channel: { id: CHANNEL, guildId: parsed.guildId, type: 0, botMissing: [] } });
    expect(checkAnnouncementChannel(parsed)).toBeUndefined();
  });
});
