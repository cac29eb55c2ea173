/**
 * Undoing Content-Encoding as undici's fetch did (src/engine/http-body.ts), on streams alone:
 * which codings are decoded and in what order, deflate in both its forms, and decompression
 * bombs that never end, which must stop at the cap.
 */
import { Readable } from 'node:stream';
import zlib from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { FeedTooLargeError } from '../src/engine/errors.ts';
import { contentCodings, decoded, readCapped, type Coding } from '../src/engine/http-body.ts';
import { endlessBomb, type BombKind } from './support/bombs.ts';

const MB = 1024 * 1024;
const TEXT = Buffer.from(`<rss><channel><title>Alita</title>${'<item><title>news</title></item>'.repeat(500)}</channel></rss>`);

/** The bytes as a stream of `size`-byte chunks. */
const chunked = (bytes: Buffer, size: number) =>
  Readable.from(Array.from({ length: Math.ceil(bytes.length / size) }, (_, i) => bytes.subarray(i * size, (i + 1) * size)));
const read = (bytes: Buffer, codings: Coding[], size = 1000) => readCapped(decoded(chunked(bytes, size), codings), 10 * MB);

describe('contentCodings', () => {
  it.each([
    ['gzip', ['gzip']],
    ['x-gzip', ['gzip']],
    [' GZip ', ['gzip']],
    ['deflate', ['deflate']],
    ['br', ['br']],
    // The last listed was applied last: it is undone first.
    ['gzip, br', ['br', 'gzip']],
    ['deflate,gzip', ['gzip', 'deflate']],
  ])('%j decodes as %j', (header, codings) => {
    expect(contentCodings(200, header)).toEqual(codings);
  });

  it.each(['compress', 'identity', 'gzip, identity', 'foo, gzip', 'gzip,', ''])('leaves %j as sent, as fetch did', (header) => {
    expect(contentCodings(200, header)).toEqual([]);
  });

  it('decodes nothing for statuses without a body', () => {
    expect(contentCodings(204, 'gzip')).toEqual([]);
    expect(contentCodings(304, 'gzip')).toEqual([]);
    expect(contentCodings(200, null)).toEqual([]);
  });

  it('refuses more than five codings, known or not, with fetch’s message', () => {
    expect(contentCodings(200, 'gzip,gzip,gzip,gzip,gzip')).toHaveLength(5);
    expect(() => contentCodings(200, 'a,b,c,d,e,f')).toThrow('too many content-encodings in response: 6, maximum allowed is 5');
  });
});

describe('decoded', () => {
  it.each<[string, Buffer, Coding[]]>([
    ['gzip', zlib.gzipSync(TEXT), ['gzip']],
    ['deflate in the zlib format', zlib.deflateSync(TEXT), ['deflate']],
    ['raw deflate', zlib.deflateRawSync(TEXT), ['deflate']],
    ['brotli', zlib.brotliCompressSync(TEXT), ['br']],
    ['gzip under brotli', zlib.brotliCompressSync(zlib.gzipSync(TEXT)), ['br', 'gzip']],
    ['raw deflate under gzip', zlib.gzipSync(zlib.deflateRawSync(TEXT)), ['gzip', 'deflate']],
  ])('undoes %s, whatever the chunk boundaries', async (_label, bytes, codings) => {
    for (const size of [1, 7, 1000, bytes.length]) {
      expect(Buffer.from(await read(bytes, codings, size)).equals(TEXT)).toBe(true);
    }
  });

  it('tells raw deflate from zlib by the first byte even after empty chunks', async () => {
    const source = Readable.from([Buffer.alloc(0), Buffer.alloc(0), zlib.deflateRawSync(TEXT)]);
    expect(Buffer.from(await readCapped(decoded(source, ['deflate']), MB)).equals(TEXT)).toBe(true);
  });

  it('returns what was decodable from a body cut short, as fetch (and curl) did', async () => {
    const gzip = zlib.gzipSync(TEXT);
    const cut = await read(gzip.subarray(0, gzip.length - 20), ['gzip']);
    expect(cut.length).toBeGreaterThan(0);
    expect(Buffer.from(cut).equals(TEXT.subarray(0, cut.length))).toBe(true);
  });

  it.each<[string, Buffer, Coding[]]>([
    ['gzip', Buffer.concat([zlib.gzipSync(TEXT).subarray(0, 10), Buffer.alloc(50, 7)]), ['gzip']],
    ['deflate', Buffer.from([0x78, 0x9c, 1, 2, 3, 4, 5, 6, 7, 8]), ['deflate']],
    ['brotli', Buffer.from('not brotli at all, really not'), ['br']],
  ])('fails on corrupt %s', async (_label, bytes, codings) => {
    await expect(read(bytes, codings)).rejects.toMatchObject({ code: expect.stringMatching(/^(Z_|ERR_)/) });
  });
});

describe('decompression bombs', () => {
  const BOMBS: Array<[BombKind, Coding]> = [['gzip', 'gzip'], ['zlib', 'deflate'], ['raw', 'deflate'], ['br', 'br']];

  it.each(BOMBS)('stops an endless %s bomb at the cap', async (kind, coding) => {
    // Endless: reading it to its end is impossible, so a pass proves the decoder stopped at the cap.
    const bomb = await endlessBomb(kind);
    const err = await readCapped(decoded(bomb.stream, [coding]), 5 * MB).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(FeedTooLargeError);
    // The source was let go: nothing pulls it any more.
    const pulled = bomb.pulled();
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(bomb.pulled()).toBe(pulled);
    expect(bomb.stream.destroyed).toBe(true);
  });

  it.each(BOMBS)('inflates %s only as fast as it is read, even from one chunk worth 64 MB', async (kind, coding) => {
    const bomb = await endlessBomb(kind);
    const [head, ...rest] = await bomb.stream.take(65).toArray();
    const stream = decoded(Readable.from([Buffer.concat([head, ...rest])]), [coding]);
    await new Promise((resolve) => stream.once('readable', resolve));
    // Time to run ahead, were it going to.
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(stream.readableLength).toBeLessThan(MB);
    stream.destroy();
  });
});
