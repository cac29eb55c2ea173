/**
 * A feed that keeps failing is paused: moderators read why in /status, LOG_CHANNEL_ID gets one
 * message through the outbox, and the daily probe resumes the feed once the site answers.
 */
import { afterEach, describe, expect, it } from 'vitest';
import status from '../commands/status.ts';
import type { CommandRequest } from '../src/bot/command.ts';
import { createBotContext } from '../src/bot/create-context.ts';
import { runCycle } from '../src/bot/cycle.ts';
import { loadBotConfig } from '../src/config.ts';
import type { MessageBody } from '../src/engine/format.ts';
import { silentLogger } from '../src/log.ts';
import { validateMessageBody } from './support/discord-schema.ts';
import { rss } from './support/feeds.ts';
import { startHttpServer, type TestServer } from './support/http-server.ts';
import { tempSqliteStore } from './support/store.ts';

const MINUTE = 60_000;
const LOG_CHANNEL = '123456789012345678';
const request: CommandRequest = { name: 'status', options: {}, userId: '1', canManageGuild: false };

let site: TestServer | undefined;
let cleanup: (() => Promise<void>) | undefined;
afterEach(async () => {
  await site?.close();
  await cleanup?.();
});

describe('a paused feed', () => {
  it('is posted once to LOG_CHANNEL_ID, shown with its reason by /status, and resumed by a successful daily probe', async () => {
    let answer = 500;
    site = await startHttpServer((_req, res) => {
      if (answer !== 200) return res.writeHead(answer).end();
      res.writeHead(200, { 'content-type': 'application/rss+xml' }).end(rss([{ title: 'Alita 2 news', link: 'https://news.example.com/1' }]));
    }, '127.0.0.2');
    const feed = `${site.url}/feed.xml`;
    const temp = await tempSqliteStore();
    cleanup = temp.cleanup;
    let now = Date.parse('2024-06-01T12:00:00Z');
    const config = loadBotConfig({ FEEDS: feed, DATABASE_URL: temp.url, LOG_CHANNEL_ID: LOG_CHANNEL });
    const ctx = createBotContext({ config, stores: temp.stores, logger: silentLogger, clock: () => new Date(now) });
    const sent: Array<{ channelId: string; body: MessageBody }> = [];
    const cycle = () => runCycle({ ctx, port: { send: async (channelId, body) => void sent.push({ channelId, body }) }, politeness: { pauseAfter: 4 } });
    const description = async () => (await status.execute(request, ctx)).embeds![0]!.description!;

    await cycle();
    now += 10 * MINUTE;
    expect(await description()).toContain(`1 failure in a row (HTTP 500 Internal Server Error); retrying at the next poll`);
    for (let i = 0; i < 3; i++) {
      await cycle();
      now = Date.parse((await ctx.news.getFeedState(feed))!.nextAttemptAt!);
    }
    expect(await ctx.news.getFeedState(feed)).toMatchObject({ paused: true, pausedReason: '4 failures in a row, last: HTTP 500 Internal Server Error' });
    expect(sent).toHaveLength(1);
    expect(sent[0]!.channelId).toBe(LOG_CHANNEL);
    expect(validateMessageBody(sent[0]!.body)).toEqual([]);
    expect(sent[0]!.body).toMatchObject({
      content: `⏸️ Feed paused: \`${feed}\`\n\`4 failures in a row, last: HTTP 500 Internal Server Error\`\nThe bot tries it once a day and resumes it as soon as it answers.`,
      embeds: [],
      allowed_mentions: { parse: [] },
    });

    now -= 4 * 60 * MINUTE; // 20 hours after the pause
    const paused = await description();
    expect(paused).toContain('**Feeds (1, 1 paused)**');
    expect(paused).toMatch(/⏸️ .*feed\.xml: paused since 20 h 0 min ago \(4 failures in a row, last: HTTP 500 Internal Server Error\); next try in 4 h 0 min; last success never/);

    // The first probe fails: still paused, nothing posted again; the next one succeeds.
    now += 4 * 60 * MINUTE;
    answer = 503;
    expect(await cycle()).toMatchObject({ failed: 1 });
    expect(await ctx.news.getFeedState(feed)).toMatchObject({ paused: true, consecutiveFailures: 5, lastError: 'HTTP 503 Service Unavailable' });
    expect(sent).toHaveLength(1);
    now += 23 * 60 * MINUTE;
    expect(await cycle()).toMatchObject({ skipped: 1 });
    now += 60 * MINUTE;
    answer = 200;
    expect(await cycle()).toMatchObject({ failed: 0, skipped: 0 });
    const resumed = (await ctx.news.getFeedState(feed))!;
    expect(resumed).toMatchObject({ consecutiveFailures: 0, initialized: true });
    expect([resumed.paused, resumed.pausedReason, resumed.nextAttemptAt]).toEqual([undefined, undefined, undefined]);
    expect(await description()).toMatch(/✅ .*feed\.xml: ok, 0 s ago/);
    expect(site.requests).toHaveLength(6);
  });
});
