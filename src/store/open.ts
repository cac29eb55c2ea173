import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import Keyv from 'keyv';
import KeyvSqlite from '@keyv/sqlite';

export const DEFAULT_KEYV_URL = 'sqlite://alita-army.sqlite';

export interface StoreLogger {
  error(message: string, context?: Record<string, unknown>): void;
  /** When given, told when a lost Redis connection is back. */
  info?(message: string, context?: Record<string, unknown>): void;
}

/** `sqlite://relative/or/absolute/path` → the file path it names. */
export function sqlitePath(url: string): string {
  const path = url.replace(/^sqlite:\/\//, '');
  if (!path) throw new Error(`KEYV_URL "${url}" names no file`);
  return resolve(path);
}

/** How long opening a Redis store waits for the server before giving up with a clear error. */
export const REDIS_CONNECT_DEADLINE_MS = 10_000;
/** The same store error is logged at most once in this window (an outage would repeat it every second). */
const REPEAT_WINDOW_MS = 60_000;

type RedisModule = typeof import('@keyv/redis');
type RedisAdapter = InstanceType<RedisModule['default']>;

/** The address without a password, for messages. */
function redisAddress(url: string): string {
  try {
    const parsed = new URL(url);
    return `${parsed.protocol}//${parsed.host}${parsed.pathname === '/' ? '' : parsed.pathname}`;
  } catch {
    return 'redis';
  }
}

/**
 * A Redis adapter that survives outages: commands fail at once while the server is unreachable
 * (no offline queue, so a poll cycle fails and a command apologises instead of hanging), every
 * error reaches the caller (throwOnErrors: @keyv/redis would otherwise read a failure as
 * "missing" and make old items look new), and the client reconnects by itself, forever.
 */
async function redisAdapter(url: string): Promise<RedisAdapter> {
  // Loaded only when asked for, so SQLite users need no Redis client.
  const moduleName = '@keyv/redis';
  const { default: KeyvRedis } = (await import(moduleName)) as RedisModule;
  return new KeyvRedis(
    {
      url,
      disableOfflineQueue: true,
      socket: { connectTimeout: 5_000, reconnectStrategy: (retries: number) => Math.min(100 * 2 ** retries, 2_000) },
    },
    { throwOnErrors: true, throwOnConnectError: true },
  );
}

/** Waits for the first connection; a server that never answers is a clear error at start, not a hang. */
async function connectRedis(adapter: RedisAdapter, url: string, deadlineMs: number): Promise<void> {
  const client = adapter.client as unknown as { connect(): Promise<unknown>; destroy(): void; isOpen: boolean };
  let lastError = 'no answer';
  const remember = (error: unknown) => (lastError = error instanceof Error ? error.message : String(error));
  adapter.on('error', remember);
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      client.connect(),
      new Promise((_, reject) => (timer = setTimeout(() => reject(new Error('deadline')), deadlineMs))),
    ]);
  } catch {
    if (client.isOpen) client.destroy();
    throw new Error(`cannot reach Redis at ${redisAddress(url)} (${lastError})`);
  } finally {
    clearTimeout(timer);
    adapter.off('error', remember);
  }
}

/**
 * One query at a time on the SQLite connection, in order. While a query waits out the busy
 * timeout on a locked file, node-sqlite3 blocks the main thread for queries started alongside
 * it: a poll cycle reading several feeds at once froze the whole bot (no command answered, no
 * Discord heartbeat) for 5 s per waiting query. Queued here, they wait without blocking
 * anything. One connection runs one statement at a time anyway, so nothing is slower.
 */
function oneQueryAtATime(store: KeyvSqlite): void {
  const query = store.query;
  let tail: Promise<unknown> = Promise.resolve();
  store.query = (sql, ...params) => {
    const run = tail.then(() => query(sql, ...params));
    tail = run.catch(() => undefined);
    return run;
  };
}

type SqliteStore = KeyvSqlite & { opts: { table: string } };

/**
 * Makes SQLite fast enough for a cold poll of hundreds of feeds. Out of the box every key is
 * its own committed INSERT with its own disk sync (about 1 ms each, ~95% of a cold cycle):
 * - WAL with synchronous=NORMAL: a commit no longer waits for the disk, and it stays durable
 *   when the process is killed (only a power cut can lose the last commits);
 * - setMany as one statement: one transaction for a poll's seen marks, all or nothing;
 * - getMany answered through a Map instead of a linear search per key.
 */
async function tuneSqlite(store: SqliteStore): Promise<void> {
  const table = store.opts.table;
  await store.query('PRAGMA journal_mode=WAL');
  await store.query('PRAGMA synchronous=NORMAL');
  const upsertMany = `INSERT INTO ${table} (key, value) SELECT json_extract(e.value, '$[0]'), json_extract(e.value, '$[1]') FROM json_each(?) AS e WHERE true ON CONFLICT(key) DO UPDATE SET value=excluded.value`;
  const selectMany = `SELECT key, value FROM ${table} WHERE key IN (SELECT value FROM json_each(?))`;
  Object.assign(store, {
    async setMany(entries: Array<{ key: string; value: unknown }>): Promise<boolean[]> {
      await store.query(upsertMany, JSON.stringify(entries.map((e) => [e.key, e.value])));
      return entries.map(() => true);
    },
    async getMany(keys: string[]): Promise<unknown[]> {
      const rows = (await store.query(selectMany, JSON.stringify(keys))) as Array<{ key: string; value: unknown }>;
      const byKey = new Map(rows.map((row) => [row.key, row.value]));
      return keys.map((key) => byKey.get(key));
    },
  });
}

/** Logs each distinct store error at most once a minute. */
function storeErrorLogger(logger: StoreLogger): (error: unknown) => void {
  const lastLogged = new Map<string, number>();
  return (error) => {
    const message = error instanceof Error ? error.message : String(error);
    const now = Date.now();
    if (now - (lastLogged.get(message) ?? -Infinity) < REPEAT_WINDOW_MS) return;
    if (lastLogged.size > 100) lastLogged.clear();
    lastLogged.set(message, now);
    logger.error('store error', { error: message });
  };
}

/**
 * Opens the Keyv store the bot keeps its memory in. Errors throw (`throwOnErrors`) instead of
 * reading as "missing": an unreadable store must never make an old item look new.
 */
export async function openKeyv(url: string, logger: StoreLogger, namespace = 'alita'): Promise<Keyv> {
  if (url.startsWith('sqlite://')) {
    const file = sqlitePath(url);
    mkdirSync(dirname(file), { recursive: true });
    // busyTimeout: a second process (or a backup tool) holding the file briefly is not an outage.
    const store = new KeyvSqlite({ uri: `sqlite://${file}`, busyTimeout: 5000 });
    oneQueryAtATime(store);
    await tuneSqlite(store as SqliteStore);
    const keyv = new Keyv({ store, namespace, throwOnErrors: true });
    keyv.on('error', storeErrorLogger(logger));
    return keyv;
  }
  if (url.startsWith('redis://') || url.startsWith('rediss://')) {
    const adapter = await redisAdapter(url);
    const keyv = new Keyv({ store: adapter, namespace, throwOnErrors: true });
    keyv.on('error', storeErrorLogger(logger));
    let lost = false;
    adapter.client.on('reconnecting', () => (lost = true));
    adapter.client.on('ready', () => {
      if (lost) logger.info?.('store reconnected', { store: redisAddress(url) });
      lost = false;
    });
    await connectRedis(adapter, url, REDIS_CONNECT_DEADLINE_MS);
    return keyv;
  }
  throw new Error(`KEYV_URL "${url}" is not supported (use sqlite://path or redis://host:port)`);
}
