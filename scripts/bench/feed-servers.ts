/**
 * Loopback feed servers for the benchmarks: one HTTP server per host (127.0.0.2, 127.0.0.3 …,
 * 127.0.1.1 …: all distinct hosts on loopback, see hostAddress), each answering after a fixed latency as a remote server
 * would, with ETag/Last-Modified validators, 304 Not Modified for conditional requests, and a
 * count of every byte written to the sockets (status line, headers and body).
 *
 * `spawnFeedServers` runs them in a child process so their CPU time never counts as the bot's
 * (`process.cpuUsage()` covers the whole process); `startFeedServers` runs them in-process.
 */
import { fork } from 'node:child_process';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { PROJECT_ROOT } from './feed-content.ts';
import type { ItemKind } from './long-anchors.ts';
import { documentMaker, type Workload } from './workloads.ts';

export interface FeedServerSpec {
  /** Ordinary feeds (about `feedBytes` each). */
  feeds: number;
  feedBytes: number;
  /** Big feeds (about `bigFeedBytes` each), served after the ordinary ones. */
  bigFeeds: number;
  bigFeedBytes: number;
  /** Distinct loopback hosts the feeds are spread over, from 127.0.0.<firstHost> on (see hostAddress). */
  hosts: number;
  firstHost?: number;
  /** Delay before each response (200, 304 or 404) is started. */
  latencyMs: number;
  /** What the documents hold (workloads.ts); default 'news'. */
  content?: Workload;
}

export interface ServerStats {
  /** Bytes written to sockets since the last reset: status lines, headers and bodies. */
  bytesSent: number;
  requests: number;
  ok: number;
  notModified: number;
  other: number;
  /** Requests that sent If-None-Match or If-Modified-Since. */
  conditional: number;
  /** Most requests any one host had in flight at once. */
  maxInFlightPerHost: number;
  /** Most requests in flight over all hosts at once. */
  maxInFlight: number;
}

export interface FeedSet {
  /** Every feed URL: the ordinary feeds first, then the big ones. */
  urls: string[];
  /** Sum of all documents' sizes, and of their items. */
  documentBytes: number;
  items: number;
  /** long-anchors: how many items of each kind were served. */
  kinds?: Record<ItemKind, number>;
  hosts: string[];
}

export interface FeedServers extends FeedSet {
  spec: FeedServerSpec;
  stats(): Promise<ServerStats>;
  /** Zeroes the counters (bytes, requests, in-flight maxima). */
  reset(): Promise<void>;
  close(): Promise<void>;
}

interface Doc {
  body: Buffer;
  etag: string;
  lastModified: string;
}

/**
 * The loopback address of host `i`: 127.0.0.2, 127.0.0.3 … 127.0.0.254, then 127.0.1.1 … (the
 * whole of 127/8 is loopback on Linux; .0 and .255 are skipped), so 500 hosts are 500 addresses,
 * each with a port of its own.
 */
export function hostAddress(spec: Pick<FeedServerSpec, 'firstHost'>, i: number): string {
  const n = (spec.firstHost ?? 2) + i - 1;
  const third = Math.floor(n / 254);
  if (n < 0 || third > 255) throw new Error(`host ${i} from ${spec.firstHost ?? 2} is outside 127.0.0.0/16`);
  return `127.0.${third}.${(n % 254) + 1}`;
}

/** "127.0.0.2–127.0.1.247": the addresses the spec's hosts listen on, for reports. */
export function hostRange(spec: Pick<FeedServerSpec, 'firstHost' | 'hosts'>): string {
  return `${hostAddress(spec, 0)}–${hostAddress(spec, spec.hosts - 1)}`;
}

/** Builds every document once (deterministic), keyed by host index and path. */
function buildDocuments(spec: FeedServerSpec): { docs: Array<Map<string, Doc>>; paths: Array<{ host: number; path: string }>; documentBytes: number; items: number; kinds?: Record<ItemKind, number> } {
  const now = new Date();
  const make = documentMaker(spec.content ?? 'news', now);
  const lastModified = new Date(now.getTime() - 60_000).toUTCString();
  const docs = Array.from({ length: spec.hosts }, () => new Map<string, Doc>());
  const paths: Array<{ host: number; path: string }> = [];
  let documentBytes = 0;
  let items = 0;
  let kinds: Record<ItemKind, number> | undefined;
  const add = (host: number, path: string, index: number, targetBytes: number, big: boolean) => {
    const doc = make(index, targetBytes, big);
    const body = Buffer.from(doc.xml);
    docs[host]!.set(path, { body, etag: `"f${index}-${body.length.toString(16)}"`, lastModified });
    paths.push({ host, path });
    documentBytes += body.length;
    items += doc.items;
    if (doc.kinds) {
      kinds ??= Object.fromEntries(Object.keys(doc.kinds).map((k) => [k, 0])) as Record<ItemKind, number>;
      for (const [k, n] of Object.entries(doc.kinds)) kinds[k as ItemKind] += n;
    }
  };
  for (let i = 0; i < spec.feeds; i++) add(i % spec.hosts, `/feeds/${i}.xml`, i, spec.feedBytes, false);
  // Big feeds: long articles in content:encoded, as full-text feeds have.
  for (let k = 0; k < spec.bigFeeds; k++) add(k % spec.hosts, `/big/${k}.xml`, spec.feeds + k, spec.bigFeedBytes, true);
  return { docs, paths, documentBytes, items, ...(kinds ? { kinds } : {}) };
}

function notModified(req: IncomingMessage, doc: Doc): boolean {
  const inm = req.headers['if-none-match'];
  if (inm !== undefined) return inm.split(',').some((tag) => tag.trim().replace(/^W\//, '') === doc.etag);
  const ims = req.headers['if-modified-since'];
  return ims !== undefined && Date.parse(ims) >= Date.parse(doc.lastModified);
}

/** Starts the servers in this process. */
export async function startFeedServers(spec: FeedServerSpec): Promise<FeedServers> {
  const { docs, paths, documentBytes, items, kinds } = buildDocuments(spec);
  const servers: Server[] = [];
  const sockets = new Set<Socket>();
  let closedBytes = 0;
  let baseline = 0;
  const zero = () => ({ requests: 0, ok: 0, notModified: 0, other: 0, conditional: 0, maxInFlightPerHost: 0, maxInFlight: 0 });
  let counts = zero();
  const inFlight: number[] = Array.from({ length: spec.hosts }, () => 0);
  let inFlightTotal = 0;
  const totalBytes = () => closedBytes + [...sockets].reduce((sum, s) => sum + s.bytesWritten, 0);

  const handler = (host: number) => (req: IncomingMessage, res: ServerResponse) => {
    counts.requests++;
    inFlight[host]!++;
    inFlightTotal++;
    counts.maxInFlightPerHost = Math.max(counts.maxInFlightPerHost, inFlight[host]!);
    counts.maxInFlight = Math.max(counts.maxInFlight, inFlightTotal);
    let done = false;
    const finish = () => {
      if (done) return;
      done = true;
      inFlight[host]!--;
      inFlightTotal--;
    };
    res.on('close', finish);
    const doc = docs[host]!.get(new URL(req.url ?? '/', 'http://x').pathname);
    if (req.headers['if-none-match'] !== undefined || req.headers['if-modified-since'] !== undefined) counts.conditional++;
    const respond = () => {
      if (res.destroyed) return;
      if (!doc) {
        counts.other++;
        res.writeHead(404, { 'Content-Type': 'text/plain' }).end('not found');
      } else if (notModified(req, doc)) {
        counts.notModified++;
        res.writeHead(304, { ETag: doc.etag, 'Last-Modified': doc.lastModified }).end();
      } else {
        counts.ok++;
        res.writeHead(200, {
          'Content-Type': 'application/rss+xml; charset=utf-8',
          'Content-Length': doc.body.length,
          ETag: doc.etag,
          'Last-Modified': doc.lastModified,
        }).end(doc.body);
      }
    };
    if (spec.latencyMs > 0) setTimeout(respond, spec.latencyMs);
    else respond();
  };

  try {
    for (let h = 0; h < spec.hosts; h++) {
      const server = createServer(handler(h));
      server.on('connection', (socket: Socket) => {
        sockets.add(socket);
        socket.on('close', () => {
          closedBytes += socket.bytesWritten;
          sockets.delete(socket);
        });
      });
      server.on('clientError', (_error, socket) => socket.destroy());
      servers.push(server);
      await new Promise<void>((resolve, reject) => {
        server.once('error', reject);
        server.listen(0, hostAddress(spec, h), () => resolve());
      });
    }
  } catch (error) {
    for (const server of servers) server.close();
    throw error;
  }
  const hostPort = servers.map((s) => {
    const { address, port } = s.address() as AddressInfo;
    return `${address}:${port}`;
  });
  return {
    spec,
    urls: paths.map(({ host, path }) => `http://${hostPort[host]}${path}`),
    hosts: hostPort,
    documentBytes,
    items,
    ...(kinds ? { kinds } : {}),
    async stats() {
      return { bytesSent: totalBytes() - baseline, ...counts };
    },
    async reset() {
      baseline = totalBytes();
      counts = zero();
    },
    async close() {
      await Promise.all(
        servers.map(
          (server) =>
            new Promise<void>((resolve) => {
              server.closeAllConnections();
              server.close(() => resolve());
            }),
        ),
      );
    },
  };
}

type Reply = { id: number; ok: true; value: unknown } | { id: number; ok: false; error: string };

/** Starts the servers in a child process (their CPU is not the bot's); same interface. */
export async function spawnFeedServers(spec: FeedServerSpec): Promise<FeedServers> {
  const child = fork(new URL('./feed-servers-child.ts', import.meta.url), [], {
    cwd: PROJECT_ROOT,
    execArgv: ['--import', 'tsx'],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    serialization: 'json',
  });
  let nextId = 0;
  const waiting = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.on('message', (message: Reply) => {
    const w = waiting.get(message.id);
    if (!w) return;
    waiting.delete(message.id);
    if (message.ok) w.resolve(message.value);
    else w.reject(new Error(message.error));
  });
  child.once('exit', (code, signal) => {
    for (const w of waiting.values()) w.reject(new Error(`feed server process exited (${code ?? signal})`));
    waiting.clear();
  });
  const call = <T>(op: string, arg?: unknown): Promise<T> =>
    new Promise<T>((resolve, reject) => {
      const id = nextId++;
      waiting.set(id, { resolve: resolve as (v: unknown) => void, reject });
      child.send({ id, op, arg });
    });
  let started: FeedSet;
  try {
    started = await call<FeedSet>('start', spec);
  } catch (error) {
    child.kill();
    throw error;
  }
  return {
    spec,
    ...started,
    stats: () => call<ServerStats>('stats'),
    reset: () => call<void>('reset'),
    async close() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      await call<void>('close').catch(() => undefined);
      child.disconnect();
      await exited;
    },
  };
}
