/**
 * Five ~5 MB feeds parsed in the parse pool give exactly what parsing them in-thread gives. How
 * much better the event loop turns meanwhile is a speed, measured by `npm run bench` (/latest
 * during the cold cycle) and only logged here.
 */
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createBotContext } from '../src/bot/create-context.ts';
import { runCycle, type CycleResult } from '../src/bot/cycle.ts';
import { loadBotConfig } from '../src/config.ts';
import type { Analyze } from '../src/engine/analyze.ts';
import { ParsePool } from '../src/engine/parse-pool.ts';
import { loadTopic } from '../src/engine/topic.ts';
import { createLogger } from '../src/log.ts';
import { startHttpServer, type TestServer } from './support/http-server.ts';
import { tempSqliteStore } from './support/store.ts';

const FEEDS = 5;
const topic = loadTopic();
const TARGET_BYTES = 4.9 * 1024 * 1024;

/**
 * A large full-text feed: 5 MB in about 130 long articles, a few short sequel items among them.
 * One long article in four mentions Alita (a Blu-ray review: costly to judge, yet off topic).
 * Off-topic items stay out of the archive, so the store's share of the cycle stays small and
 * parsing is what gets measured.
 */
function bigFeed(n: number): string {
  const review = 'Our review of the Alita: Battle Angel Blu-ray re-release, with commentary by Robert Rodriguez and the cast. ';
  const council = 'The city council met on Tuesday to discuss the budget for parks, roads and the new library branch. ';
  const items: string[] = [];
  let size = 0;
  for (let i = 0; size < TARGET_BYTES; i++) {
    const sequel = i % 20 === 0;
    const paragraphs = Array.from({ length: 40 }, (_, p) => `<p>${(p === 0 && i % 4 === 1 ? review : council).repeat(10)}</p>`);
    const body = sequel ? `<p>Rodriguez and Cameron on the Alita: Battle Angel sequel, part ${i}.</p>` : paragraphs.join('');
    const title = sequel ? `Alita 2: sequel update ${n}.${i}` : `Weekly review ${n}.${i}`;
    const item = `<item><title>${title}</title><link>https://news${n}.example.com/story/${i}</link><guid>${n}-${i}</guid><pubDate>${new Date(Date.UTC(2024, 4, 1, 0, i)).toUTCString()}</pubDate><description><![CDATA[${body}]]></description></item>\n`;
    items.push(item);
    size += item.length;
  }
  return `<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>Big feed ${n}</title><link>https://news${n}.example.com/</link>${items.join('')}</channel></rss>`;
}

let server: TestServer;
let pool: ParsePool | undefined;
const cleanups: Array<() => Promise<void>> = [];

beforeAll(async () => {
  const bodies = Array.from({ length: FEEDS }, (_, n) => bigFeed(n));
  server = await startHttpServer((req, res) => {
    const body = bodies[Number(/\/feed-(\d+)\.xml$/.exec(req.url ?? '')?.[1])];
    if (body === undefined) return res.writeHead(404).end();
    // No keep-alive: a socket the server times out while the loop is blocked would otherwise
    // race the client's next request on it (a reset that has nothing to do with parsing).
    res.writeHead(200, { 'content-type': 'application/rss+xml; charset=utf-8', connection: 'close' }).end(body);
  });
});

afterAll(async () => {
  await pool?.close();
  await server.close();
  for (const cleanup of cleanups) await cleanup();
});

/** One full cycle over the five feeds on a fresh store; the longest the event loop was stuck, in ms. */
async function measuredCycle(analyze?: Analyze): Promise<{ maxDelayMs: number; result: CycleResult; archived: number; warnings: string[] }> {
  const temp = await tempSqliteStore();
  cleanups.push(temp.cleanup);
  const feeds = Array.from({ length: FEEDS }, (_, n) => `${server.url}/feed-${n}.xml`).join(',');
  // A generous deadline: parsing in-thread stalls the other feeds' downloads, which is the point.
  const config = loadBotConfig({ FEEDS: feeds, DATABASE_URL: temp.url, FETCH_TIMEOUT_MS: '120000' });
  const warnings: string[] = [];
  const logger = createLogger({ level: 'warn', write: (line) => warnings.push(line) });
  const ctx = createBotContext({ config, stores: temp.stores, logger, topic, clock: () => new Date('2024-06-01T12:00:00Z') });
  const delay = monitorEventLoopDelay({ resolution: 5 });
  delay.enable();
  const result = await runCycle({ ctx, port: { send: async () => undefined }, ...(analyze ? { analyze } : {}) });
  delay.disable();
  return { maxDelayMs: delay.max / 1e6, result, archived: await ctx.news.archivedCount(), warnings };
}

describe('responsiveness under a heavy poll', () => {
  it('parses five ~5 MB feeds off the main thread with the same outcome as in-thread', async () => {
    pool = new ParsePool({ topic });
    // The pool goes first, cold: its figure includes starting the workers and whatever else a
    // first cycle pays, so the comparison can only understate the gain.
    const inPool = await measuredCycle(pool.analyze);
    const inThread = await measuredCycle();

    // Same work, same outcome.
    expect(inPool.warnings).toEqual([]);
    expect(inThread.warnings).toEqual([]);
    expect(inThread.result).toMatchObject({ feeds: FEEDS, failed: 0 });
    expect(inPool.result).toMatchObject({ feeds: FEEDS, failed: 0 });
    expect(inPool.archived).toBe(inThread.archived);
    expect(inPool.archived).toBeGreaterThan(0);

    expect(pool.workers).toBeGreaterThan(0);
    console.log(`max event-loop delay: in-thread ${inThread.maxDelayMs.toFixed(0)} ms, parse pool ${inPool.maxDelayMs.toFixed(0)} ms`);
  }, 300_000);
});
