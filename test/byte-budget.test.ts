/**
 * The byte budget that fetches and the parse pool share (src/engine/byte-budget.ts), alone and
 * as fetchFeed uses it: a body's announced length is reserved before it is read, the wait does
 * not count against the fetch's timeout, and the reservation is given back however it ends.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { ByteBudget } from '../src/engine/byte-budget.ts';
import { FeedTooLargeError } from '../src/engine/errors.ts';
import { fetchFeed } from '../src/engine/fetch.ts';
import { rss } from './support/feeds.ts';
import { startHttpServer, type TestServer } from './support/http-server.ts';

const tick = (ms = 30) => new Promise((resolve) => setTimeout(resolve, ms));
const servers: TestServer[] = [];
afterEach(async () => {
  for (const server of servers.splice(0)) await server.close();
});

/** Records the order in which reservations are granted. */
function grants(budget: ByteBudget, sizes: number[]): { order: number[]; holds: Promise<{ release(): void }>[] } {
  const order: number[] = [];
  const holds = sizes.map((size, i) =>
    budget.reserve(size).then((hold) => {
      order.push(i);
      return hold;
    }),
  );
  return { order, holds };
}

describe('ByteBudget', () => {
  it('grants what fits at once and makes the rest wait until bytes are given back', async () => {
    const budget = new ByteBudget(100);
    const { order, holds } = grants(budget, [60, 30, 50]);
    await tick();
    expect(order).toEqual([0, 1]);
    expect(budget.inUse).toBe(90);
    (await holds[0]!).release();
    await tick();
    expect(order).toEqual([0, 1, 2]);
    expect(budget.inUse).toBe(80);
  });

  it('serves first come first served: a small reservation does not overtake a waiting big one', async () => {
    const budget = new ByteBudget(100);
    const first = budget.take(70);
    const { order } = grants(budget, [50, 10]);
    await tick();
    expect(order).toEqual([]);
    first.release();
    await tick();
    expect(order).toEqual([0, 1]);
  });

  it('lets a document bigger than the whole budget through alone, so nothing waits forever', async () => {
    const budget = new ByteBudget(100);
    const small = budget.take(10);
    const { order, holds } = grants(budget, [500]);
    await tick();
    expect(order).toEqual([]);
    small.release();
    await tick();
    expect(order).toEqual([0]);
    (await holds[0]!).release();
    expect(budget.inUse).toBe(0);
  });

  it('counts bytes that arrive unannounced without waiting, and releases once however often asked', () => {
    const budget = new ByteBudget(100);
    const hold = budget.take(0);
    hold.add(150);
    expect(budget.inUse).toBe(150);
    hold.release();
    hold.release();
    hold.add(10);
    expect(budget.inUse).toBe(0);
  });

  it('a reservation of unknown size (zero bytes) waits while the budget is full', async () => {
    const budget = new ByteBudget(100);
    const full = budget.take(100);
    const { order } = grants(budget, [0]);
    await tick();
    expect(order).toEqual([]);
    full.release();
    await tick();
    expect(order).toEqual([0]);
  });

  it('room() waits while the budget is full; open() lets every waiter through', async () => {
    const budget = new ByteBudget(100);
    budget.take(100);
    let roomed = false;
    let reserved = false;
    void budget.room().then(() => (roomed = true));
    void budget.reserve(10).then(() => (reserved = true));
    await tick();
    expect([roomed, reserved]).toEqual([false, false]);
    budget.open();
    await tick();
    expect([roomed, reserved]).toEqual([true, true]);
  });

  it('an aborted wait leaves the queue, and the waiters behind it move up', async () => {
    const budget = new ByteBudget(100);
    const first = budget.take(60);
    const controller = new AbortController();
    const aborted = budget.reserve(80, controller.signal);
    const { order } = grants(budget, [30]);
    await tick();
    expect(order).toEqual([]);
    controller.abort(new Error('stopping'));
    await expect(aborted).rejects.toThrow('stopping');
    await tick();
    expect(order).toEqual([0]);
    first.release();
    expect(budget.inUse).toBe(30);
  });
});

describe('fetchFeed with a budget', () => {
  const body = rss([{ title: 'Alita 2 news', link: 'https://news.example.com/1' }]);

  it('waits for room before reading the body, and that wait does not count against its timeout', async () => {
    const server = await startHttpServer((_req, res) => res.writeHead(200, { 'content-type': 'application/rss+xml', 'content-length': Buffer.byteLength(body) }).end(body));
    servers.push(server);
    const budget = new ByteBudget(100);
    const other = budget.take(100);
    let waiting = false;
    const reserve = budget.reserve.bind(budget);
    const watched = { reserve: (bytes: number, signal?: AbortSignal) => ((waiting = true), reserve(bytes, signal)) };
    // A loopback answer of a few hundred bytes takes milliseconds; 2 s is room for a busy machine.
    const timeoutMs = 2_000;
    // Settled into a value at once: whatever happens below, no rejection goes unhandled.
    let done = false;
    const outcome = fetchFeed(`${server.url}/feed.xml`, { budget: watched, timeoutMs }).then(
      (result) => ((done = true), result),
      (error: unknown) => ((done = true), error),
    );
    while (!waiting && !done) await tick(10);
    // Held for longer than the whole timeout: were the wait counted, the fetch would time out.
    await tick(timeoutMs + 500);
    expect(done).toBe(false);
    other.release();
    const result = await outcome;
    expect(result).toMatchObject({ kind: 'fetched' });
    expect(budget.inUse).toBe(0);
  });

  it('counts a body as it arrives when its length is not announced, and gives it back on failure too', async () => {
    let finish!: () => void;
    const halfway = new Promise<void>((resolve) => (finish = resolve));
    const server = await startHttpServer(async (req, res) => {
      res.writeHead(200, { 'content-type': 'application/rss+xml' });
      // Chunked: no Content-Length, so nothing can be reserved ahead.
      res.write(body.slice(0, 100));
      if (req.url === '/big.xml') res.write('x'.repeat(5000));
      else await halfway;
      res.end(body.slice(100));
    });
    servers.push(server);
    const budget = new ByteBudget(1_000_000);
    const outcome = fetchFeed(`${server.url}/feed.xml`, { budget }).then((result) => result, (error: unknown) => error);
    // The first 100 bytes arrive, then the server waits for finish(): poll rather than guess how long that takes.
    for (let i = 0; i < 2_000 && budget.inUse < 100; i++) await tick(10);
    expect(budget.inUse).toBe(100);
    finish();
    expect(await outcome).toMatchObject({ kind: 'fetched' });
    expect(budget.inUse).toBe(0);
    await expect(fetchFeed(`${server.url}/big.xml`, { budget, maxBytes: 1000 })).rejects.toBeInstanceOf(FeedTooLargeError);
    expect(budget.inUse).toBe(0);
  });
});
