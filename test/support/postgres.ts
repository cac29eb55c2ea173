/**
 * How tests get a PostgreSQL. TEST_POSTGRES_URL when set (CI starts one with .ci/postgres.sh;
 * every test works in a database of its own, dropped afterwards), else a private server on a free
 * 127.0.0.1 port in a temporary folder, stopped after the suite, else a visible skip
 * (a failure when POSTGRES_REQUIRED=1). A private server can also be stopped and started again on
 * the same port with its data (outage tests).
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { accessSync, chownSync, constants, mkdtempSync, readdirSync, readFileSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { delimiter, dirname, join } from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';
import { afterAll, beforeAll, describe, it } from 'vitest';

const HOST = '127.0.0.1';
// Machines are shared and busy: deadlines are generous, and only ever an upper bound.
const START_DEADLINE_MS = 60_000;
const STOP_DEADLINE_MS = 30_000;
const run = promisify(execFile);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function executable(file: string): boolean {
  try {
    accessSync(file, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/**
 * The folder holding initdb and postgres of one version: PATH first (symlinks resolved, so both
 * come from the same version), else the newest /usr/lib/postgresql/VERSION/bin, where Debian puts
 * them off PATH.
 */
export function findPostgresBin(path = process.env.PATH ?? ''): string | undefined {
  const complete = (dir: string) => executable(join(dir, 'initdb')) && executable(join(dir, 'postgres'));
  for (const dir of path.split(delimiter)) {
    if (dir && executable(join(dir, 'initdb'))) {
      const real = dirname(realpathSync(join(dir, 'initdb')));
      if (complete(real)) return real;
    }
  }
  let versions: string[] = [];
  try {
    versions = readdirSync('/usr/lib/postgresql');
  } catch {
    // not installed the Debian way
  }
  const newest = versions.sort((a, b) => Number(b) - Number(a)).map((v) => `/usr/lib/postgresql/${v}/bin`);
  return newest.find(complete);
}

/** initdb and postgres refuse to run as root: as root, they run as the `postgres` user (Debian's package creates it). */
function serverUser(): { uid: number; gid: number } | 'missing' | undefined {
  if (process.getuid?.() !== 0) return undefined;
  const entry = readFileSync('/etc/passwd', 'utf8').split('\n').find((line) => line.startsWith('postgres:'));
  const [uid, gid] = (entry?.split(':').slice(2, 4) ?? []).map(Number);
  return uid !== undefined && gid !== undefined ? { uid, gid } : 'missing';
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve, reject) => server.once('error', reject).listen(0, HOST, () => resolve()));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** One statement on its own short-lived connection, so a server restart never leaves a broken client behind. */
export async function adminQuery(url: string, sql: string): Promise<pg.QueryResult> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 10_000 });
  // A server going away mid-query is reported by query(); the 'error' event must not crash the run.
  client.on('error', () => undefined);
  try {
    await client.connect();
    return await client.query(sql);
  } finally {
    await client.end().catch(() => undefined);
  }
}

export interface PrivatePostgres {
  /** postgres://postgres@127.0.0.1:PORT/postgres */
  url: string;
  port: number;
  readonly running: boolean;
  /** Fast shutdown (clients are disconnected, data is kept); resolves once the server has exited. */
  stop(): Promise<void>;
  /** Starts it again on the same port and data folder; resolves once it accepts queries. */
  start(): Promise<void>;
  /** Stops it for good and removes its folder. */
  close(): Promise<void>;
}

/**
 * postgres runs under a small sh watchdog that sends it SIGINT (fast shutdown) when our end of
 * its stdin closes: on stop()/close(), and also when this process dies in any way (even SIGKILL),
 * so a killed test run leaves no server behind. `sh` exits with postgres's own exit status.
 */
const WATCHDOG = 'exec 3<&0; "$0" "$@" </dev/null & pid=$!; (cat <&3 >/dev/null; kill -INT "$pid" 2>/dev/null) & wait "$pid"';

/** A PostgreSQL of our own: free 127.0.0.1 port, temporary folder, durability off (test data is thrown away). */
export async function startPrivatePostgres(bin = findPostgresBin()): Promise<PrivatePostgres> {
  if (!bin) throw new Error('initdb is neither on PATH nor in /usr/lib/postgresql/*/bin');
  const user = serverUser();
  if (user === 'missing') throw new Error('running as root and there is no postgres user to run initdb as (.ci/postgres.sh creates one)');
  const dir = mkdtempSync(join(tmpdir(), 'alita-pg-'));
  const data = join(dir, 'data');
  // The folder is the server's (data and unix socket); cwd too, or initdb complains about root's home.
  if (user) chownSync(dir, user.uid, user.gid);
  const as = { ...(user ?? {}), cwd: dir, env: { PATH: process.env.PATH ?? '', LC_ALL: 'C' } };

  try {
    await run(join(bin, 'initdb'), ['-D', data, '-U', 'postgres', '-E', 'UTF8', '--no-locale', '--auth-local=peer', '--auth-host=trust', '--no-sync'], { ...as, timeout: START_DEADLINE_MS });
    // Trust on 127.0.0.1 only; written as root is fine, postgres only needs to read it.
    writeFileSync(join(data, 'pg_hba.conf'), 'local all all peer\nhost all all 127.0.0.1/32 trust\n');
  } catch (error) {
    rmSync(dir, { recursive: true, force: true });
    const { stderr = '' } = error as { stderr?: string };
    throw new Error(`initdb failed in ${data}: ${String(stderr).trim() || (error as Error).message}`);
  }

  let child: ChildProcess | undefined;
  let output = '';
  const alive = (proc: ChildProcess | undefined): proc is ChildProcess => Boolean(proc && proc.exitCode === null && proc.signalCode === null);

  /** Ends the watchdog's stdin (SIGINT to postgres); past the deadline, SIGQUIT (immediate shutdown) to the postmaster itself. */
  const halt = async (proc: ChildProcess | undefined): Promise<void> => {
    if (!alive(proc)) return;
    const exited = new Promise<void>((resolve) => proc.once('exit', () => resolve()));
    proc.stdin?.end();
    const timer = setTimeout(() => {
      try {
        process.kill(Number(readFileSync(join(data, 'postmaster.pid'), 'utf8').split('\n')[0]), 'SIGQUIT');
      } catch {
        proc.kill('SIGKILL');
      }
    }, STOP_DEADLINE_MS);
    await exited;
    clearTimeout(timer);
  };

  const launch = async (port: number): Promise<void> => {
    output = '';
    const settings = { listen_addresses: HOST, unix_socket_directories: dir, max_connections: '100', fsync: 'off', synchronous_commit: 'off', full_page_writes: 'off' };
    const args = ['-D', data, '-p', String(port), ...Object.entries(settings).flatMap(([k, v]) => ['-c', `${k}=${v}`])];
    const proc = spawn('sh', ['-c', WATCHDOG, join(bin, 'postgres'), ...args], { ...as, stdio: ['pipe', 'pipe', 'pipe'] });
    child = proc;
    // Only the tail is kept: it is what explains a failed start.
    const keep = (c: Buffer) => (output = (output + String(c)).slice(-4_000));
    proc.stdout!.on('data', keep);
    proc.stderr!.on('data', keep);
    // Once postgres is gone, let the watchdog go too.
    proc.once('exit', () => proc.stdin?.end());
    const exited = new Promise<void>((resolve) => proc.once('exit', () => resolve()));
    const deadline = Date.now() + START_DEADLINE_MS;
    const url = `postgres://postgres@${HOST}:${port}/postgres`;
    // Accepting connections is not enough ("the database system is starting up"): wait for a query.
    while (!(await adminQuery(url, 'SELECT 1').then(() => true, () => false))) {
      const gone = await Promise.race([exited.then(() => true), sleep(100).then(() => false)]);
      if (gone || Date.now() > deadline) {
        await halt(proc);
        throw new Error(`postgres on port ${port} did not start: ${output.trim() || (gone ? 'it exited' : 'no answer')}`);
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
    url: `postgres://postgres@${HOST}:${port}/postgres`,
    port,
    get running() {
      return alive(child);
    },
    stop: () => halt(child),
    async start() {
      if (!alive(child)) await launch(port);
    },
    async close() {
      await halt(child);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export interface FreshDatabase {
  /** Connection URL of the new, empty database. */
  url: string;
  name: string;
  /** Drops it, disconnecting whoever is still connected; dropping twice is harmless. */
  drop(): Promise<void>;
}

export interface PostgresTarget {
  /** The admin URL (database `postgres`): for creating databases, not for a test's own data. */
  url: string;
  /** A new, empty database no other test, file or run uses; dropped after the suite at the latest. */
  freshDatabase(label?: string): Promise<FreshDatabase>;
  /** Present when the suite runs its own server: stop() and start() it again (same port, same data). */
  outage?: { stop(): Promise<void>; start(): Promise<void> };
}

export type PostgresSource = { kind: 'url'; url: string } | { kind: 'server'; bin: string } | { kind: 'none'; reason: string; hint: string };

/** Where a suite's PostgreSQL comes from. `ownServer`: the suite must be able to stop it, so TEST_POSTGRES_URL is not enough. */
export function postgresSource(options: { ownServer?: boolean } = {}, env: NodeJS.ProcessEnv = process.env): PostgresSource {
  if (!options.ownServer && env.TEST_POSTGRES_URL) return { kind: 'url', url: env.TEST_POSTGRES_URL };
  const bin = findPostgresBin(env.PATH ?? '');
  const hint = 'Install PostgreSQL (Debian: apt-get install postgresql) or run .ci/postgres.sh and set TEST_POSTGRES_URL to run them.';
  if (!bin) return { kind: 'none', reason: options.ownServer ? 'no initdb (a TEST_POSTGRES_URL server cannot be stopped and restarted)' : 'no initdb and no TEST_POSTGRES_URL', hint };
  if (serverUser() === 'missing') return { kind: 'none', reason: 'running as root without a postgres user to run the server as', hint };
  return { kind: 'server', bin };
}

const warned = new Set<string>();

/**
 * describe() for tests that need PostgreSQL. `pg()` gives the target inside hooks and tests.
 * Without a PostgreSQL the suite is skipped visibly: its name says SKIPPED and why, and a warning
 * is printed once, so a machine without PostgreSQL passes the tests without hiding it.
 */
export function describeWithPostgres(name: string, body: (pg: () => PostgresTarget) => void, options: { ownServer?: boolean } = {}): void {
  const source = postgresSource(options);
  if (source.kind === 'none' && process.env.POSTGRES_REQUIRED === '1') {
    // CI (.ci/run) sets POSTGRES_REQUIRED=1: there, a missing PostgreSQL is a failure, never a quiet skip.
    describe(name, () => {
      it('has a PostgreSQL to run against', () => {
        throw new Error(`POSTGRES_REQUIRED=1 but ${source.reason}: run .ci/postgres.sh first`);
      });
    });
    return;
  }
  if (source.kind === 'none') {
    if (!warned.has(name)) {
      warned.add(name);
      console.warn(`⚠ ${name}: SKIPPED, ${source.reason}. ${source.hint}`);
    }
    describe.skip(`${name} (SKIPPED: ${source.reason})`, () => {
      it('needs PostgreSQL', () => undefined);
      body(() => {
        throw new Error('skipped: no PostgreSQL');
      });
    });
    return;
  }

  describe(name, () => {
    let target: PostgresTarget | undefined;
    let server: PrivatePostgres | undefined;
    const live = new Set<FreshDatabase>();
    // Names are unique across files and runs sharing one server, and valid unquoted identifiers (≤ 63 bytes).
    const runId = randomUUID().slice(0, 8);
    let count = 0;
    beforeAll(async () => {
      server = source.kind === 'server' ? await startPrivatePostgres(source.bin) : undefined;
      const url = server?.url ?? (source as { url: string }).url;
      const quoted = (db: string) => `"${db}"`;
      target = {
        url,
        ...(server ? { outage: { stop: server.stop, start: server.start } } : {}),
        async freshDatabase(label = 'db') {
          const db = `t_${process.pid}_${runId}_${count++}_${label.toLowerCase().replace(/[^a-z0-9_]/g, '_')}`.slice(0, 63);
          // template0: nobody is ever connected to it, so parallel CREATE DATABASE never collides.
          // FILE_COPY (PostgreSQL 15+) copies a tiny template faster than the default WAL_LOG.
          await adminQuery(url, `CREATE DATABASE ${quoted(db)} TEMPLATE template0 STRATEGY FILE_COPY`);
          const dbUrl = new URL(url);
          dbUrl.pathname = `/${db}`;
          const fresh: FreshDatabase = {
            url: dbUrl.toString(),
            name: db,
            async drop() {
              await adminQuery(url, `DROP DATABASE IF EXISTS ${quoted(db)} WITH (FORCE)`);
              live.delete(fresh);
            },
          };
          live.add(fresh);
          return fresh;
        },
      };
    }, START_DEADLINE_MS * 3 + 10_000);
    afterAll(async () => {
      if (server) {
        await server.close();
      } else {
        // A shared server (TEST_POSTGRES_URL): remove exactly the databases this suite left, a few
        // at a time (one by one, a hundred drops took most of a minute on a busy machine).
        const left = [...live];
        for (let i = 0; i < left.length; i += 8) await Promise.all(left.slice(i, i + 8).map((fresh) => fresh.drop()));
      }
    }, 120_000);
    body(() => {
      if (!target) throw new Error('PostgreSQL is not ready yet: use pg() inside hooks and tests');
      return target;
    });
  });
}
