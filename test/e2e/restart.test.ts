// Announcements waiting in the outbox survive a restart on the same SQLite file and reach Discord
// exactly once, even when the first bot's send got through but its answer did not.
import { afterEach, describe, expect, it } from 'vitest';
import { sequel, startBotHarness, type BotHarness } from '../support/bot-harness.ts';

let h: BotHarness | undefined;

afterEach(async () => {
  await h?.close();
  h = undefined;
});

const PAST_BACKOFF = 11 * 60_000;
const posts = (harness: BotHarness) => harness.fake.requests.filter((r) => r.method === 'POST' && r.path === `/channels/${harness.newsId}/messages`);

describe('restart', () => {
  it('announcements pending while Discord is down are delivered once after a restart', async () => {
    h = await startBotHarness({ items: [sequel(1)] });
    h.fake.failNext(1000, 500, { route: 'POST /channels' });
    h.setFeed([sequel(1), sequel(2), sequel(3)]);
    await h.cycle();
    expect(await h.bot.ctx.outbox.counts()).toMatchObject({ pending: 2, dead: 0 });

    await h.restart();
    expect(await h.bot.ctx.outbox.counts()).toMatchObject({ pending: 2, dead: 0 });
    expect(h.fake.messages(h.newsId)).toEqual([]);

    h.fake.clearFaults();
    h.advance(PAST_BACKOFF);
    await h.cycle();
    await h.fake.waitForMessages(h.newsId, 2, 60_000);
    await h.cycle();
    // And a second restart neither repeats them nor loses track of what was seen.
    await h.restart();
    h.advance(PAST_BACKOFF);
    await h.cycle();
    expect(h.titles()).toEqual(['Alita 2 news number 2', 'Alita 2 news number 3']);
    expect(await h.bot.ctx.outbox.counts()).toMatchObject({ pending: 0, dead: 0 });
    expect(h.fake.gatewayStats.identifies).toBe(3);
  });

  it('no duplicate when the first bot’s send reached Discord but the answer never came back', async () => {
    // The fake creates the message after 1.5 s; the bot gives up after 0.5 s and keeps it queued.
    h = await startBotHarness({ items: [sequel(1)], restTimeoutMs: 500 });
    h.fake.delayNext(1, 1500, { route: 'POST /channels' });
    h.setFeed([sequel(1), sequel(2)]);
    await h.cycle();
    expect(h.logsMatching(/announcement not delivered; will retry .*could not reach Discord/)).toHaveLength(1);
    await h.fake.waitForMessages(h.newsId, 1, 60_000);
    expect(await h.bot.ctx.outbox.counts()).toMatchObject({ pending: 1, dead: 0 });

    await h.restart();
    h.advance(PAST_BACKOFF);
    await h.cycle();
    await h.cycle();
    expect(h.titles()).toEqual(['Alita 2 news number 2']);
    expect(await h.bot.ctx.outbox.counts()).toMatchObject({ pending: 0, dead: 0 });
    // The retry carried the same nonce with enforce_nonce, so Discord returned the first message.
    const [first, retry] = posts(h).map((r) => r.body as { nonce?: string; enforce_nonce?: boolean });
    expect(posts(h)).toHaveLength(2);
    expect(retry).toMatchObject({ nonce: first?.nonce, enforce_nonce: true });
  });
});
