/**
 * The health and metrics endpoints, on HEALTH_HOST:HEALTH_PORT (off unless HEALTH_PORT is set):
 * GET /healthz answers 200 or 503 with the report as JSON, GET /metrics the Prometheus text.
 * Plain node:http: two read-only routes need no framework.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { contentType } from 'prom-client';
import type { Logger } from '../log.ts';
import type { HealthReport } from './check.ts';

export interface HealthServer {
  /** The port it listens on (HEALTH_PORT=0 picks a free one). */
  port: number;
  url: string;
  close(): Promise<void>;
}

export interface HealthServerOptions {
  host: string;
  port: number;
  check(): Promise<HealthReport>;
  metrics(): Promise<string>;
  logger: Logger;
}

/** HEALTH_PORT taken, or not allowed: the bot stops with this one line, which names the setting. */
export class HealthPortError extends Error {}

export async function startHealthServer(options: HealthServerOptions): Promise<HealthServer> {
  const { logger } = options;
  const server: Server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    if (req.method !== 'GET' && req.method !== 'HEAD') return void res.writeHead(405, { allow: 'GET, HEAD' }).end();
    const answer = async () => {
      if (path === '/healthz') {
        const report = await options.check();
        res.writeHead(report.ok ? 200 : 503, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' }).end(`${JSON.stringify(report)}\n`);
      } else if (path === '/metrics') {
        const text = await options.metrics();
        res.writeHead(200, { 'content-type': contentType, 'cache-control': 'no-store' }).end(text);
      } else {
        res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' }).end('not found: GET /healthz or /metrics\n');
      }
    };
    answer().catch((error: unknown) => {
      logger.warn('health endpoint failed', { path, error: error instanceof Error ? error.message : String(error) });
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain; charset=utf-8' });
      res.end('internal error\n');
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', (error: NodeJS.ErrnoException) => {
      const why = error.code === 'EADDRINUSE' ? 'is in use by another program' : error.code === 'EACCES' ? 'may not be used by this user' : `cannot be listened on (${error.message})`;
      reject(new HealthPortError(`HEALTH_PORT: port ${options.port} on ${options.host} (HEALTH_HOST) ${why}`, { cause: error }));
    });
    server.listen(options.port, options.host, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const url = `http://${options.host.includes(':') ? `[${options.host}]` : options.host}:${port}`;
  logger.info('health and metrics listening', { healthz: `${url}/healthz`, metrics: `${url}/metrics` });
  return {
    port,
    url,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        // A monitoring system's kept-alive connection must not hold the stop up.
        server.closeAllConnections();
      }),
  };
}
