/**
 * Publishing end to end: the real bot and discord.js client against the fake Discord, whose #news
 * is an announcement channel. Every story is posted at once; Discord's 10 publishes an hour decide
 * when each is published; what waits survives a restart; nothing is published twice.
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

const guild = (newsType: number) => ({
  guilds: [{ name: 'Alita Army', channels: [{ name: 'news', type: newsType }, { name: 'general' }], roles: [{ name: 'Sequel News' }] }],
});

describe('publishing in an announcement channel', () => {
  it('posts 12 stories at once, publishes 10 now and 2 an hour later, across a restart, each once', async () => {
    h = await startBotHarness({ fake: guild(5), env: () => ({ MAX_ANNOUNCEMENTS_PER_POLL: '12' }) });
    h.setFeed(Array.from({ length: 12 }, (_, i) => sequel(i + 1)));
    await h.cycle();
    const posted = h.fake.messages(h.newsId).map((m) => m.id);
    expect(posted).toHaveLength(12);
    expect(h.fake.published(h.newsId)).toEqual(posted.slice(0, 10));

    await h.restart();
    await h.cycle();
    expect(h.fake.published(h.newsId)).toHaveLength(10);
    const status = await h.fake.sendCommand({ name: 'status', channelId: h.newsId }).reply();
    expect(JSON.stringify(status)).toContain('2 posted and waiting to be published');

    h.advance(HOUR + 60_000);
    h.fake.advanceTime(HOUR + 60_000);
    await h.cycle();
    expect(h.fake.published(h.newsId)).toEqual(posted);
    expect(h.fake.rejected).toEqual([]);
  });

  it('publishes nothing in a text channel, or where the server said publish:false', async () => {
    h = await startBotHarness({ fake: guild(0) });
    h.setFeed([sequel(1)]);
    await h.cycle();
    expect(h.fake.messages(h.newsId)).toHaveLength(1);
    expect(h.fake.requests.filter((r) => r.path.endsWith('/crosspost'))).toEqual([]);
    await h.close();

    h = await startBotHarness({ fake: guild(5) });
    const reply = await h.fake.sendCommand({ name: 'setup', options: { channel: h.newsId, publish: false }, memberPermissions: PermissionFlagsBits.ManageGuild }).reply();
    expect(JSON.stringify(reply)).toContain('not published');
    h.setFeed([sequel(2)]);
    await h.cycle();
    expect(h.fake.messages(h.newsId)).toHaveLength(1);
    expect(h.fake.published(h.newsId)).toEqual([]);
  });
});
