// The real bot against the fake Discord: what reaches the announcement channel, and how often.
import { afterEach, describe, expect, it } from 'vitest';
import { offTopic, sequel, startBotHarness, type BotHarness } from '../support/bot-harness.ts';

let h: BotHarness | undefined;

afterEach(async () => {
  await h?.close();
  h = undefined;
});

/** Every message in every channel of the fake guild, interaction replies included. */
function everything(harness: BotHarness) {
  return harness.fake.guild.channels.flatMap((c) => harness.fake.messages(c.id, { includeInteractions: true }));
}

describe('announcements', () => {
  it('announces a new on-topic item once across later cycles, never an off-topic one, and posts nothing at startup', async () => {
    h = await startBotHarness({ items: [sequel(1), offTopic] });
    // The first poll of a new feed announces nothing, and the bot says nothing on its own.
    expect(everything(h)).toEqual([]);
    expect(h.logsMatching(/poll finished/)).toHaveLength(1);

    h.setFeed([sequel(1), offTopic, sequel(2), { title: 'Cooking with cast iron', link: 'https://news.example.com/pans', date: '2024-02-11T09:00:00Z' }]);
    await h.cycle();
    await h.fake.waitForMessages(h.newsId, 1, 60_000);
    await h.cycle();
    await h.cycle();
    expect(h.titles()).toEqual(['Alita 2 news number 2']);
    expect(everything(h)).toHaveLength(1);
    expect(h.fake.rejected).toEqual([]);
    expect(h.fake.unexpected).toEqual([]);
  });

  it('posts the engine’s embed with no mentions allowed, and a nonce Discord enforces', async () => {
    h = await startBotHarness({ items: [sequel(1)] });
    const item = sequel(2, { title: 'Alita 2 news number 2 with @everyone in it' });
    h.setFeed([sequel(1), item]);
    await h.cycle();
    const [message] = await h.fake.waitForMessages(h.newsId, 1, 60_000);
    expect(message?.content).toBe('');
    expect(message?.embeds[0]).toMatchObject({ title: 'Alita 2 news number 2 with @\u200beveryone in it', url: item.link, timestamp: item.date });
    expect(message?.embeds[0]?.description).toContain('Update 2 on the Alita: Battle Angel sequel.');
    const [body] = h.announcementBodies();
    expect(body?.allowed_mentions).toEqual({ parse: [] });
    expect(body?.content).toBeUndefined();
    expect(body).toMatchObject({ nonce: expect.stringMatching(/^[0-9a-f]{25}$/), enforce_nonce: true });
  });

  it('with PING_ROLE_ID pings that role and only that role', async () => {
    h = await startBotHarness({ items: [sequel(1)], env: (fake) => ({ PING_ROLE_ID: fake.roleId('Sequel News') }) });
    const roleId = h.fake.roleId('Sequel News');
    h.setFeed([sequel(1), sequel(2)]);
    await h.cycle();
    const [message] = await h.fake.waitForMessages(h.newsId, 1, 60_000);
    expect(message?.content).toBe(`<@&${roleId}>`);
    expect(message?.embeds[0]?.title).toBe('Alita 2 news number 2');
    expect(h.announcementBodies()[0]?.allowed_mentions).toEqual({ parse: [], roles: [roleId] });
  });

  it('with BACKFILL announces the newest on-topic items of a new feed at once, oldest first', async () => {
    h = await startBotHarness({ items: [sequel(1), sequel(3), offTopic, sequel(2)], env: () => ({ BACKFILL: '2' }) });
    await h.fake.waitForMessages(h.newsId, 2, 60_000);
    await h.cycle();
    expect(h.titles()).toEqual(['Alita 2 news number 2', 'Alita 2 news number 3']);
  });

  it('/latest lists what the first poll archived even though nothing was announced', async () => {
    h = await startBotHarness({ items: [sequel(1), offTopic] });
    const reply = await h.fake.sendCommand({ name: 'latest' }).reply();
    expect(reply.embeds[0]?.description).toContain('Alita 2 news number 1');
    expect(reply.embeds[0]?.description).not.toContain('Avatar');
    expect(h.fake.messages(h.newsId)).toEqual([]);
  });
});
