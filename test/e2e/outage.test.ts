// Discord failing while news arrives: the outbox holds announcements across cycles and delivers
// each once, oldest first; refusals that retrying cannot fix go to the dead letters.
import { afterEach, describe, expect, it } from 'vitest';
import { sequel, startBotHarness, type BotHarness } from '../support/bot-harness.ts';

let h: BotHarness | undefined;

afterEach(async () => {
  await h?.close();
  h = undefined;
});

const MINUTE = 60_000;
/** Longer than the longest delivery back-off (10 minutes). */
const PAST_BACKOFF = 11 * MINUTE;

const posts = (harness: BotHarness) => harness.fake.requests.filter((r) => r.method === 'POST' && r.path === `/channels/${harness.newsId}/messages`);

describe('Discord outages', () => {
  it('500s on the channel route across several cycles: afterwards every announcement arrives once, oldest first', async () => {
    h = await startBotHarness({ items: [sequel(1)] });
    h.fake.failNext(1000, 500, { route: 'POST /channels' });
    h.setFeed([sequel(1), sequel(2)]);
    await h.cycle();
    h.advance(MINUTE);
    h.setFeed([sequel(1), sequel(2), sequel(3)]);
    await h.cycle();
    h.advance(MINUTE);
    // Two new items in one cycle, newest first in the feed: they still go out oldest first.
    h.setFeed([sequel(5), sequel(4), sequel(1), sequel(2), sequel(3)]);
    await h.cycle();
    expect(h.fake.messages(h.newsId)).toEqual([]);
    expect(posts(h).length).toBeGreaterThanOrEqual(3);
    expect(await h.bot.ctx.outbox.counts()).toMatchObject({ pending: 4, dead: 0 });
    expect(h.logsMatching(/announcement not delivered; will retry/).length).toBeGreaterThanOrEqual(3);

    h.fake.clearFaults();
    h.advance(PAST_BACKOFF);
    await h.cycle();
    await h.fake.waitForMessages(h.newsId, 4, 60_000);
    await h.cycle();
    h.advance(PAST_BACKOFF);
    await h.cycle();
    expect(h.titles()).toEqual([2, 3, 4, 5].map((n) => `Alita 2 news number ${n}`));
    expect(await h.bot.ctx.outbox.counts()).toMatchObject({ pending: 0, dead: 0 });
  });

  it('a 503 outage of the whole API: the bot keeps polling and delivers once Discord is back', async () => {
    h = await startBotHarness({ items: [sequel(1)] });
    await h.fake.setOutage(503);
    h.setFeed([sequel(1), sequel(2)]);
    await h.cycle();
    h.advance(MINUTE);
    h.setFeed([sequel(1), sequel(2), sequel(3)]);
    await h.cycle();
    expect(h.logsMatching(/poll finished feeds=1 failed=0 new=1 sent=0 retrying=1/)).toHaveLength(2);
    await h.fake.setOutage(null);
    h.advance(PAST_BACKOFF);
    await h.cycle();
    await h.fake.waitForMessages(h.newsId, 2, 60_000);
    expect(h.titles()).toEqual(['Alita 2 news number 2', 'Alita 2 news number 3']);
  });

  it('dead letters: a 403 or a deleted channel is not retried, /status lists it, later items still go out', async () => {
    h = await startBotHarness({ items: [sequel(1)] });
    h.fake.failNext(1, 403, { route: `POST /channels/${h.newsId}/messages`, body: { message: 'Missing Permissions', code: 50013 } });
    h.setFeed([sequel(1), sequel(2), sequel(3)]);
    await h.cycle();
    await h.fake.waitForMessages(h.newsId, 1, 60_000);
    h.advance(PAST_BACKOFF);
    await h.cycle();
    expect(h.titles()).toEqual(['Alita 2 news number 3']);
    expect(posts(h).map((r) => r.status)).toEqual([403, 200]);
    expect(h.logsMatching(/announcement refused by Discord; moved to dead letters .*item="Alita 2 news number 2"/)).toHaveLength(1);

    // The channel is deleted: Discord answers 404 Unknown Channel.
    const channels = h.fake.guild.channels;
    channels.splice(channels.findIndex((c) => c.id === h!.newsId), 1);
    h.setFeed([sequel(1), sequel(2), sequel(3), sequel(4)]);
    await h.cycle();
    expect(await h.bot.ctx.outbox.counts()).toMatchObject({ pending: 0, dead: 2 });

    const status = await h.fake.sendCommand({ name: 'status' }).reply();
    const text = status.embeds[0]?.description ?? '';
    expect(text).toContain('**Outbox (all servers):** 0 waiting, 2 dead-lettered');
    expect(text).toContain('**Not delivered here**');
    expect(text).toMatch(/• Alita 2 news number 2: Discord 403 \\?\(50013\\?\): Missing Permissions/);
    expect(text).toMatch(/• Alita 2 news number 4: Discord 404 \\?\(10003\\?\): Unknown Channel/);
  });

  it('connection refused, gateway cut too: the bot resumes by itself, delivers, and answers commands', async () => {
    h = await startBotHarness({ items: [sequel(1)] });
    await h.fake.setOutage('refuse');
    h.setFeed([sequel(1), sequel(2)]);
    await h.cycle();
    expect(h.logsMatching(/will retry .*could not reach Discord: .*ECONNREFUSED/)).toHaveLength(1);
    await h.fake.setOutage(null);
    await h.fake.waitForGateway(90_000);
    h.advance(PAST_BACKOFF);
    await h.cycle();
    await h.fake.waitForMessages(h.newsId, 1, 60_000);
    expect(h.titles()).toEqual(['Alita 2 news number 2']);
    const reply = await h.fake.sendCommand({ name: 'latest', options: { count: 1 } }).reply();
    expect(reply.embeds[0]?.description).toContain('Alita 2 news number 2');
  });

  it('commands during a 503 outage are logged, not fatal, and answered again once Discord is back', async () => {
    h = await startBotHarness({ items: [sequel(1)] });
    await h.fake.setOutage(503);
    h.fake.sendCommand({ name: 'latest' });
    h.fake.sendCommand({ name: 'status' });
    const deadline = Date.now() + 5000;
    while (h.logsMatching(/interaction failed/).length < 2 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    expect(h.logsMatching(/interaction failed command=(latest|status) .*Service Unavailable/)).toHaveLength(2);
    await h.fake.setOutage(null);
    const reply = await h.fake.sendCommand({ name: 'latest' }).reply();
    expect(reply.embeds[0]?.description).toContain('Alita 2 news number 1');
  });
});
