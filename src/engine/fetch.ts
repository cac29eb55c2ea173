/**
 * Fetches one feed body, from http(s) or a local file, under hard limits: one total
 * deadline, a cap on decompressed bytes, a bounded number of redirects. Every way a
 * hostile or broken server can fail ends in one of the typed errors of errors.ts.
 */
import { hash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
// undici.request rather than its WHATWG fetch: the same connection pool, without web streams,
// Headers and event targets, which were most of the main thread's CPU in a cold poll cycle
// (measured: a third of fetch's CPU per request; fetchFeed as a whole 20-30% less). What fetch
// did on top, we do in http-head.ts (headers, reason phrase) and http-body.ts (decoding).
// undici's own request with its own Agent: a dispatcher from one undici version handed to another
// is not guaranteed to work.
import { Agent, request, type Dispatcher } from 'undici';
import type { ByteBudget } from './byte-budget.ts';
import type { FeedBody } from './charset.ts';
import {
  BadSourceError, FeedError, FeedHttpError, FeedTooLargeError, FeedTimeoutError, FeedUnreachableError,
  TooManyRedirectsError,
} from './errors.ts';
import { Cancel, type AbortLike } from './cancel.ts';
import { Deadline } from './deadline.ts';
import { contentCodings, decoded, readCapped, type Coding } from './http-body.ts';
import { isConditional, recordingHead, requestHeaders, ResponseHead } from './http-head.ts';
import { describeFileFailure, describeNetworkFailure, feedErrorIn } from './fetch-failure.ts';

export const USER_AGENT = 'AlitaArmyNewsBot/0.1 (+https://github.com/alita-army/alita-army-news-bot)';
const REDIRECT_STATUSES = new Set([301, 302, 303, 307, 308]);

export interface FetchValidators { etag?: string; lastModified?: string; bodyHash?: string }
export interface FetchOptions {
  /** Total budget: connect, headers and body. Default 15 s. */
  timeoutMs?: number;
  /** Cap on the decompressed body. Default 5 MB. */
  maxBytes?: number;
  maxRedirects?: number;
  userAgent?: string;
  /** What the last successful fetch of this feed returned. */
  validators?: FetchValidators;
  /** External cancel (bot shutting down); its reason is what gets thrown. */
  signal?: AbortSignal;
  /** Called before connecting to every URL, the first and each redirect hop; may throw BlockedAddressError. */
  checkUrl?: (url: URL) => void | Promise<void>;
  /**
   * The connection pool every hop goes through. The address guard's publicOnlyAgent() judges
   * the address each socket actually connects to, and its refusals (FeedErrors) are thrown as
   * they are. Default: a plain pool.
   */
  dispatcher?: Dispatcher;
  /**
   * Where the body's bytes are counted (the parse pool's budget): its announced length is
   * reserved before reading, and the wait for it does not count against the timeout.
   */
  budget?: Pick<ByteBudget, 'reserve'>;
}
export type FetchResult =
  | { kind: 'unchanged'; validators: FetchValidators }
  | { kind: 'fetched'; body: FeedBody; url: string; validators: FetchValidators };

export async function fetchFeed(source: string, options: FetchOptions = {}): Promise<FetchResult> {
  options.signal?.throwIfAborted();
  const target = parseSource(source);
  const maxBytes = options.maxBytes ?? 5 * 1024 * 1024;
  if (target.protocol === 'file:') return readFeedFile(target, maxBytes, options);

  const timeoutMs = options.timeoutMs ?? 15_000;
  // Our own switch rather than AbortSignal.any: one clearable timer, one listener we remove, and
  // the abort reason tells afterwards why everything failed. A Cancel, not an AbortController:
  // see cancel.ts.
  const controller = new Cancel();
  const deadline = new Deadline(timeoutMs, () => controller.abort(new FeedTimeoutError(timeoutMs)));
  const external = options.signal;
  const forward = () => controller.abort(external?.reason);
  if (external?.aborted) forward();
  else external?.addEventListener('abort', forward, { once: true });
  try {
    return await fetchHttp(target, { ...options, maxBytes }, controller, deadline);
  } catch (error) {
    // Once aborted, whatever undici threw is only a consequence of the reason we aborted.
    if (controller.aborted) throw controller.reason;
    controller.abort(error); // tears down any response still streaming (over-cap body, unread error page)
    throw error;
  } finally {
    deadline.clear();
    external?.removeEventListener('abort', forward);
  }
}

function parseSource(source: string): URL {
  const text = source.trim();
  if (!text) throw new BadSourceError('empty feed source');
  const hasScheme = /^[a-z][a-z0-9+.-]*:/i.test(text) && !/^[a-z]:[\\/]/i.test(text); // not C:\feeds
  if (!hasScheme) return pathToFileURL(resolve(text));
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new BadSourceError(`not a valid URL: ${text}`);
  }
  if (['http:', 'https:', 'file:'].includes(url.protocol)) return url;
  throw new BadSourceError(`unsupported scheme "${url.protocol}" (use http, https or a file path)`);
}

async function fetchHttp(start: URL, options: FetchOptions & { maxBytes: number }, signal: Cancel, deadline: Deadline): Promise<FetchResult> {
  const validators = options.validators ?? {};
  const maxRedirects = options.maxRedirects ?? 5;
  const dispatcher = recordingHead(options.dispatcher ?? plainAgent());

  let url = start;
  for (let redirects = 0; ; redirects++) {
    const check = options.checkUrl;
    if (check) await untilAborted((async () => check(url))(), signal);
    const headers = requestHeaders(url, options.userAgent ?? USER_AGENT, validators);
    const head = new ResponseHead();
    let res: Dispatcher.ResponseData;
    let codings: Coding[];
    try {
      // fetch refused these (request would drop the credentials and go on); the message leaves the
      // password out, since moderators and logs read it.
      if (url.username || url.password) throw new BadSourceError('a feed URL with a user name or password is not fetched');
      // Raced with the signal: request() settles only once it has a connection, and a connect
      // still waiting for DNS would hold the fetch past its deadline (fetch rejected at once).
      // undici reads of a signal only aborted, reason and the abort listeners (lib/api/abort-signal.js,
      // api-request.js), which Cancel has; its types name AbortSignal or EventEmitter.
      res = await untilAborted(request(url, { method: 'GET', headers, signal: signal as unknown as AbortSignal, dispatcher, opaque: head }), signal);
      // Checked for every answer, as fetch did; the decoders themselves are made only for a body we read.
      codings = contentCodings(res.statusCode, head.get('content-encoding'));
    } catch (error) {
      // A refusal from the dispatcher's connect (BlockedAddressError, host not found) comes as it was thrown.
      throw feedErrorIn(error) ?? new FeedUnreachableError(describeNetworkFailure(error, url), { cause: error });
    }
    const status = res.statusCode;
    const location = head.get('location');
    if (REDIRECT_STATUSES.has(status) && location !== null) {
      discard(res.body);
      if (redirects >= maxRedirects) throw new TooManyRedirectsError(maxRedirects);
      url = redirectTarget(location, url);
      continue;
    }
    // A 304 to a request without validators is nonsense; treat it like any other odd status.
    if (status === 304 && isConditional(headers)) {
      drainEmpty(res.body);
      const etag = head.get('etag') ?? validators.etag;
      const lastModified = head.get('last-modified') ?? validators.lastModified;
      return { kind: 'unchanged', validators: compact({ etag, lastModified, bodyHash: validators.bodyHash }) };
    }
    if (status < 200 || status > 299) {
      discard(res.body);
      throw new FeedHttpError(status, head.statusText, head.get('retry-after') ?? undefined, url.href);
    }
    const announced = Number(head.get('content-length')) || undefined;
    if (announced !== undefined && announced > options.maxBytes) throw new FeedTooLargeError(options.maxBytes);
    const hold = options.budget ? await deadline.paused(options.budget.reserve(announced ?? 0, signal)) : undefined;
    let bytes: Uint8Array;
    try {
      bytes = await readCapped(decoded(res.body, codings), options.maxBytes, announced, hold);
    } catch (error) {
      if (error instanceof FeedError) throw error;
      throw new FeedUnreachableError(describeNetworkFailure(error, url, 'body'), { cause: error });
    } finally {
      // The caller hands the bytes straight to the parse pool, which counts them from there on.
      hold?.release();
    }
    const etag = head.get('etag') ?? undefined;
    const lastModified = head.get('last-modified') ?? undefined;
    return finish(bytes, url.href, head.get('content-type'), validators, { etag, lastModified }, isConditional(headers));
  }
}

let plain: Agent | undefined;
/** Shared by every unguarded fetch (operator feeds), for keep-alive across polls. */
function plainAgent(): Agent {
  return (plain ??= new Agent());
}

async function readFeedFile(url: URL, maxBytes: number, options: FetchOptions): Promise<FetchResult> {
  let path: string;
  try {
    path = fileURLToPath(url);
  } catch (error) {
    throw new BadSourceError(`not a local file URL: ${url.href}`, { cause: error });
  }
  try {
    const info = await stat(path);
    if (!info.isFile()) throw new BadSourceError(`not a regular file: ${path}`);
    if (info.size > maxBytes) throw new FeedTooLargeError(maxBytes);
    // The cap is enforced again while reading: the file may grow between stat and read.
    const hold = await options.budget?.reserve(info.size, options.signal);
    try {
      const bytes = await readCapped(createReadStream(path), maxBytes, info.size, hold);
      return finish(bytes, url.href, null, options.validators ?? {}, {}, false);
    } finally {
      hold?.release();
    }
  } catch (error) {
    if (error instanceof FeedError) throw error;
    throw new BadSourceError(describeFileFailure(error, path), { cause: error });
  }
}

/**
 * The body's hash tells an unchanged body from a new one when the server does not: no ETag nor
 * Last-Modified, or a 200 to a request that sent them. A server that gives validators and was
 * not yet asked with them (a feed's first poll) answers the next poll with 304 if it honours
 * them, and then never needs the hash; if it does not, that next 200 is hashed and compared from
 * then on (one more parse, which the seen marks make harmless). Hashing every first body cost a
 * cold cycle 50-70 ms of the main thread (48 MB).
 */
function finish(
  bytes: Uint8Array, url: string, contentType: string | null, previous: FetchValidators, fresh: FetchValidators, conditional: boolean,
): FetchResult {
  const hashed = conditional || (!fresh.etag && !fresh.lastModified);
  const bodyHash = hashed ? hash('sha256', bytes, 'hex') : undefined;
  const validators = compact({ ...fresh, bodyHash });
  if (bodyHash !== undefined && previous.bodyHash === bodyHash) return { kind: 'unchanged', validators };
  return { kind: 'fetched', body: { bytes, contentType }, url, validators };
}

/** Reads valid UTF-8 strictly: a Location that is not UTF-8 stays as its bytes came (latin1). */
const STRICT_UTF8 = new TextDecoder('utf-8', { fatal: true });

/**
 * A Location header's bytes read as UTF-8 when they are valid UTF-8, as browsers read them
 * (https://example.com/café sent unescaped), else as they came: header values arrive as latin1.
 */
function locationText(value: string): string {
  if (!/[\x80-\xff]/.test(value)) return value;
  try {
    return STRICT_UTF8.decode(Buffer.from(value, 'latin1'));
  } catch {
    return value;
  }
}

function redirectTarget(header: string, current: URL): URL {
  const location = locationText(header);
  let next: URL;
  try {
    next = new URL(location, current);
  } catch {
    throw new BadSourceError(`redirect to an invalid URL: ${location}`);
  }
  if (next.protocol !== 'http:' && next.protocol !== 'https:') {
    throw new BadSourceError(`redirect to unsupported scheme "${next.protocol}"`);
  }
  return next;
}

/**
 * Frees the connection of a response whose body we do not want, as fetch's cancel() did: a body
 * still coming closes the connection; one already received in full leaves it to the next request.
 * (dump() would drain a short body instead, but one that trickles on would hold it.)
 */
function discard(body: Dispatcher.ResponseData['body']): void {
  // destroy() reports the abort as an 'error' event, which nobody else listens to.
  body.on('error', () => {}).destroy();
}

/**
 * Ends a body that has none, a 304's (HTTP ends a 304 with its headers): read to its end, the
 * connection goes back to the pool as after a whole body. discard() would destroy it with an
 * abort error whose stack Node formats at once: a fifth of a steady cycle's CPU (505 304s) under
 * source maps.
 */
function drainEmpty(body: Dispatcher.ResponseData['body']): void {
  body.on('error', () => {}).resume();
}

/** Lets the deadline interrupt a slow checkUrl (an SSRF guard resolving DNS, say), or a connect. */
function untilAborted<T>(work: Promise<T>, signal: AbortLike): Promise<T> {
  return new Promise<T>((resolvePromise, reject) => {
    const onAbort = () => reject(signal.reason);
    if (signal.aborted) return onAbort();
    signal.addEventListener('abort', onAbort, { once: true });
    work.then(resolvePromise, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}

function compact(validators: FetchValidators): FetchValidators {
  return Object.fromEntries(Object.entries(validators).filter(([, value]) => value !== undefined));
}
