/**
 * Opens the bot's database: SQLite (better-sqlite3) or PostgreSQL (pg), both through Kysely with
 * the same tables, and brings its schema up to date before handing it out.
 */
import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { Kysely, PostgresDialect, sql } from 'kysely';
import { StoreError, errorCode, errorMessage, isPostgresRetryable, isSqliteBusy, redactUrl } from './errors.ts';
import { migrate } from './migrations.ts';
import { namingSetting, postgresHint } from './open-errors.ts';
import { BUSY_DEADLINE_MS, retrying } from './retry.ts';
import { RetryingSqliteDialect } from './sqlite-driver.ts';
import type { Tables } from './tables.ts';

export interface DatabaseLogger {
  warn(message: string, context?: Record<string, unknown>): void;
  error(message: string, context?: Record<string, unknown>): void;
}

export interface Database {
  readonly kind: 'sqlite' | 'postgres';
  /** For messages and logs: the URL without its password. */
  readonly address: string;
  /** Plain queries. Inside `transaction`, use its `trx` only: on SQLite `db` waits for the transaction. */
  readonly db: Kysely<Tables>;
  /**
   * Runs `work` in one transaction (BEGIN IMMEDIATE on SQLite) and commits it, or rolls it back
   * if `work` throws. A busy SQLite file, a PostgreSQL serialization failure or deadlock runs
   * `work` AGAIN from the start (up to about 10 s): it must do nothing outside `trx` that
   * cannot be repeated.
   */
  transaction<T>(work: (trx: Kysely<Tables>) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

export interface OpenOptions {
  /** How long a busy database is waited for (default 10 s). */
  busyDeadlineMs?: number;
  /** PostgreSQL connections in the pool (default 10). */
  poolSize?: number;
  /** Migrate only up to this version (tests of the upgrade path). Default: all. */
  schemaVersion?: number;
  /** The setting the URL came from, named in every error opening it (default DATABASE_URL). */
  setting?: string;
}

export const DEFAULT_POOL_SIZE = 10;

/** `sqlite://relative/or/absolute/path` → the file (':memory:' stays as it is). */
export function sqliteFile(url: string): string {
  const path = url.slice('sqlite://'.length);
  if (!path) throw new StoreError(`"${url}" names no file`, { database: url });
  return path === ':memory:' ? path : resolve(path);
}

/** The driver's errors go up as they are: openDatabase puts them in plain words (open-errors.ts). */
async function openSqlite(file: string, deadlineMs: number): Promise<Database> {
  if (file !== ':memory:') mkdirSync(dirname(file), { recursive: true });
  // A short busy timeout: better-sqlite3 waits synchronously, freezing the event loop.
  const raw = new BetterSqlite3(file, { timeout: 50 });
  // WAL: readers never wait for the writer; NORMAL: commits do not wait for the disk (a killed
  // process loses nothing, only a power cut can lose the last commits).
  await retrying(
    async () => {
      raw.pragma('journal_mode = WAL');
      raw.pragma('synchronous = NORMAL');
      raw.pragma('foreign_keys = ON');
    },
    isSqliteBusy,
    { deadlineMs, what: `opening ${file}` },
  ).catch((error: unknown) => {
    raw.close();
    throw error;
  });
  const dialect = new RetryingSqliteDialect(raw, deadlineMs);
  const db = new Kysely<Tables>({ dialect });
  const attempt = <T>(work: (trx: Kysely<Tables>) => Promise<T>) =>
    dialect.driver.inTransaction((enter) =>
      db.transaction().execute((trx) => {
        enter();
        return work(trx);
      }),
    );
  return {
    kind: 'sqlite',
    address: `sqlite://${file}`,
    db,
    transaction: (work) => retrying(() => attempt(work), isSqliteBusy, { deadlineMs, what: 'SQLite transaction' }),
    async close() {
      await db.destroy();
      // Kysely opens its side lazily: a database never queried is closed here.
      if (raw.open) raw.close();
    },
  };
}

/** Node reports a refused dual-stack connect as an AggregateError without a message of its own. */
function connectFailure(error: unknown, url: string): string {
  const inner = error instanceof AggregateError ? error.errors.map((e: unknown) => errorMessage(e, url)).join('; ') : '';
  return inner || errorMessage(error, url) || errorCode(error) || 'no answer';
}

async function openPostgres(url: string, logger: DatabaseLogger, options: OpenOptions, deadlineMs: number): Promise<Database> {
  const address = redactUrl(url);
  // Loaded only for PostgreSQL: an embedded SQLite bot never pays for pg at start-up.
  const { default: pg } = await import('pg');
  const pool = new pg.Pool({
    connectionString: url,
    max: options.poolSize ?? DEFAULT_POOL_SIZE,
    // Also bounds the wait for a free pooled connection under load: generous, never a hang.
    connectionTimeoutMillis: 15_000,
    idleTimeoutMillis: 30_000,
    application_name: 'alita-army-news-bot',
  });
  // An idle connection dropped by the server (restart, failover) is reported here; without a
  // listener it would crash the process. The pool replaces it on the next query.
  pool.on('error', (error) => logger.error('PostgreSQL connection lost', { database: address, error: errorMessage(error, url) }));
  // While a connection is checked out (a transaction between two statements), pg-pool takes its
  // own listener off and Kysely adds none: a server restart then raised an uncaught exception and
  // the bot died. The statement in flight still fails, and the pool drops the connection on release.
  pool.on('connect', (client) => client.on('error', (error) => logger.warn('PostgreSQL connection lost during a query', { database: address, error: errorMessage(error, url) })));
  const db = new Kysely<Tables>({ dialect: new PostgresDialect({ pool }) });
  try {
    await sql`select 1`.execute(db);
  } catch (error) {
    await db.destroy().catch(() => undefined);
    const code = errorCode(error) ?? (error instanceof AggregateError ? errorCode(error.errors[0]) : undefined);
    const hint = postgresHint(code);
    const reached = code !== undefined && /^\d/.test(code);
    throw new StoreError(`${reached ? 'cannot use' : 'cannot reach'} PostgreSQL at ${address} (${connectFailure(error, url)})${hint ? `: ${hint}` : ''}`, { database: address, code }, { cause: error });
  }
  return {
    kind: 'postgres',
    address,
    db,
    transaction: (work) => retrying(() => db.transaction().execute(work), isPostgresRetryable, { deadlineMs, what: 'PostgreSQL transaction' }),
    close: () => db.destroy(),
  };
}

/**
 * `sqlite://path` (relative to the working folder; `sqlite://:memory:` for tests) or
 * `postgres://user:password@host:port/db`. Applies pending migrations before returning. Every
 * error starts with the setting's name (options.setting) and says what is wrong in plain words.
 */
export async function openDatabase(url: string, logger: DatabaseLogger, options: OpenOptions = {}): Promise<Database> {
  const deadlineMs = options.busyDeadlineMs ?? BUSY_DEADLINE_MS;
  const setting = options.setting ?? 'DATABASE_URL';
  let file: string | undefined;
  let database: Database;
  try {
    if (url.startsWith('sqlite://')) {
      file = sqliteFile(url);
      database = await openSqlite(file, deadlineMs);
    } else if (url.startsWith('postgres://') || url.startsWith('postgresql://')) {
      database = await openPostgres(url, logger, options, deadlineMs);
    } else {
      throw new StoreError(`"${redactUrl(url)}" is not supported (use sqlite://path or postgres://user@host/db)`);
    }
  } catch (error) {
    throw namingSetting(error, { setting, url, ...(file ? { sqliteFile: file } : {}) });
  }
  try {
    await migrate(database, options.schemaVersion);
  } catch (error) {
    await database.close().catch(() => undefined);
    throw namingSetting(error, { setting, url, ...(database.kind === 'sqlite' && file ? { sqliteFile: file } : {}) });
  }
  return database;
}
