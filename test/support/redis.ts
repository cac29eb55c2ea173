/**
 * How tests get a Redis. REDIS_URL when set (CI starts one with .ci/redis.sh; each suite works in
 * namespaces of its own and clears them afterwards), else a private redis-server on a free
 * 127.0.0.1 port in a temporary folder, stopped after the suite, else a visible skip.
 * A private server can also be stopped and started again on the same port (outage tests).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { accessSync, constants, mkdtempSync, rmSync } from 'node:fs';
import { connect, createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { afterAll, beforeAll, describe, it } from 'vitest';
import { silentLogger } from '../../src/log.ts';
import { openKeyv } from '../../src/store/open.ts';

const HOST = '127.0.0.1';
const START_DEADLINE_MS = 15_000;
const STOP_DEADLINE_MS = 15_000;

/** The redis-server executable on PATH, if any. */
export function findRedisServer(path = process.env.PATH ?? ''): string | undefined {
  for (const dir of path.split(delimiter)) {
    if (!dir) continue;
    const file = join(dir, 'redis-server');
    try {
      accessSync(file, constants.X_OK);
      return file;
    } catch {
      // not here
    }
  }
  return undefined;
}

/** One command in RESP; resolves with the first reply line ('+PONG', '-ERR …'), or rejects when nothing answers. */
export function redisCommand(port: number, args: string[], timeoutMs = 2_000): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host: HOST, port });
    let reply = '';
    const fail = (error: Error) => {
      socket.destroy();
      reject(error);
    };
    socket.setTimeout(timeoutMs, () => fail(new Error(`redis on port ${port}: no answer within ${timeoutMs} ms`)));
    socket.on('error', fail);
    // SHUTDOWN closes the connection without a reply.
    socket.on('close', () => resolve(reply.split('\r\n')[0] ?? ''));
    socket.on('connect', () => socket.write(`*${args.length}\r\n${args.map((a) => `$${Buffer.byteLength(a)}\r\n${a}\r\n`).join('')}`));
    socket.on('data', (chunk) => {
      reply += String(chunk);
      if (reply.includes('\r\n')) socket.end();
    });
  });
}

async function ping(port: number): Promise<boolean> {
  return redisCommand(port, ['PING'], 1_000).then(
    (reply) => reply === '+PONG',
    () => false,
  );
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve, reject) => server.once('error', reject).listen(0, HOST, () => resolve()));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export interface PrivateRedis {
  /** redis://127.0.0.1:PORT */
  url: string;
  port: number;
  readonly running: boolean;
  /**
   * Stops the server, saving its data first as a Redis with persistence does on a clean
   * shutdown, and resolves once it has exited (clients see the connection drop).
   */
  stop(): Promise<void>;
  /** Starts it again on the same port with the data it had; resolves once it answers PING. */
  start(): Promise<void>;
  /** Stops it for good and removes its folder. */
  close(): Promise<void>;
}

/**
 * redis-server runs under a small sh watchdog that stops it when our end of its stdin closes:
 * on stop()/close(), and also when this process dies in any way (even SIGKILL), so a killed
 * test run leaves no server behind. `sh` exits with redis-server's own exit status.
 */
const WATCHDOG = 'exec 3<&0; "$0" "$@" </dev/null & pid=$!; (cat <&3 >/dev/null; kill "$pid" 2>/dev/null) & wait "$pid"';

/** A redis-server of our own: free 127.0.0.1 port, temporary folder, no persistence of its own. */
export async function startPrivateRedis(binary = findRedisServer()): Promise<PrivateRedis> {
  if (!binary) throw new Error('redis-server is not on PATH');
  const dir = mkdtempSync(join(tmpdir(), 'alita-redis-'));
  let child: ChildProcess | undefined;
  let output = '';
  const alive = (proc: ChildProcess | undefined): proc is ChildProcess => Boolean(proc && proc.exitCode === null && proc.signalCode === null);

  /** Stops it the hard way (the watchdog sends SIGTERM; with nothing to save Redis exits at once). */
  const kill = async (proc: ChildProcess | undefined): Promise<void> => {
    if (!alive(proc)) return;
    const exited = new Promise<void>((resolve) => proc.once('exit', () => resolve()));
    proc.stdin?.end();
    const timer = setTimeout(() => proc.kill('SIGKILL'), STOP_DEADLINE_MS);
    await exited;
    clearTimeout(timer);
  };

  const launch = async (port: number): Promise<void> => {
    output = '';
    const args = ['--port', String(port), '--bind', HOST, '--save', '', '--appendonly', 'no', '--dir', dir, '--dbfilename', 'dump.rdb', '--daemonize', 'no', '--loglevel', 'warning'];
    const proc = spawn('sh', ['-c', WATCHDOG, binary, ...args], { stdio: ['pipe', 'pipe', 'pipe'] });
    child = proc;
    proc.stdout!.on('data', (c) => (output += String(c)));
    proc.stderr!.on('data', (c) => (output += String(c)));
    // Once redis-server is gone, let the watchdog go too.
    proc.once('exit', () => proc.stdin?.end());
    const exited = new Promise<void>((resolve) => proc.once('exit', () => resolve()));
    const deadline = Date.now() + START_DEADLINE_MS;
    while (!(await ping(port))) {
      const gone = await Promise.race([exited.then(() => true), sleep(50).then(() => false)]);
      if (gone || Date.now() > deadline) {
        await kill(proc);
        throw new Error(`redis-server on port ${port} did not start: ${output.trim() || (gone ? 'it exited' : 'no PONG')}`);
      }
    }
  };

  let port = 0;
  for (let attempt = 1; ; attempt++) {
    port = await freePort();
    try {
      await launch(port);
      break;
    } catch (error) {
      // Another process may have taken the free port first; try another one.
      if (attempt >= 3) {
        rmSync(dir, { recursive: true, force: true });
        throw error;
      }
    }
  }

  return {
    url: `redis://${HOST}:${port}`,
    port,
    get running() {
      return alive(child);
    },
    async stop() {
      const proc = child;
      if (!alive(proc)) return;
      const exited = new Promise<void>((resolve) => proc.once('exit', () => resolve()));
      const reply = await redisCommand(port, ['SHUTDOWN', 'SAVE']).catch((error: Error) => `-${error.message}`);
      if (reply.startsWith('-')) throw new Error(`redis-server on port ${port} refused to shut down: ${reply}`);
      const timer = setTimeout(() => void kill(proc), STOP_DEADLINE_MS);
      await exited;
      clearTimeout(timer);
    },
    async start() {
      if (!alive(child)) await launch(port);
    },
    async close() {
      await kill(child);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export interface RedisTarget {
  url: string;
  /** Set when the suite runs its own server: it can be stopped and started again. */
  server?: PrivateRedis;
  /** A namespace no other suite, file or run uses; its keys are removed after the suite. */
  namespace(label?: string): string;
}

export type RedisSource = { kind: 'url'; url: string } | { kind: 'server'; binary: string } | { kind: 'none'; reason: string; hint: string };

/** Where a suite's Redis comes from. `ownServer`: the suite must be able to stop it, so REDIS_URL is not enough. */
export function redisSource(options: { ownServer?: boolean } = {}, env: NodeJS.ProcessEnv = process.env): RedisSource {
  const binary = findRedisServer(env.PATH ?? '');
  if (options.ownServer) {
    return binary ? { kind: 'server', binary } : { kind: 'none', reason: 'no redis-server on PATH; a REDIS_URL server cannot be stopped and restarted', hint: 'Install redis-server (Debian: apt-get install redis-server) to run them.' };
  }
  if (env.REDIS_URL) return { kind: 'url', url: env.REDIS_URL };
  return binary ? { kind: 'server', binary } : { kind: 'none', reason: 'no redis-server and no REDIS_URL', hint: 'Install redis-server or set REDIS_URL=redis://host:port to run them.' };
}

const warned = new Set<string>();

/**
 * describe() for tests that need Redis. `redis()` gives the target inside hooks and tests.
 * Without a Redis the suite is skipped visibly: its name says SKIPPED and why, and a warning
 * is printed once, so a machine without Redis passes `npm test` without hiding it.
 */
export function describeWithRedis(name: string, body: (redis: () => RedisTarget) => void, options: { ownServer?: boolean } = {}): void {
  const source = redisSource(options);
  if (source.kind === 'none' && process.env.REDIS_REQUIRED) {
    // CI (.ci/run) sets REDIS_REQUIRED: there, a missing Redis is a failure, never a quiet skip.
    describe(name, () => {
      it('has a Redis to run against', () => {
        throw new Error(`REDIS_REQUIRED is set but ${source.reason}: run .ci/redis.sh first`);
      });
    });
    return;
  }
  if (source.kind === 'none') {
    const note = `${name} (SKIPPED: ${source.reason})`;
    if (!warned.has(name)) {
      warned.add(name);
      console.warn(`⚠ ${name}: SKIPPED, ${source.reason}. ${source.hint}`);
    }
    describe.skip(note, () => {
      it('needs Redis', () => undefined);
      body(() => {
        throw new Error('skipped: no Redis');
      });
    });
    return;
  }

  describe(name, () => {
    let target: RedisTarget | undefined;
    const namespaces: string[] = [];
    const run = randomUUID().slice(0, 8);
    beforeAll(async () => {
      const server = source.kind === 'server' ? await startPrivateRedis(source.binary) : undefined;
      const url = server?.url ?? (source as { url: string }).url;
      target = {
        url,
        ...(server ? { server } : {}),
        namespace(label = 'store') {
          const ns = `test-${process.pid}-${run}-${namespaces.length}-${label}`;
          namespaces.push(ns);
          return ns;
        },
      };
    });
    afterAll(async () => {
      if (!target) return;
      if (target.server) {
        await target.server.close();
      } else {
        // A shared server (REDIS_URL): remove exactly the keys this suite wrote.
        for (const ns of namespaces) {
          const keyv = await openKeyv(target.url, silentLogger, ns);
          await keyv.clear();
          await keyv.disconnect();
        }
      }
    });
    body(() => {
      if (!target) throw new Error('Redis is not ready yet: use redis() inside hooks and tests');
      return target;
    });
  });
}
