/**
 * Reading a feed's body under the size cap, and undoing its Content-Encoding the way undici's
 * fetch did before we moved to undici.request (which hands over the bytes as sent).
 *
 * The decoders are node:zlib streams with fetch's lenient flush modes (a body cut short yields
 * what was decodable, as curl and browsers do). They are pulled one chunk at a time by
 * readCapped, so a decompression bomb is inflated only as far as the cap.
 */
import { pipeline, Transform, type Readable, type TransformCallback } from 'node:stream';
import zlib from 'node:zlib';
import type { Hold } from './byte-budget.ts';
import { FeedTooLargeError } from './errors.ts';

export type Coding = 'gzip' | 'deflate' | 'br';

/** Statuses whose body fetch never decoded (it has none). */
const NULL_BODY_STATUSES = new Set([101, 204, 205, 304]);
/** fetch's limit (CVE-2022-32206 in curl, GHSA-gm62-xv2j-4w53 in urllib3): each layer costs a decoder. */
const MAX_CODINGS = 5;

/**
 * The decoders a body needs, in the order to apply them (the last coding listed was applied
 * last, so it is undone first). Any coding fetch did not know (compress, identity, an empty
 * one) leaves the whole body as sent, as fetch did. Throws when more than five are listed.
 */
export function contentCodings(status: number, contentEncoding: string | null): Coding[] {
  if (!contentEncoding || NULL_BODY_STATUSES.has(status)) return [];
  const listed = contentEncoding.toLowerCase().split(',');
  if (listed.length > MAX_CODINGS) {
    throw new Error(`too many content-encodings in response: ${listed.length}, maximum allowed is ${MAX_CODINGS}`);
  }
  const codings: Coding[] = [];
  for (let i = listed.length - 1; i >= 0; i--) {
    const coding = listed[i]!.trim();
    if (coding === 'gzip' || coding === 'x-gzip') codings.push('gzip');
    else if (coding === 'deflate' || coding === 'br') codings.push(coding);
    else return [];
  }
  return codings;
}

// Z_SYNC_FLUSH at the end, as fetch (and curl) did: a truncated body is not an error.
const ZLIB: zlib.ZlibOptions = { flush: zlib.constants.Z_SYNC_FLUSH, finishFlush: zlib.constants.Z_SYNC_FLUSH };
const BROTLI: zlib.BrotliOptions = {
  flush: zlib.constants.BROTLI_OPERATION_FLUSH,
  finishFlush: zlib.constants.BROTLI_OPERATION_FLUSH,
};

/** The body with its codings undone. Destroying what is returned destroys the body (and its connection). */
export function decoded(body: Readable, codings: readonly Coding[]): Readable {
  if (codings.length === 0) return body;
  const decoders = codings.map((coding) => {
    if (coding === 'gzip') return zlib.createGunzip(ZLIB);
    if (coding === 'br') return zlib.createBrotliDecompress(BROTLI);
    return new AnyInflate();
  });
  // Errors reach the last stream (pipeline destroys them all with the error), where readCapped reads.
  return pipeline([body, ...decoders], () => {}) as unknown as Readable;
}

/**
 * deflate as fetch took it: the zlib format the RFC names, or raw deflate, which some servers
 * send; the first byte tells them apart. The inner stream is paused while our reader is full,
 * so it stops inflating (fetch's own version inflated every chunk it was given).
 */
class AnyInflate extends Transform {
  private inner: zlib.Inflate | zlib.InflateRaw | undefined;

  override _transform(chunk: Buffer, _encoding: BufferEncoding, done: TransformCallback): void {
    if (!this.inner) {
      if (chunk.byteLength === 0) return done();
      const inner = (chunk[0]! & 0x0f) === 0x08 ? zlib.createInflate(ZLIB) : zlib.createInflateRaw(ZLIB);
      inner.on('data', (out: Buffer) => {
        if (!this.push(out)) inner.pause();
      });
      inner.on('error', (error) => this.destroy(error));
      this.inner = inner;
    }
    // Called once the inner stream took the chunk in, which it does only as fast as it is read.
    this.inner.write(chunk, (error) => done(error));
  }

  override _read(size: number): void {
    this.inner?.resume();
    super._read(size);
  }

  override _flush(done: TransformCallback): void {
    if (!this.inner) return done();
    this.inner.once('end', () => done());
    this.inner.end();
  }

  override _destroy(error: Error | null, done: (error: Error | null) => void): void {
    this.inner?.destroy();
    done(error);
  }
}

/**
 * Reads at most maxBytes; leaving the loop early destroys the stream (and with it the connection).
 * `announced` is the body's Content-Length (of the bytes as sent, so before decoding): chunks are
 * copied into one buffer of that size as they come instead of being kept and joined at the end,
 * which would hold a big body twice; a body that turns out longer goes on the slow way.
 */
export async function readCapped(chunks: AsyncIterable<Uint8Array>, maxBytes: number, announced?: number, hold?: Hold): Promise<Uint8Array> {
  let into = announced !== undefined && announced <= maxBytes ? new Uint8Array(announced) : undefined;
  const kept: Uint8Array[] = [];
  let total = 0;
  let counted = announced ?? 0;
  for await (const chunk of chunks) {
    if (total + chunk.byteLength > maxBytes) throw new FeedTooLargeError(maxBytes);
    if (hold && total + chunk.byteLength > counted) {
      hold.add(total + chunk.byteLength - counted);
      counted = total + chunk.byteLength;
    }
    if (into && total + chunk.byteLength <= into.byteLength) into.set(chunk, total);
    else {
      // More than announced: go on the slow way with what arrived so far.
      if (into) kept.push(into.subarray(0, total));
      into = undefined;
      kept.push(chunk);
    }
    total += chunk.byteLength;
  }
  if (into) return total === into.byteLength ? into : into.slice(0, total);
  return Buffer.concat(kept, total);
}
