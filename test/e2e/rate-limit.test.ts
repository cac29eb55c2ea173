// A 429 on the channel route: discord.js waits it out inside the cycle and the message arrives once.
import { afterEach, describe, expect, it } from 'vitest';
import { sequel, startBotHarness, type BotHarness } from '../support/bot-harness.ts';

let h: BotHarness | undefined;

afterEach(async () => {
  await h?.close();
  h = undefined;
});

const postStatuses = (harness: BotHarness) =>
  harness.fake.requests.filter((r) => r.method === 'POST' && r.path === `/channels/${harness.newsId}/messages`).map((r) => r.status);

describe('rate limits', () => {
  it('a 429 on the channel route is waited out and the announcement arrives once', async () => {
    h = await startBotHarness({ items: [sequel(1)] });
    h.fake.rateLimitNext(1, 0.3, { route: 'POST /channels' });
    h.setFeed([sequel(1), sequel(2)]);
    await h.cycle();
    await h.fake.waitForMessages(h.newsId, 1, 60_000);
    await h.cycle();
    await h.cycle();
    expect(h.titles()).toEqual(['Alita 2 news number 2']);
    expect(postStatuses(h)).toEqual([429, 200]);
    expect(h.logsMatching(/will retry|dead letters/)).toEqual([]);
  });

  it('a global 429 is waited out too, and the next items follow in order', async () => {
    h = await startBotHarness({ items: [sequel(1)] });
    h.fake.rateLimitNext(1, 0.3, { route: 'POST /channels', global: true });
    h.setFeed([sequel(1), sequel(2), sequel(3)]);
    await h.cycle();
    await h.fake.waitForMessages(h.newsId, 2, 60_000);
    await h.cycle();
    expect(h.titles()).toEqual(['Alita 2 news number 2', 'Alita 2 news number 3']);
    expect(postStatuses(h)).toEqual([429, 200, 200]);
  });
});
