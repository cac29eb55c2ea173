/**
 * Errors a moderator has to read. Each carries a stable `code` for programs and a
 * one-line `message` for people; nothing here ever includes a stack in user output.
 */
export type FeedErrorCode =
  | 'bad-source'
  | 'unreachable'
  | 'timeout'
  | 'too-large'
  | 'http-status'
  | 'too-many-redirects'
  | 'not-a-feed'
  | 'malformed-xml'
  | 'parser-stopped'
  | 'blocked-address';

export class FeedError extends Error {
  readonly code: FeedErrorCode;
  constructor(code: FeedErrorCode, message: string, options?: { cause?: unknown }) {
    super(oneLine(message), options);
    this.code = code;
    this.name = new.target.name;
  }
}

/** The source is not something we can fetch: bad URL, unsupported scheme, missing file. */
export class BadSourceError extends FeedError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('bad-source', message, options);
  }
}

/** DNS failure, refused or reset connection, TLS problem. */
export class FeedUnreachableError extends FeedError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('unreachable', message, options);
  }
}

export class FeedTimeoutError extends FeedError {
  constructor(readonly timeoutMs: number) {
    super('timeout', `timed out after ${formatMs(timeoutMs)}`);
  }
}

export class FeedTooLargeError extends FeedError {
  constructor(readonly maxBytes: number) {
    super('too-large', `larger than the ${formatBytes(maxBytes)} limit`);
  }
}

export class FeedHttpError extends FeedError {
  constructor(
    readonly status: number,
    statusText = '',
    /** The response's Retry-After header (seconds or an HTTP date), for 429/503 politeness. */
    readonly retryAfter?: string,
    /** The URL that answered (after redirects): whose host asked us to wait. */
    readonly url?: string,
  ) {
    super('http-status', `HTTP ${status}${statusText ? ` ${statusText}` : ''}`);
  }
}

export class TooManyRedirectsError extends FeedError {
  constructor(readonly maxRedirects: number) {
    super('too-many-redirects', `too many redirects (more than ${maxRedirects})`);
  }
}

/** The document is well-formed enough to read but is not RSS or Atom (HTML, JSON, empty). */
export class NotAFeedError extends FeedError {
  constructor(detail: string) {
    super('not-a-feed', `not an RSS/Atom feed (${detail})`);
  }
}

export class MalformedFeedError extends FeedError {
  constructor(detail: string, options?: { cause?: unknown }) {
    super('malformed-xml', `malformed XML (${detail})`, options);
  }
}

/** A moderator-added URL pointing at loopback, private or metadata addresses. */
export class BlockedAddressError extends FeedError {
  constructor(detail: string) {
    super('blocked-address', detail);
  }
}

/** One printable line: a server's reason phrase must not smuggle terminal escapes into logs. */
export function oneLine(text: string): string {
  return text
    .replace(/\u001b\[[0-9;?]*[ -/]*[@-~]/g, '')
    .replace(/[\u0000-\u001f\u007f-\u009f]+/g, ' ')
    .replace(/\s+/g, ' ')
    .trim()
    .slice(0, 300);
}

function formatMs(ms: number): string {
  return ms % 1000 === 0 ? `${ms / 1000} s` : `${ms} ms`;
}

export function formatBytes(bytes: number): string {
  if (bytes >= 1024 * 1024 && bytes % (1024 * 1024) === 0) return `${bytes / (1024 * 1024)} MB`;
  if (bytes >= 1024 && bytes % 1024 === 0) return `${bytes / 1024} KB`;
  return `${bytes} bytes`;
}

/** Turns anything thrown by a stage into the one line a moderator sees. */
export function describeError(error: unknown): string {
  if (error instanceof FeedError) return error.message;
  if (error instanceof Error) return oneLine(error.message) || error.name;
  return oneLine(String(error));
}
