/**
 * Delivery of the outbox with a per-channel cap (src/bot/delivery.ts over a real SQLite outbox):
 * the first MAX posts of a channel's batch go out one by one, the rest as ONE digest message
 * whose nonce is derived from channel and batch, so a retried digest is posted once by Discord.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DeliveryError, deliverPending, plannedSends, type AnnouncePort } from '../src/bot/delivery.ts';
import { formatAnnouncement, type MessageBody } from '../src/engine/format.ts';
import type { NewsItem } from '../src/engine/types.ts';
import { silentLogger } from '../src/log.ts';
import type { NewEntry, Outbox } from '../src/store/sql/index.ts';
import { validateMessageBody } from './support/discord-schema.ts';
import { tempSqliteStore } from './support/store.ts';

const MAX = 5;
const CH1 = '100000000000000001';
const CH2 = '100000000000000002';
const ROLE = '300000000000000002';
const BATCH1 = '2024-03-01T12:00:00.000Z';
const BATCH2 = '2024-03-01T12:10:00.000Z';

type Sent = { channelId: string; body: MessageBody; nonce?: string; enforce_nonce?: boolean };

let temp: Awaited<ReturnType<typeof tempSqliteStore>>;
let outbox: Outbox;
let now: number;
let sent: Sent[];
/** Decides each send's fate: undefined → Discord accepts it, an error → the send throws it. */
let refuse: (send: Sent) => Error | undefined;

const port: AnnouncePort = {
  async send(channelId, { nonce, enforce_nonce, ...body }) {
    const send = { channelId, body, nonce, enforce_nonce };
    const error = refuse(send);
    if (error) throw error;
    sent.push(send);
  },
};

beforeEach(async () => {
  temp = await tempSqliteStore();
  outbox = temp.stores.outbox;
  now = Date.parse(BATCH1);
  sent = [];
  refuse = () => undefined;
});
afterEach(() => temp.cleanup());

function item(n: number): NewsItem {
  const published = new Date(Date.UTC(2024, 1, 1, n)).toISOString();
  return { id: `item-${n}`, feed: 'https://news.example.com/feed.xml', source: 'News Example', title: `Alita 2 news number ${n}`, summary: `Story ${n}.`, link: `https://news.example.com/${n}`, published };
}

function entries(channelId: string, numbers: number[], batch: string, roleId?: string): NewEntry[] {
  return numbers.map(item).map((i) => ({ channelId, itemId: i.id, title: i.title, body: formatAnnouncement(i, roleId ? { pingRoleId: roleId } : {}), batch, at: i.published! }));
}

const range = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => from + i);
const enqueue = (list: NewEntry[]) => outbox.enqueue(list, new Date(now), { maxPostsPerChannel: MAX });
const deliver = () => deliverPending({ outbox, port, clock: () => new Date(now), logger: silentLogger });
const isDigest = (body: MessageBody) => /more stor(y|ies) about the Alita sequel$/.test(body.embeds[0]?.title ?? '');
/** A digest's lines, one per item, as titles. */
const digestTitles = (body: MessageBody) => (body.embeds[0]?.description ?? '').split('\n').map((line) => /^• \[(.+?)\]/.exec(line)?.[1] ?? line);
const titlesOf = (numbers: number[]) => numbers.map((n) => item(n).title);

describe('deliverPending with a per-channel cap', () => {
  it('sends 12 new items of one channel and batch as 5 posts and 1 digest listing the other 7', async () => {
    expect(await enqueue(entries(CH1, range(1, 12), BATCH1))).toBe(12);
    const planned = plannedSends(await outbox.pending());
    expect(planned.map((s) => s.entries.length)).toEqual([1, 1, 1, 1, 1, 7]);

    expect(await deliver()).toEqual({ sent: 6, retrying: 0, dead: 0, published: 0, publishWaiting: 0, edited: 0 });
    expect(sent.map((s) => (isDigest(s.body) ? 'digest' : s.body.embeds[0]!.title))).toEqual([...titlesOf(range(1, 5)), 'digest']);
    for (const s of sent) expect(validateMessageBody({ ...s.body, nonce: s.nonce, enforce_nonce: s.enforce_nonce })).toEqual([]);
    const digest = sent.at(-1)!.body;
    expect(digest.embeds[0]!.title).toBe('7 more stories about the Alita sequel');
    expect(digestTitles(digest)).toEqual(titlesOf(range(6, 12)));
    expect(new Set(sent.map((s) => s.nonce)).size).toBe(6);
    expect(sent.every((s) => s.enforce_nonce === true)).toBe(true);
    expect(await outbox.pending()).toEqual([]);
  });

  it('gives each channel its own digest (with its own role ping and nonce)', async () => {
    await enqueue([...entries(CH1, range(1, 12), BATCH1), ...entries(CH2, range(1, 12), BATCH1, ROLE)]);
    expect(await deliver()).toMatchObject({ sent: 12, retrying: 0, dead: 0 });
    const digests = sent.filter((s) => isDigest(s.body));
    expect(digests.map((s) => s.channelId).sort()).toEqual([CH1, CH2]);
    for (const channel of [CH1, CH2]) expect(sent.filter((s) => s.channelId === channel && !isDigest(s.body))).toHaveLength(MAX);
    for (const d of digests) expect(digestTitles(d.body)).toEqual(titlesOf(range(6, 12)));
    expect(digests.find((d) => d.channelId === CH2)!.body).toMatchObject({ content: `<@&${ROLE}>`, allowed_mentions: { parse: [], roles: [ROLE] } });
    expect(digests.find((d) => d.channelId === CH1)!.body.content).toBeUndefined();
    expect(digests[0]!.nonce).not.toBe(digests[1]!.nonce);
    for (const d of digests) expect(validateMessageBody(d.body)).toEqual([]);
  });

  it('retries a failed digest later with the SAME nonce, all its entries pending meanwhile', async () => {
    await enqueue(entries(CH1, range(1, 12), BATCH1));
    const attempts: Sent[] = [];
    refuse = (s) => {
      if (!isDigest(s.body)) return undefined;
      attempts.push(s);
      return attempts.length === 1 ? new Error('socket hang up') : undefined;
    };
    expect(await deliver()).toEqual({ sent: 5, retrying: 1, dead: 0, published: 0, publishWaiting: 0, edited: 0 });
    const waiting = await outbox.pending();
    expect(waiting.map((e) => e.itemId)).toEqual(range(6, 12).map((n) => `item-${n}`));
    expect(new Set(waiting.map((e) => [e.attempts, e.nextAttemptAt].join()))).toHaveProperty('size', 1);
    expect(waiting[0]).toMatchObject({ attempts: 1, lastError: 'socket hang up' });

    // Not before its back-off is over…
    expect(await deliver()).toEqual({ sent: 0, retrying: 1, dead: 0, published: 0, publishWaiting: 0, edited: 0 });
    expect(attempts).toHaveLength(1);
    // …then the same digest, same entries, same nonce.
    now = Date.parse(waiting[0]!.nextAttemptAt!);
    expect(await deliver()).toEqual({ sent: 1, retrying: 0, dead: 0, published: 0, publishWaiting: 0, edited: 0 });
    expect(attempts).toHaveLength(2);
    expect(attempts[1]!.nonce).toBe(attempts[0]!.nonce);
    expect(attempts[1]!.body).toEqual(attempts[0]!.body);
    expect(await outbox.pending()).toEqual([]);
  });

  it('dead-letters every entry of a digest Discord refuses', async () => {
    await enqueue(entries(CH1, range(1, 12), BATCH1));
    refuse = (s) => (isDigest(s.body) ? new DeliveryError('Invalid Form Body', false, 400) : undefined);
    expect(await deliver()).toEqual({ sent: 5, retrying: 0, dead: 1, published: 0, publishWaiting: 0, edited: 0 });
    const dead = await outbox.deadLetters();
    expect(dead.map((d) => d.itemId).sort()).toEqual(range(6, 12).map((n) => `item-${n}`).sort());
    expect(dead.every((d) => d.reason === 'Invalid Form Body')).toBe(true);
    expect(await outbox.pending()).toEqual([]);
    expect(await deliver()).toEqual({ sent: 0, retrying: 0, dead: 0, published: 0, publishWaiting: 0, edited: 0 });
  });

  it('never folds a later batch’s entries into an earlier batch’s digest, even one waiting for its retry', async () => {
    await enqueue(entries(CH1, range(1, 12), BATCH1));
    let failures = 0;
    refuse = (s) => (isDigest(s.body) && failures++ === 0 ? new Error('HTTP 502') : undefined);
    await deliver();
    const firstNonce = plannedSends(await outbox.pending())[0]!.nonce;

    now = Date.parse(BATCH2);
    expect(await enqueue(entries(CH1, range(13, 20), BATCH2))).toBe(8);
    const planned = plannedSends(await outbox.pending());
    expect(planned.map((s) => [s.entries[0]!.batch, s.entries.length])).toEqual([[BATCH1, 7], ...range(1, 5).map(() => [BATCH2, 1]), [BATCH2, 3]]);
    expect(planned[0]!.nonce).toBe(firstNonce);
    expect(planned.at(-1)!.nonce).not.toBe(firstNonce);

    sent = [];
    expect(await deliver()).toEqual({ sent: 7, retrying: 0, dead: 0, published: 0, publishWaiting: 0, edited: 0 });
    const digests = sent.filter((s) => isDigest(s.body)).map((s) => digestTitles(s.body));
    expect(digests).toEqual([titlesOf(range(6, 12)), titlesOf(range(18, 20))]);
  });

  it('never sends a delivered entry again, whatever is queued later', async () => {
    const list = entries(CH1, range(1, 12), BATCH1);
    await enqueue(list);
    await deliver();
    expect(sent).toHaveLength(6);
    expect(await deliver()).toEqual({ sent: 0, retrying: 0, dead: 0, published: 0, publishWaiting: 0, edited: 0 });
    // The same items queued again (a repeated poll, a crash before seen marks): in the same batch or a later one.
    expect(await enqueue(list)).toBe(0);
    expect(await enqueue(list.map((e) => ({ ...e, batch: BATCH2 })))).toBe(0);
    expect(await deliver()).toEqual({ sent: 0, retrying: 0, dead: 0, published: 0, publishWaiting: 0, edited: 0 });
    expect(sent).toHaveLength(6);
    expect(await outbox.isDelivered({ channelId: CH1, itemId: 'item-12' })).toBe(true);
  });
});
