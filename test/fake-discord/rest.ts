// The HTTP API under /api/v10: faults, auth, body validation against Discord's OpenAPI schema,
// then the route handlers; every request is recorded, refusals with their reasons.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { formatIssues, routeIssues, toDiscordErrors } from '../support/discord-schema.ts';
import type { AppliedFault, Faults } from './faults.ts';
import { errors, HttpError, readBody, sendJson, type UploadedFile } from './http.ts';
import type { InteractionState, RejectedRequest } from './interactions.ts';

export interface Call {
  method: string;
  path: string;
  params: Record<string, string>;
  query: URLSearchParams;
  body: Record<string, unknown>;
  rawBody: unknown;
  files: UploadedFile[];
}
export interface Reply { status: number; body?: unknown; headers?: Record<string, string> }

export interface Route {
  method: string;
  /** e.g. '/channels/:channel/messages' (relative to /api/v10). */
  pattern: string;
  /** Interaction callbacks and webhook-token routes need no bot token, as on Discord. */
  auth?: boolean;
  /** The interaction a request is about, so refusals show up on its handle. */
  interaction?: (params: Record<string, string>) => InteractionState | undefined;
  /** Checks Discord makes before looking at the body (unknown ids, already acknowledged…). */
  precheck?: (call: Call) => void;
  handle: (call: Call) => Reply | Promise<Reply>;
}

export interface RequestRecord {
  method: string;
  path: string;
  query: string;
  status: number;
  body: unknown;
  at: number;
  fault?: AppliedFault;
  /** False when no route of the fake matched (it answered 404): the bot called something unexpected. */
  handled: boolean;
}

const API_PREFIX = '/api/v10';

function compile(route: Route): (path: string) => Record<string, string> | undefined {
  const names: string[] = [];
  const source = route.pattern.replace(/:(\w+)/g, (_, n: string) => (names.push(n), '([^/]+)'));
  const re = new RegExp(`^${source}/?$`);
  return (path) => {
    const m = re.exec(path);
    return m ? Object.fromEntries(names.map((n, i) => [n, decodeURIComponent(m[i + 1]!)])) : undefined;
  };
}

function safeDecode(path: string): string {
  try {
    return decodeURIComponent(path);
  } catch {
    return path;
  }
}

export class Rest {
  readonly requests: RequestRecord[] = [];
  readonly rejected: RejectedRequest[] = [];
  outage503 = false;
  private readonly routes: { route: Route; match: ReturnType<typeof compile> }[];

  constructor(routes: Route[], private readonly faults: Faults, private readonly token?: string) {
    this.routes = routes.map((route) => ({ route, match: compile(route) }));
  }

  async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://x');
    const method = (req.method ?? 'GET').toUpperCase();
    const path = url.pathname.startsWith(API_PREFIX) ? url.pathname.slice(API_PREFIX.length) || '/' : url.pathname;
    const record: RequestRecord = { method, path: safeDecode(path), query: url.search, status: 0, body: undefined, at: Date.now(), handled: true };
    this.requests.push(record);
    const parsed = await readBody(req).catch((e: unknown) => ({ json: undefined, files: [], error: String(e) }));
    record.body = parsed.json;
    let state: InteractionState | undefined;
    const reply = (status: number, body: unknown, headers?: Record<string, string>) => {
      record.status = status;
      sendJson(res, status, body, headers);
    };
    try {
      if (this.outage503) {
        record.fault = 'outage';
        return reply(503, { message: '503: Service Unavailable', code: 0 });
      }
      const stall = this.faults.takeDelay(method, path);
      if (stall) await new Promise((r) => setTimeout(r, stall));
      const injected = this.faults.apply(method, path, res);
      if (injected) {
        record.fault = injected.fault;
        record.status = injected.status;
        return;
      }
      const found = url.pathname.startsWith(API_PREFIX)
        ? this.routes.map((r) => ({ route: r.route, params: r.match(path) })).find((r) => r.route.method === method && r.params)
        : undefined;
      if (!found?.params) {
        record.handled = false;
        throw errors.notFound();
      }
      const { route, params } = found;
      state = route.interaction?.(params);
      if (route.auth !== false && !this.authorized(req.headers.authorization)) throw errors.unauthorized();
      if (parsed.error) throw errors.badJson();
      const call: Call = {
        method, path, params, query: url.searchParams, rawBody: parsed.json, files: parsed.files,
        body: (parsed.json && typeof parsed.json === 'object' ? parsed.json : {}) as Record<string, unknown>,
      };
      route.precheck?.(call);
      if (method !== 'GET' && method !== 'DELETE') {
        const issues = routeIssues(method, path, parsed.json, parsed.files.length);
        if (issues.some((i) => i.code === 'EMPTY_MESSAGE')) throw Object.assign(errors.emptyMessage(), { reasons: formatIssues(issues) });
        if (issues.length) throw Object.assign(errors.invalidForm(toDiscordErrors(issues)), { reasons: formatIssues(issues) });
      }
      const result = await route.handle(call);
      reply(result.status, result.body, result.headers);
    } catch (error) {
      const http = error instanceof HttpError ? error : new HttpError(500, { code: 0, message: `fake Discord bug: ${String(error)}` });
      const reasons = (http as HttpError & { reasons?: string[] }).reasons ?? [http.body.message];
      const rejection: RejectedRequest = {
        method, path: record.path, status: http.status, code: http.body.code ?? 0, message: http.body.message, reasons, body: parsed.json, at: Date.now(),
      };
      this.rejected.push(rejection);
      if (state) {
        state.rejected.push(rejection);
        state.notify();
      }
      reply(http.status, http.body, http.headers);
    }
  }

  private authorized(header: string | undefined): boolean {
    const m = /^Bot (.+)$/.exec(header ?? '');
    return Boolean(m && (!this.token || m[1] === this.token));
  }
}
