/**
 * Publishing announcements in announcement channels (src/bot/publish.ts, through deliverPending,
 * over a real SQLite outbox): every post goes out at once, its publish follows as Discord's
 * limit of 10 per channel per hour allows, and what waits survives a restart.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DeliveryError, deliverPending, type AnnouncePort } from '../src/bot/delivery.ts';
import { PUBLISHES_PER_HOUR } from '../src/bot/publish.ts';
import { formatAnnouncement } from '../src/engine/format.ts';
import { silentLogger } from '../src/log.ts';
import type { NewEntry, Outbox } from '../src/store/sql/index.ts';
import { tempSqliteStore } from './support/store.ts';

const NEWS = '100000000000000001';
const TEXT = '100000000000000002';
const MINUTE = 60_000;

let temp: Awaited<ReturnType<typeof tempSqliteStore>>;
let outbox: Outbox;
let now: number;
let posted: Array<{ channelId: string; id: string }>;
let published: Array<{ channelId: string; messageId: string; at: number }>;
/** Decides each publish's fate: undefined → Discord accepts it. */
let refusePublish: (channelId: string) => Error | undefined;

const port: AnnouncePort = {
  async send(channelId) {
    const id = `m${posted.length + 1}`;
    posted.push({ channelId, id });
    return { id };
  },
  async publish(channelId, messageId) {
    const error = refusePublish(channelId);
    if (error) throw error;
    published.push({ channelId, messageId, at: now });
  },
};

beforeEach(async () => {
  temp = await tempSqliteStore();
  outbox = temp.stores.outbox;
  now = Date.parse('2024-03-01T12:00:00.000Z');
  posted = [];
  published = [];
  refusePublish = () => undefined;
});
afterEach(() => temp.cleanup());

function stories(channelId: string, count: number, batch = 'b1'): NewEntry[] {
  return Array.from({ length: count }, (_, i) => {
    const item = { id: `${batch}-${i + 1}`, feed: 'f', source: 'News', title: `Alita 2 story ${i + 1}`, summary: '', link: `https://news.example.com/${batch}/${i + 1}`, published: new Date(now - (count - i) * MINUTE).toISOString() };
    return { channelId, itemId: item.id, title: item.title, body: formatAnnouncement(item), batch, at: item.published };
  });
}

const deliver = (publishes = (channelId: string) => channelId === NEWS) => deliverPending({ outbox, port, clock: () => new Date(now), logger: silentLogger, publishes });

describe('publishing in announcement channels', () => {
  it('posts 12 stories at once, publishes 10, and the other 2 once the hour allows', async () => {
    await outbox.enqueue(stories(NEWS, 12), new Date(now));
    expect(await deliver()).toMatchObject({ sent: 12, published: PUBLISHES_PER_HOUR, publishWaiting: 2 });
    expect(posted).toHaveLength(12);
    expect(published.map((p) => p.messageId)).toEqual(posted.slice(0, 10).map((p) => p.id));
    expect(await outbox.counts()).toMatchObject({ pending: 0, publishing: 2 });

    now += 59 * MINUTE;
    expect(await deliver()).toMatchObject({ sent: 0, published: 0, publishWaiting: 2 });
    now += 2 * MINUTE;
    expect(await deliver()).toMatchObject({ published: 2, publishWaiting: 0 });
    expect(published.map((p) => p.messageId)).toEqual(posted.map((p) => p.id));
    expect(await outbox.counts()).toMatchObject({ publishing: 0 });
  });

  it('keeps waiting publishes over a restart, and never publishes one twice', async () => {
    await outbox.enqueue(stories(NEWS, 12), new Date(now));
    await deliver();
    outbox = (await temp.reopen()).outbox;
    now += 61 * MINUTE;
    expect(await deliver()).toMatchObject({ published: 2 });
    expect(await deliver()).toMatchObject({ published: 0, publishWaiting: 0 });
    expect(new Set(published.map((p) => p.messageId)).size).toBe(12);
    expect(published).toHaveLength(12);
  });

  it('publishes only where publishing is on, and a digest message once', async () => {
    await outbox.enqueue(stories(TEXT, 3), new Date(now));
    await outbox.enqueue(stories(NEWS, 8, 'b2'), new Date(now), { maxPostsPerChannel: 5 });
    expect(await deliver()).toMatchObject({ sent: 3 + 6, published: 6 });
    expect(published.every((p) => p.channelId === NEWS)).toBe(true);
  });

  it('waits as long as Discord says on a 429, and backs off on an outage, posting meanwhile', async () => {
    refusePublish = () => new DeliveryError('rate limited for 1800000 ms', true, 429, 30 * MINUTE);
    await outbox.enqueue(stories(NEWS, 2), new Date(now));
    expect(await deliver()).toMatchObject({ sent: 2, published: 0, publishWaiting: 2 });
    refusePublish = () => undefined;
    now += 29 * MINUTE;
    await outbox.enqueue(stories(NEWS, 1, 'b2'), new Date(now));
    expect(await deliver()).toMatchObject({ sent: 1, published: 0, publishWaiting: 3 });
    now += 2 * MINUTE;
    expect(await deliver()).toMatchObject({ published: 3 });

    refusePublish = () => new DeliveryError('could not reach Discord: ECONNRESET', true);
    await outbox.enqueue(stories(NEWS, 1, 'b3'), new Date(now));
    expect(await deliver()).toMatchObject({ sent: 1, published: 0, publishWaiting: 1 });
    const [waiting] = await outbox.pendingPublishes();
    expect(waiting).toMatchObject({ publishAttempts: 1 });
    expect(Date.parse(waiting!.publishAfter!)).toBeGreaterThan(now);
  });

  it('gives up on a publish Discord refuses for good; the post stays and the others go on', async () => {
    refusePublish = (channelId) => (channelId === NEWS ? new DeliveryError('Discord 400 (50024): Cannot execute action on this channel type', false, 400) : undefined);
    await outbox.enqueue(stories(NEWS, 2), new Date(now));
    expect(await deliver()).toMatchObject({ sent: 2, published: 0, publishWaiting: 0 });
    expect(await outbox.counts()).toMatchObject({ pending: 0, dead: 0, publishing: 0 });
  });

  it('publishes nothing through a port that cannot (the console)', async () => {
    const consolePort: AnnouncePort = { send: async () => undefined };
    await outbox.enqueue(stories(NEWS, 2), new Date(now));
    expect(await deliverPending({ outbox, port: consolePort, clock: () => new Date(now), logger: silentLogger, publishes: () => true })).toMatchObject({ sent: 2, published: 0, publishWaiting: 0 });
  });
});
