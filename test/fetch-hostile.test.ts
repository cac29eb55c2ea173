import { describe, it, expect } from 'vitest';
import { gzipSync } from 'node:zlib';
import { fetchFeed } from '../src/engine/fetch.ts';
import {
  FeedHttpError, FeedTimeoutError, FeedTooLargeError, FeedUnreachableError,
} from '../src/engine/errors.ts';
import { every, startHttpServer, streamZeros, type Handler } from './support/http-server.ts';
import { feedServerPerTest, SHORT_TIMEOUT_MS } from './support/feed-server.ts';

const MB = 1024 * 1024;
const local = feedServerPerTest();
const fetchFrom = local.fetchFrom;

describe('fetchFeed against hostile servers: time', () => {
  it('times out on an endless body trickling one byte per 200 ms', async () => {
    const trickle: Handler = (_req, res) => {
      res.writeHead(200, { 'Content-Type': 'application/rss+xml' });
      res.write('<rss>');
      every(res, 200, () => res.write(' '));
    };
    await expect(fetchFrom(trickle, { timeoutMs: SHORT_TIMEOUT_MS })).rejects.toBeInstanceOf(FeedTimeoutError);
  });

  it('times out on a server that never sends headers', async () => {
    const err = await fetchFrom(() => {}, { timeoutMs: SHORT_TIMEOUT_MS }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(FeedTimeoutError);
    expect((err as FeedTimeoutError).code).toBe('timeout');
    expect((err as FeedTimeoutError).timeoutMs).toBe(SHORT_TIMEOUT_MS);
  });

  it('times out while checkUrl hangs (a slow SSRF guard)', async () => {
    const hang = () => new Promise<void>(() => {});
    await expect(fetchFrom(() => {}, { checkUrl: hang, timeoutMs: SHORT_TIMEOUT_MS })).rejects.toBeInstanceOf(FeedTimeoutError);
  });

  it('throws the external abort reason, not a timeout, when the caller cancels', async () => {
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 100);
    const err = await fetchFrom(() => {}, { signal: controller.signal, timeoutMs: 10_000 }).catch((e: unknown) => e);
    expect(err).not.toBeInstanceOf(FeedTimeoutError);
    expect((err as Error).name).toBe('AbortError');

    const reason = new Error('shutting down');
    await expect(fetchFrom(() => {}, { signal: AbortSignal.abort(reason) })).rejects.toBe(reason);
  });
});

describe('fetchFeed against hostile servers: size', () => {
  it('stops a gzip bomb at the cap without inflating it', async () => {
    // 1024 gzip members of 1 MB of zeros: about 1 MB on the wire, 1 GB inflated.
    const member = gzipSync(Buffer.alloc(MB));
    const bomb = Buffer.concat(Array.from({ length: 1024 }, () => member));
    const bombHandler: Handler = (_req, res) => {
      res.writeHead(200, { 'Content-Type': 'application/rss+xml', 'Content-Encoding': 'gzip' }).end(bomb);
    };
    const err = await fetchFrom(bombHandler, { maxBytes: 5 * MB, timeoutMs: 10_000 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(FeedTooLargeError);
    expect((err as FeedTooLargeError).maxBytes).toBe(5 * MB);
  });

  it('rejects a 50 MB body announced by Content-Length', async () => {
    const big: Handler = (_req, res) => {
      res.writeHead(200, { 'Content-Type': 'application/rss+xml', 'Content-Length': 50 * MB });
      void streamZeros(res, 50 * MB);
    };
    await expect(fetchFrom(big, { maxBytes: MB })).rejects.toBeInstanceOf(FeedTooLargeError);
  });

  it('rejects a 50 MB chunked body while reading it', async () => {
    const big: Handler = (_req, res) => {
      res.writeHead(200, { 'Content-Type': 'application/rss+xml' });
      void streamZeros(res, 50 * MB);
    };
    await expect(fetchFrom(big, { maxBytes: MB, timeoutMs: 10_000 })).rejects.toBeInstanceOf(FeedTooLargeError);
  });

  it('accepts a body of exactly the cap', async () => {
    const exact: Handler = (_req, res) => {
      res.writeHead(200, { 'Content-Type': 'application/rss+xml' }).end('x'.repeat(1000));
    };
    const result = await fetchFrom(exact, { maxBytes: 1000 });
    expect(result.kind === 'fetched' && result.body.bytes.byteLength).toBe(1000);
  });
});

describe('fetchFeed against hostile servers: failures', () => {
  it.each([500, 404, 410])('turns HTTP %i into FeedHttpError with that status', async (status) => {
    const failing: Handler = (_req, res) => {
      res.writeHead(status, { 'Content-Type': 'text/html' }).end('<html>nope</html>');
    };
    const err = await fetchFrom(failing).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(FeedHttpError);
    expect((err as FeedHttpError).status).toBe(status);
    expect((err as FeedHttpError).code).toBe('http-status');
  });

  it('reports a refused connection as unreachable', async () => {
    const closed = await startHttpServer(() => {});
    await closed.close();
    const err = await fetchFeed(`${closed.url}/feed.xml`, { timeoutMs: 30_000 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(FeedUnreachableError);
    expect((err as FeedUnreachableError).message).toBe(`connection refused (127.0.0.1:${closed.port})`);
  });

  it.each([
    ['with Content-Length', { 'Content-Length': 10_000 }],
    ['chunked', {}],
  ])('reports a socket destroyed mid-body (%s) as unreachable', async (_label, headers) => {
    const cut: Handler = (req, res) => {
      res.writeHead(200, { 'Content-Type': 'application/rss+xml', ...headers });
      res.write('<rss><channel><title>half');
      setTimeout(() => req.socket.destroy(), 50);
    };
    const err = await fetchFrom(cut).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(FeedUnreachableError);
    expect((err as FeedUnreachableError).code).toBe('unreachable');
  });

  it('reports a socket destroyed before any response as unreachable', async () => {
    const err = await fetchFrom((req) => req.socket.destroy()).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(FeedUnreachableError);
  });
});
