// Fault injection for the REST side: queued failures, rate limits and stalls, each optionally
// scoped to some routes so the gateway bootstrap (GET /gateway/bot) keeps working.
import type { ServerResponse } from 'node:http';

/** Paths are relative to /api/v10 and without query, e.g. '/channels/123/messages'. */
export type RouteMatcher = string | RegExp | ((method: string, path: string) => boolean);

export interface FaultScope {
  /** string: path prefix, or 'POST /channels' style "METHOD prefix"; RegExp: tested against "METHOD /path". */
  route?: RouteMatcher;
}

export function matches(matcher: RouteMatcher | undefined, method: string, path: string): boolean {
  if (matcher === undefined) return true;
  if (typeof matcher === 'function') return matcher(method, path);
  if (matcher instanceof RegExp) return matcher.test(`${method} ${path}`);
  const m = /^([A-Z]+) (.*)$/.exec(matcher);
  return m ? m[1] === method && path.startsWith(m[2]!) : path.startsWith(matcher);
}

type Fault =
  | { kind: 'fail'; remaining: number; status: number; body: unknown; scope: FaultScope }
  | { kind: 'rateLimit'; remaining: number; retryAfter: number; global: boolean; scope: FaultScope }
  | { kind: 'delay'; remaining: number; ms: number; scope: FaultScope };

export type AppliedFault = 'fail' | 'rateLimit' | 'outage';

export class Faults {
  private queue: Fault[] = [];

  fail(count: number, status: number, body: unknown, scope: FaultScope): void {
    this.queue.push({ kind: 'fail', remaining: count, status, body, scope });
  }

  rateLimit(count: number, retryAfter: number, global: boolean, scope: FaultScope): void {
    this.queue.push({ kind: 'rateLimit', remaining: count, retryAfter, global, scope });
  }

  delay(count: number, ms: number, scope: FaultScope): void {
    this.queue.push({ kind: 'delay', remaining: count, ms, scope });
  }

  clear(): void {
    this.queue = [];
  }

  private take<K extends Fault['kind']>(kind: K, method: string, path: string): Extract<Fault, { kind: K }> | undefined {
    const f = this.queue.find((q) => q.kind === kind && q.remaining > 0 && matches(q.scope.route, method, path));
    if (!f) return undefined;
    f.remaining--;
    this.queue = this.queue.filter((q) => q.remaining > 0);
    return f as Extract<Fault, { kind: K }>;
  }

  /** Milliseconds to stall this request before answering, if a delay fault applies. */
  takeDelay(method: string, path: string): number {
    return this.take('delay', method, path)?.ms ?? 0;
  }

  /** Writes a failure or 429 if one is queued for this request; returns what it did. */
  apply(method: string, path: string, res: ServerResponse): { fault: AppliedFault; status: number } | undefined {
    const limited = this.take('rateLimit', method, path);
    if (limited) {
      writeRateLimit(res, limited.retryAfter, limited.global);
      return { fault: 'rateLimit', status: 429 };
    }
    const failed = this.take('fail', method, path);
    if (failed) {
      const body = failed.body ?? { message: `${failed.status}: Injected failure`, code: 0 };
      res.writeHead(failed.status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
      return { fault: 'fail', status: failed.status };
    }
    return undefined;
  }
}

export interface RateLimitHeaderOptions {
  global?: boolean;
  /** X-RateLimit-Scope: 'user' (per bot), 'global', or 'shared' (a per-resource limit, e.g. per channel). */
  scope?: 'user' | 'global' | 'shared';
  /** X-RateLimit-Limit. Default 5. */
  limit?: number;
}

/**
 * Headers as in Discord's rate-limit docs: Retry-After is whole seconds (rounded up), the precise
 * wait is in X-RateLimit-Reset-After and the body's retry_after. @discordjs/rest waits on
 * Reset-After for bucketed routes and on Retry-After for interaction callbacks.
 */
export function rateLimitHeaders(retryAfter: number, options: RateLimitHeaderOptions = {}): Record<string, string> {
  const global = options.global ?? false;
  const headers: Record<string, string> = {
    'retry-after': String(Math.max(1, Math.ceil(retryAfter))),
    'x-ratelimit-limit': String(options.limit ?? 5),
    'x-ratelimit-remaining': '0',
    'x-ratelimit-reset': ((Date.now() + retryAfter * 1000) / 1000).toFixed(3),
    'x-ratelimit-reset-after': retryAfter.toFixed(3),
    'x-ratelimit-bucket': 'fake0bucket0hash',
    'x-ratelimit-scope': options.scope ?? (global ? 'global' : 'user'),
  };
  if (global) headers['x-ratelimit-global'] = 'true';
  return headers;
}

export function writeRateLimit(res: ServerResponse, retryAfter: number, global: boolean): void {
  res.writeHead(429, { 'content-type': 'application/json', ...rateLimitHeaders(retryAfter, { global }) })
    .end(JSON.stringify({ message: 'You are being rate limited.', retry_after: retryAfter, global }));
}
