/**
 * runCycle with two servers over a real SQLite store and local feeds: which channel hears about
 * which feed (operator feeds everywhere, a server's own feed in that server only), the story rule
 * per channel, the per-channel cap with its digest, and one fetch per URL per cycle.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { BotContext } from '../src/bot/context.ts';
import { createBotContext } from '../src/bot/create-context.ts';
import { runCycle } from '../src/bot/cycle.ts';
import type { AnnouncePort } from '../src/bot/delivery.ts';
import { loadBotConfig } from '../src/config.ts';
import type { MessageBody } from '../src/engine/format.ts';
import { silentLogger } from '../src/log.ts';
import { validateMessageBody } from './support/discord-schema.ts';
import { rss, type TestItem } from './support/feeds.ts';
import { startHttpServer, type TestServer } from './support/http-server.ts';
import { tempSqliteStore } from './support/store.ts';

const GUILD_A = '900000000000000001';
const GUILD_B = '900000000000000002';
const CHANNEL_A = '100000000000000001';
const CHANNEL_B = '100000000000000002';
const ROLE_B = '300000000000000002';
const MINUTE = 60_000;

let site: TestServer;
let temp: Awaited<ReturnType<typeof tempSqliteStore>>;
/** What each path of the local site serves now. */
let docs: Record<string, TestItem[]>;
let ctx: BotContext;
let now: number;
let sent: Array<{ channelId: string; body: MessageBody; issues: string[] }>;

/** Records what Discord would receive; a body Discord would refuse fails the test (checked after it, as delivery catches throws). */
const port: AnnouncePort = {
  async send(channelId, body) {
    const { nonce: _nonce, enforce_nonce: _enforce, ...rest } = body;
    sent.push({ channelId, body: rest, issues: validateMessageBody(body) });
  },
};

beforeEach(async () => {
  docs = { '/operator.xml': [], '/a.xml': [] };
  sent = [];
  now = Date.parse('2024-03-01T12:00:00Z');
  site = await startHttpServer((req, res) => {
    const items = docs[req.url ?? ''];
    if (!items) return res.writeHead(404).end();
    res.writeHead(200, { 'content-type': 'application/rss+xml' }).end(rss(items));
  });
  temp = await tempSqliteStore();
  // Server feeds live on 127.0.0.1 here, which the address guard would refuse.
  const config = loadBotConfig({ FEEDS: `${site.url}/operator.xml`, DATABASE_URL: temp.url, ALLOW_PRIVATE_FEEDS: 'true', MAX_ANNOUNCEMENTS_PER_POLL: '5' });
  ctx = createBotContext({ config, stores: temp.stores, logger: silentLogger, clock: () => new Date(now) });
  const updatedAt = new Date(now).toISOString();
  await ctx.settings.setGuild({ guildId: GUILD_A, channelId: CHANNEL_A, updatedAt });
  await ctx.settings.setGuild({ guildId: GUILD_B, channelId: CHANNEL_B, roleId: ROLE_B, updatedAt });
  expect(await addFeed(GUILD_A, '/a.xml')).toBe('added');
  // Every feed's first poll announces nothing (BACKFILL 0): the tests start after it.
  await cycle();
});

afterEach(async () => {
  await site.close();
  await temp.cleanup();
  expect(sent.flatMap((s) => s.issues)).toEqual([]);
});

const addFeed = (guildId: string, path: string) => ctx.settings.addGuildFeed({ guildId, url: `${site.url}${path}`, addedAt: new Date(now).toISOString() }, 25);
/** Each cycle is its own batch: the clock moves on, as it does between real cycles. */
async function cycle() {
  now += 10 * MINUTE;
  return runCycle({ ctx, port });
}
const story = (n: number, over: Partial<TestItem> = {}): TestItem => ({
  title: `Alita 2 news number ${n}`,
  link: `https://news.example.com/alita-2-${n}`,
  date: new Date(Date.UTC(2024, 1, 29, 0, n)).toISOString(),
  ...over,
});
const isDigest = (body: MessageBody) => /more stor(y|ies) about the Alita sequel$/.test(body.embeds[0]?.title ?? '');
/** Per channel, the titles of its individual posts (digests as 'digest of N'). */
function heard(channel: string): string[] {
  return sent.filter((s) => s.channelId === channel).map((s) => (isDigest(s.body) ? `digest of ${s.body.embeds[0]!.title.split(' ')[0]}` : s.body.embeds[0]!.title));
}
const hits = (path: string) => site.requests.filter((r) => r.url === path).length;

describe('runCycle with two servers', () => {
  it('announces an operator feed’s item in both channels once, and server A’s own feed’s item in A only', async () => {
    docs['/operator.xml'] = [story(1)];
    docs['/a.xml'] = [story(2)];
    expect(await cycle()).toMatchObject({ feeds: 2, failed: 0, delivery: { sent: 3, retrying: 0, dead: 0 } });
    expect(heard(CHANNEL_A).sort()).toEqual(['Alita 2 news number 1', 'Alita 2 news number 2']);
    expect(heard(CHANNEL_B)).toEqual(['Alita 2 news number 1']);
    // B's announcements ping B's role; A set none.
    expect(sent.find((s) => s.channelId === CHANNEL_B)!.body.content).toBe(`<@&${ROLE_B}>`);
    await cycle();
    expect(sent).toHaveLength(3);
  });

  it('announces the same story on both feeds (same headline, other links) once per channel', async () => {
    docs['/operator.xml'] = [story(1, { link: 'https://big.example.com/alita-2-trailer', title: 'Alita 2 trailer is out!' })];
    docs['/a.xml'] = [story(1, { link: 'https://fan.example.com/trailer', title: 'Alita 2 trailer is out' })];
    await cycle();
    await cycle();
    expect(heard(CHANNEL_A)).toHaveLength(1);
    expect(heard(CHANNEL_B)).toEqual(['Alita 2 trailer is out!']);
  });

  it('announces an article server A’s feed carried first to server B when the operator feed carries it later', async () => {
    docs['/a.xml'] = [story(1)];
    await cycle();
    docs['/operator.xml'] = [story(1)];
    await cycle();
    expect(heard(CHANNEL_A)).toEqual(['Alita 2 news number 1']);
    expect(heard(CHANNEL_B)).toEqual(['Alita 2 news number 1']);
  });

  it('turns a 300-item burst into at most 5 posts and one digest per channel, and archives all 300', async () => {
    docs['/operator.xml'] = Array.from({ length: 300 }, (_, i) => story(i + 1)).reverse();
    expect(await cycle()).toMatchObject({ failed: 0, announced: 300, delivery: { sent: 12, retrying: 0, dead: 0 } });
    for (const channel of [CHANNEL_A, CHANNEL_B]) {
      // Oldest first: the five oldest as posts, the other 295 in the digest.
      expect(heard(channel)).toEqual([...[1, 2, 3, 4, 5].map((n) => `Alita 2 news number ${n}`), 'digest of 295']);
    }
    const digest = sent.find((s) => s.channelId === CHANNEL_B && isDigest(s.body))!.body;
    expect(digest.content).toBe(`<@&${ROLE_B}>`);
    expect(digest.embeds[0]!.description).toMatch(/^• \[Alita 2 news number 6\]/);
    expect(digest.embeds[0]!.description).toMatch(/…and \d+ more — see \/latest$/);
    const archived = await ctx.news.latest({ limit: 500 });
    expect(new Set(archived.map((i) => i.title))).toEqual(new Set(Array.from({ length: 300 }, (_, i) => `Alita 2 news number ${i + 1}`)));
    expect(await ctx.outbox.pending()).toEqual([]);
  });

  it('fetches a URL both servers added once per cycle, and announces its items in both', async () => {
    docs['/shared.xml'] = [];
    expect(await addFeed(GUILD_A, '/shared.xml')).toBe('added');
    expect(await addFeed(GUILD_B, '/shared.xml')).toBe('added');
    expect((await ctx.feeds()).filter((f) => f.url.endsWith('/shared.xml'))).toEqual([{ url: `${site.url}/shared.xml`, operator: false, guilds: [GUILD_A, GUILD_B] }]);
    await cycle();
    expect(hits('/shared.xml')).toBe(1);
    docs['/shared.xml'] = [story(7)];
    await cycle();
    expect(hits('/shared.xml')).toBe(2);
    expect(heard(CHANNEL_A)).toEqual(['Alita 2 news number 7']);
    expect(heard(CHANNEL_B)).toEqual(['Alita 2 news number 7']);
  });
});
