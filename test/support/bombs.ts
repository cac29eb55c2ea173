import { Readable } from 'node:stream';
import zlib from 'node:zlib';

const MB = 1024 * 1024;
export type BombKind = 'gzip' | 'zlib' | 'raw' | 'br';

/**
 * A decompression bomb that never ends: a compressed megabyte of zeros, then the same flushed
 * block again forever (after a full flush each repeat decodes to another megabyte; brotli's
 * does too, zeros referring to zeros). `pulled` counts the repeats handed out.
 */
export async function endlessBomb(kind: BombKind): Promise<{ stream: Readable; pulled: () => number }> {
  const compressor = {
    gzip: () => zlib.createGzip(),
    zlib: () => zlib.createDeflate(),
    raw: () => zlib.createDeflateRaw(),
    br: () => zlib.createBrotliCompress({ params: { [zlib.constants.BROTLI_PARAM_QUALITY]: 5 } }),
  }[kind]();
  const flushKind = kind === 'br' ? zlib.constants.BROTLI_OPERATION_FLUSH : zlib.constants.Z_FULL_FLUSH;
  const out: Buffer[] = [];
  compressor.on('data', (chunk: Buffer) => out.push(chunk));
  const segment = () =>
    new Promise<Buffer>((resolve) => {
      compressor.write(Buffer.alloc(MB));
      compressor.flush(flushKind, () => resolve(Buffer.concat(out.splice(0))));
    });
  const first = await segment();
  const again = await segment();
  compressor.destroy();
  let pulled = 0;
  function* forever() {
    yield first;
    for (;;) {
      pulled++;
      yield again;
    }
  }
  return { stream: Readable.from(forever()), pulled: () => pulled };
}
