/**
 * What undici's WHATWG fetch did around a request, done here for undici.request (which costs the
 * main thread a third of fetch's CPU): the request headers fetch added, and the response's reason
 * phrase and header values read the way fetch read them.
 *
 * Feeds' servers and CDNs have only ever seen the bot with fetch's headers, so we keep sending
 * them. request() itself drops the reason phrase ("HTTP 503 Backend fetch failed" is what a
 * moderator reads) and decodes header bytes as UTF-8, where fetch took them as latin1: an ETag
 * with a non-ASCII byte would come back changed, or not be sendable at all.
 */
import { DecoratorHandler, type Dispatcher } from 'undici';
import type { FetchValidators } from './fetch.ts';

export const ACCEPT = 'application/rss+xml, application/atom+xml, application/xml;q=0.9, text/xml;q=0.9, */*;q=0.5';

/** The headers of one request, in the order and with the values fetch sent them. */
export function requestHeaders(url: URL, userAgent: string, validators: FetchValidators): Record<string, string> {
  const headers: Record<string, string> = { 'User-Agent': httpTrim(userAgent), Accept: ACCEPT };
  // fetch trims values; a validator stored with a stray space still matches the server's.
  if (validators.etag) headers['If-None-Match'] = httpTrim(validators.etag);
  if (validators.lastModified) headers['If-Modified-Since'] = httpTrim(validators.lastModified);
  headers['accept-language'] = '*';
  headers['sec-fetch-mode'] = 'cors';
  // A conditional request turned fetch's cache mode to no-store, which asks caches on the way to revalidate.
  if (validators.etag || validators.lastModified) {
    headers.pragma = 'no-cache';
    headers['cache-control'] = 'no-cache';
  }
  // What fetch offered, and therefore what http-body.ts decodes.
  headers['accept-encoding'] = url.protocol === 'https:' ? 'br, gzip, deflate' : 'gzip, deflate';
  return headers;
}

export function isConditional(headers: Record<string, string>): boolean {
  return Boolean(headers['If-None-Match'] || headers['If-Modified-Since']);
}

function httpTrim(value: string): string {
  return value.replace(/^[\t\n\r ]+|[\t\n\r ]+$/g, '');
}

/**
 * The status line and header bytes of one response, filled in by the dispatcher (see
 * recordingHead) and handed to request() as its `opaque`, which reaches the dispatcher.
 */
export class ResponseHead {
  statusText = '';
  raw: ReadonlyArray<Buffer | string> = [];
  private values: Map<string, string> | undefined;

  /** A header's value as fetch's Headers.get gave it: latin1, repeated headers joined by ", ". */
  get(name: string): string | null {
    if (!this.values) {
      this.values = new Map();
      for (let i = 0; i + 1 < this.raw.length; i += 2) {
        const key = text(this.raw[i]!).toLowerCase();
        const value = text(this.raw[i + 1]!);
        const before = this.values.get(key);
        this.values.set(key, before === undefined ? value : `${before}, ${value}`);
      }
    }
    return this.values.get(name) ?? null;
  }
}

function text(bytes: Buffer | string): string {
  return typeof bytes === 'string' ? bytes : bytes.toString('latin1');
}

const recording = new WeakMap<Dispatcher, Dispatcher>();
/** The dispatcher, composed once with an interceptor that fills in each request's ResponseHead. */
export function recordingHead(dispatcher: Dispatcher): Dispatcher {
  let composed = recording.get(dispatcher);
  if (!composed) {
    composed = dispatcher.compose((dispatch) => (options, handler) => {
      const head = (options as { opaque?: unknown }).opaque;
      return dispatch(options, head instanceof ResponseHead ? new HeadRecorder(handler, head) : handler);
    });
    recording.set(dispatcher, composed);
  }
  return composed;
}

class HeadRecorder extends DecoratorHandler {
  constructor(private readonly inner: Dispatcher.DispatchHandlers, private readonly head: ResponseHead) {
    super(inner);
  }

  onHeaders(statusCode: number, raw: Buffer[], resume: () => void, statusText: string): boolean {
    // 1xx answers (103 Early Hints) come first; the final answer is the one that counts.
    if (statusCode >= 200) {
      this.head.statusText = statusText;
      this.head.raw = raw;
    }
    return this.inner.onHeaders?.(statusCode, raw, resume, statusText) ?? true;
  }
}
