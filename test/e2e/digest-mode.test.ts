/**
 * Digest mode end to end: /setup mode:digest through the fake Discord, then the real bot holds a
 * day's stories and sends them as one message at the hour; a day without news sends nothing.
 */
import { PermissionFlagsBits } from 'discord.js';
import { afterEach, describe, expect, it } from 'vitest';
import { sequel, startBotHarness, type BotHarness } from '../support/bot-harness.ts';

const HOUR = 60 * 60_000;
let h: BotHarness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

describe('digest mode', () => {
  it('sends one message at the hour with the day\'s stories, and none on a day without news', async () => {
    h = await startBotHarness();
    // Two hours ahead of the bot's clock: well clear of the hour turning during the test.
    const hour = (new Date().getUTCHours() + 2) % 24;
    const reply = await h.fake.sendCommand({ name: 'setup', options: { channel: h.newsId, mode: 'digest', hour }, memberPermissions: PermissionFlagsBits.ManageGuild }).reply();
    expect(JSON.stringify(reply)).toContain('one message a day');
    h.setFeed([sequel(1), sequel(2)]);
    await h.cycle();
    expect(h.titles()).toEqual([]);

    h.advance(2 * HOUR);
    await h.cycle();
    expect(h.titles()).toEqual(['Alita sequel news of the day: 2 stories']);

    h.advance(24 * HOUR);
    await h.cycle();
    expect(h.titles()).toHaveLength(1);
    expect(h.fake.rejected).toEqual([]);
  });
});
