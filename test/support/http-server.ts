/**
 * A throwaway HTTP server on 127.0.0.1 for tests that need a real socket: hostile
 * responses (hanging, trickling, resetting) are only honest against real TCP.
 */
import { createServer, type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** May return a promise; a rejection destroys the response instead of crashing the test run. */
export type Handler = (req: IncomingMessage, res: ServerResponse) => unknown;

export interface RecordedRequest {
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
}

export interface TestServer {
  /** Base URL without a trailing slash, e.g. 'http://127.0.0.1:40123'. */
  url: string;
  port: number;
  requests: RecordedRequest[];
  close(): Promise<void>;
}

export async function startHttpServer(handler: Handler, host = '127.0.0.1'): Promise<TestServer> {
  const requests: RecordedRequest[] = [];
  const server = createServer((req, res) => {
    requests.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers });
    new Promise((resolveHandler) => resolveHandler(handler(req, res))).catch(() => res.destroy());
  });
  // Client aborts show up as socket errors on the server side; they are expected here.
  server.on('clientError', (_error, socket) => socket.destroy());
  await new Promise<void>((resolveListen, reject) => {
    server.once('error', reject);
    server.listen(0, host, () => resolveListen());
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://${host.includes(':') ? `[${host}]` : host}:${port}`,
    port,
    requests,
    close: () =>
      new Promise<void>((resolveClose) => {
        server.closeAllConnections();
        server.close(() => resolveClose());
      }),
  };
}

/** Dispatches on the path (query string ignored); anything unknown gets a 404. */
export function routes(table: Record<string, Handler>): Handler {
  return (req, res) => {
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    const handler = table[path];
    if (handler) return handler(req, res);
    res.writeHead(404, { 'Content-Type': 'text/plain' }).end('not found');
  };
}

/** Answers 200 with a fixed body. */
export function serve(body: string | Uint8Array, headers: Record<string, string | number> = {}): Handler {
  return (_req, res) => {
    res.writeHead(200, { 'Content-Type': 'application/rss+xml; charset=utf-8', ...headers }).end(body);
  };
}

/** Answers a redirect to `location`. */
export function redirect(location: string, status = 302): Handler {
  return (_req, res) => {
    res.writeHead(status, { Location: location }).end();
  };
}

/**
 * Runs `tick` every `ms` until the response closes (client gone, or close() destroyed
 * the socket), so a trickling handler never outlives its connection.
 */
export function every(res: ServerResponse, ms: number, tick: () => void): void {
  const timer = setInterval(() => {
    if (res.destroyed || res.writableEnded) clearInterval(timer);
    else tick();
  }, ms);
  res.on('close', () => clearInterval(timer));
}

/** Streams `total` zero bytes, respecting backpressure, until done or the client is gone. */
export async function streamZeros(res: ServerResponse, total: number): Promise<void> {
  const chunk = Buffer.alloc(64 * 1024);
  for (let sent = 0; sent < total && !res.destroyed; sent += chunk.length) {
    if (res.write(chunk)) continue;
    await new Promise<void>((done) => {
      const resume = () => {
        res.off('drain', resume).off('close', resume);
        done();
      };
      res.on('drain', resume).on('close', resume);
    });
  }
  if (!res.destroyed) res.end();
}
