/**
 * A heavy but legal feed (110,000 tiny items, ~4.5 MB) polled by the real bot: the poll completes,
 * only the newest MAX_ITEMS_PER_FEED items are read (the log says the feed was cut and how many
 * items it had), and every /latest sent meanwhile is acknowledged within Discord's 3-second
 * window, which the fake Discord enforces. How fast and how much memory: `npm run bench`.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { InteractionHandle } from './fake-discord/interaction-handle.ts';
import { startBotHarness, type BotHarness } from './support/bot-harness.ts';
import { startHttpServer, type TestServer } from './support/http-server.ts';

const ITEMS = 110_000;
/** On-topic items by position, newest first: the first three are within the newest 500, the rest are not. */
const ON_TOPIC = [0, 137, 499, 500, 5_000, ITEMS - 1];
const sequelTitle = (n: number) => `Alita 2 sequel news number ${n}`;

function heavyFeed(): string {
  const items: string[] = [];
  for (let n = 0; n < ITEMS; n++) items.push(`<item><title>${ON_TOPIC.includes(n) ? sequelTitle(n) : `Story ${n}`}</title></item>\n`);
  return `<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>Heavy Wire</title><link>https://heavy.example.com/</link>${items.join('')}</channel></rss>`;
}

const SMALL = '<?xml version="1.0"?><rss version="2.0"><channel><title>Heavy Wire</title><item><title>Story -1</title></item></channel></rss>';

let site: TestServer;
let harness: BotHarness | undefined;
let body = SMALL;

beforeAll(async () => {
  site = await startHttpServer((_req, res) => res.writeHead(200, { 'content-type': 'application/rss+xml; charset=utf-8' }).end(body));
});
afterAll(async () => {
  await harness?.close();
  await site.close();
});

describe('a feed of 110,000 tiny items', () => {
  it('is polled without error, only its newest MAX_ITEMS_PER_FEED read, while every /latest is acknowledged', async () => {
    const feedUrl = `${site.url}/heavy.xml`;
    // The first poll (a small document) only makes the feed known: the heavy one is a later poll, which announces.
    harness = await startBotHarness({ env: () => ({ FEEDS: feedUrl, MAX_ITEMS_PER_FEED: '500' }) });
    const bot = harness;
    body = heavyFeed();
    expect(body.length).toBeGreaterThan(4_000_000);

    const commands: InteractionHandle[] = [];
    let polling = true;
    const asking = (async () => {
      while (polling) {
        commands.push(bot.fake.sendCommand({ name: 'latest' }));
        await new Promise((resolve) => setTimeout(resolve, 250));
      }
    })();
    try {
      await bot.cycle();
    } finally {
      polling = false;
      await asking;
    }
    const outcomes = await Promise.allSettled(commands.map((command) => command.acknowledged({ timeoutMs: 60_000 })));
    const late = outcomes.flatMap((outcome) => (outcome.status === 'rejected' ? [String(outcome.reason)] : []));
    expect(commands.length).toBeGreaterThan(0);
    expect(late).toEqual([]);

    expect(bot.logsMatching(/feed failed|cycle failed/)).toEqual([]);
    const cut = bot.logsMatching(/feed cut to its newest items/);
    expect(cut).toHaveLength(1);
    expect(cut[0]).toContain(`items=${ITEMS}`);
    expect(cut[0]).toContain('kept=500');

    const newest = [0, 137, 499].map(sequelTitle).sort();
    expect([...bot.titles()].sort()).toEqual(newest);
    const archived = await bot.bot.ctx.news.latest({ limit: 50 });
    expect(archived.map((item) => item.title).sort()).toEqual(newest);
  }, 240_000);
});
