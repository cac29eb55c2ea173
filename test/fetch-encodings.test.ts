/**
 * Content-Encoding over real HTTP: fetchFeed decodes what undici's fetch decoded, leaves as sent
 * what it left, fails where it failed, and counts the cap in decoded bytes.
 */
import { once } from 'node:events';
import zlib from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { documentText } from '../src/engine/charset.ts';
import { FeedTooLargeError, FeedUnreachableError } from '../src/engine/errors.ts';
import { endlessBomb, type BombKind } from './support/bombs.ts';
import { feedServerPerTest } from './support/feed-server.ts';
import { serve, type Handler } from './support/http-server.ts';

const MB = 1024 * 1024;
const FEED = Buffer.from(`<rss version="2.0"><channel><title>Alita 2</title>${'<item><title>news</title></item>'.repeat(200)}</channel></rss>`);
const local = feedServerPerTest();
const text = async (handler: Handler) => {
  const result = await local.fetchFrom(handler);
  return result.kind === 'fetched' ? documentText(result.body) : result.kind;
};

describe('fetchFeed Content-Encoding', () => {
  it.each<[string, Buffer, string | string[]]>([
    ['gzip', zlib.gzipSync(FEED), 'gzip'],
    ['x-gzip', zlib.gzipSync(FEED), 'x-gzip'],
    ['deflate (zlib format)', zlib.deflateSync(FEED), 'deflate'],
    ['deflate (raw)', zlib.deflateRawSync(FEED), 'Deflate'],
    // Not offered over plain HTTP, but fetch decoded it all the same.
    ['br', zlib.brotliCompressSync(FEED), 'br'],
    ['deflate then br, in one header', zlib.brotliCompressSync(zlib.deflateSync(FEED)), 'deflate, br'],
    ['gzip then br, in two headers', zlib.brotliCompressSync(zlib.gzipSync(FEED)), ['gzip', 'br']],
  ])('decodes %s', async (_label, body, encoding) => {
    const handler: Handler = (_req, res) => void res.writeHead(200, { 'Content-Encoding': encoding }).end(body);
    expect(await text(handler)).toBe(FEED.toString());
  });

  it.each(['compress', 'gzip, identity', 'gzip, x-unknown'])('leaves a body with Content-Encoding %j as sent, as fetch did', async (encoding) => {
    const body = zlib.gzipSync(FEED);
    const result = await local.fetchFrom(serve(body, { 'Content-Encoding': encoding }));
    expect(result.kind === 'fetched' && Buffer.from(result.body.bytes).equals(body)).toBe(true);
  });

  it('refuses more than five codings with the message fetch gave', async () => {
    const body = [1, 2, 3, 4, 5, 6].reduce((bytes) => zlib.gzipSync(bytes), FEED);
    const err = await local.fetchFrom(serve(body, { 'Content-Encoding': 'gzip, gzip, gzip, gzip, gzip, gzip' })).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(FeedUnreachableError);
    expect((err as Error).message).toBe(`too many content-encodings in response: 6, maximum allowed is 5 (127.0.0.1:${local.server?.port})`);
  });

  it('reports a corrupt gzip body as a body that could not be read', async () => {
    const corrupt = Buffer.concat([zlib.gzipSync(FEED).subarray(0, 10), Buffer.alloc(50, 7)]);
    const err = await local.fetchFrom(serve(corrupt, { 'Content-Encoding': 'gzip' })).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(FeedUnreachableError);
    expect((err as Error).message).toBe(`connection lost while reading the body (127.0.0.1:${local.server?.port})`);
  });

  it('counts the cap in decoded bytes, whatever Content-Length says', async () => {
    const small = zlib.gzipSync(Buffer.alloc(20_000, 'a'));
    await expect(local.fetchFrom(serve(small, { 'Content-Encoding': 'gzip' }), { maxBytes: 10_000 })).rejects.toBeInstanceOf(FeedTooLargeError);
    const exact = zlib.gzipSync(Buffer.alloc(10_000, 'a'));
    const result = await local.fetchFrom(serve(exact, { 'Content-Encoding': 'gzip' }), { maxBytes: 10_000 });
    expect(result.kind === 'fetched' && result.body.bytes.byteLength).toBe(10_000);
  });

  it.each<[BombKind, string]>([
    ['gzip', 'gzip'],
    ['zlib', 'deflate'],
    ['raw', 'deflate'],
    ['br', 'br'],
  ])('stops an endless %s bomb at the cap and closes its connection', async (kind, encoding) => {
    const bomb = await endlessBomb(kind);
    let closed: Promise<unknown> = Promise.resolve();
    const endless: Handler = (_req, res) => {
      res.writeHead(200, { 'Content-Type': 'application/rss+xml', 'Content-Encoding': encoding });
      closed = once(res, 'close');
      bomb.stream.pipe(res);
    };
    const err = await local.fetchFrom(endless, { maxBytes: 5 * MB }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(FeedTooLargeError);
    await closed; // would wait forever (the test's timeout) were the connection kept
    bomb.stream.destroy();
  });
});
