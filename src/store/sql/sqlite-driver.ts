/**
 * A Kysely driver for one better-sqlite3 handle that never makes the process wait in line
 * behind a locked file:
 * - a transaction holds this handle from BEGIN to COMMIT/ROLLBACK (nothing else may run inside
 *   it) and starts with BEGIN IMMEDIATE: a deferred one that reads and then writes fails at once
 *   (SQLITE_BUSY, no waiting possible) when another process wrote in between;
 * - a statement outside a transaction holds the handle only for its one synchronous attempt. If
 *   the file is locked (another process writes), it sleeps asynchronously and tries again
 *   (retry.ts) while this process's other queries, reads above all, go on.
 * BEGIN itself is not retried here: Database.transaction retries the whole transaction.
 * (Kysely's own SqliteDriver keeps one mutex for every query, so one waiting write would hold
 * up every read of the bot.)
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import type BetterSqlite3 from 'better-sqlite3';
import { CompiledQuery, SqliteAdapter, SqliteIntrospector, SqliteQueryCompiler, type DatabaseConnection, type Dialect, type Driver, type Kysely, type QueryResult } from 'kysely';
import { isSqliteBusy, StoreError } from './errors.ts';
import { retrying } from './retry.ts';

/** First come, first served; `lock()` resolves with the function that releases it. */
class Mutex {
  private tail: Promise<void> = Promise.resolve();

  lock(): Promise<() => void> {
    let release: () => void = () => undefined;
    const held = new Promise<void>((resolve) => (release = resolve));
    const before = this.tail;
    this.tail = before.then(() => held);
    return before.then(() => release);
  }
}

/**
 * Prepared statements by SQL text, per database handle. The bot runs the same few shapes of
 * statement thousands of times a cycle (a record step is a dozen of them per feed), and preparing
 * one costs about as much as running it. Bounded: the oldest is dropped past the limit.
 */
const STATEMENT_CACHE_LIMIT = 200;
const statements = new WeakMap<BetterSqlite3.Database, Map<string, BetterSqlite3.Statement>>();

function prepared(raw: BetterSqlite3.Database, sql: string): BetterSqlite3.Statement {
  let cache = statements.get(raw);
  if (!cache) statements.set(raw, (cache = new Map()));
  let statement = cache.get(sql);
  if (statement) return statement;
  statement = raw.prepare(sql);
  if (cache.size >= STATEMENT_CACHE_LIMIT) cache.delete(cache.keys().next().value!);
  cache.set(sql, statement);
  return statement;
}

function run<R>(raw: BetterSqlite3.Database, query: CompiledQuery): QueryResult<R> {
  const statement = prepared(raw, query.sql);
  const parameters = query.parameters as unknown[];
  if (statement.reader) return { rows: statement.all(parameters) as R[] };
  const { changes, lastInsertRowid } = statement.run(parameters);
  return { rows: [], numAffectedRows: BigInt(changes), insertId: BigInt(lastInsertRowid) };
}

/** One per acquisition, so the driver knows which one owns the open transaction. */
class Connection implements DatabaseConnection {
  constructor(private readonly driver: RetryingSqliteDriver) {}

  async executeQuery<R>(query: CompiledQuery): Promise<QueryResult<R>> {
    const { raw, mutex } = this.driver;
    if (this.driver.transactionOf === this) return run<R>(raw, query);
    if (this.driver.transactionOf && this.driver.insideOpenTransaction()) {
      // It would wait for the lock its own transaction holds: forever.
      throw new StoreError('a query on database.db inside database.transaction() would wait for itself: use the transaction\'s trx');
    }
    const attempt = async () => {
      const release = await mutex.lock();
      try {
        return run<R>(raw, query);
      } finally {
        release();
      }
    };
    return retrying(attempt, isSqliteBusy, { deadlineMs: this.driver.deadlineMs, what: 'SQLite statement' });
  }

  async *streamQuery<R>(): AsyncIterableIterator<QueryResult<R>> {
    throw new Error('streaming is not supported by this store');
  }
}

/**
 * Which transaction the running code belongs to (see RetryingSqliteDriver.inTransaction), kept
 * only while a transaction is under way. On Node 20 and 22 an AsyncLocalStorage in use puts a
 * hook on every promise the process makes (undici's, Kysely's, the bot's), which was some 4 % of
 * the main thread's time in a cold poll; the record step holds a transaction for a small part
 * of it. Outside one, no code can be inside one, so nothing is lost by not knowing.
 */
class TransactionScope {
  private readonly storage = new AsyncLocalStorage<object>();
  private running = 0;

  run<T>(token: object, work: () => Promise<T>): Promise<T> {
    this.running++;
    let done: Promise<T>;
    try {
      done = this.storage.run(token, work);
    } catch (error) {
      this.ended();
      throw error;
    }
    return done.finally(() => this.ended());
  }

  /** Undefined once the storage is off: no transaction is under way then. */
  current(): object | undefined {
    return this.storage.getStore();
  }

  private ended(): void {
    // The last one out turns the storage off, and with it the promise hook (run turns it on again).
    if (--this.running === 0) this.storage.disable();
  }
}

const scope = new TransactionScope();

export class RetryingSqliteDriver implements Driver {
  readonly mutex = new Mutex();
  transactionOf: Connection | undefined;
  private release: (() => void) | undefined;
  /** The open transaction's token; code started by its work carries the same one. */
  private token: object | undefined;

  /** Runs a transaction's `execute` so queries made from inside it can be recognised. */
  inTransaction<T>(execute: (enter: () => void) => Promise<T>): Promise<T> {
    const token = {};
    return scope.run(token, () => execute(() => (this.token = token)));
  }

  insideOpenTransaction(): boolean {
    return this.token !== undefined && scope.current() === this.token;
  }

  constructor(
    readonly raw: BetterSqlite3.Database,
    readonly deadlineMs: number,
  ) {}

  async init(): Promise<void> {}

  async acquireConnection(): Promise<DatabaseConnection> {
    return new Connection(this);
  }

  async beginTransaction(connection: DatabaseConnection): Promise<void> {
    this.release = await this.mutex.lock();
    this.transactionOf = connection as Connection;
    try {
      run(this.raw, CompiledQuery.raw('begin immediate'));
    } catch (error) {
      // Kysely does not roll back a transaction that never began: let go here.
      this.end();
      throw error;
    }
  }

  async commitTransaction(): Promise<void> {
    run(this.raw, CompiledQuery.raw('commit'));
    this.end();
  }

  async rollbackTransaction(): Promise<void> {
    try {
      // A failed COMMIT may already have ended it.
      if (this.raw.inTransaction) run(this.raw, CompiledQuery.raw('rollback'));
    } finally {
      this.end();
    }
  }

  private end(): void {
    this.transactionOf = undefined;
    this.token = undefined;
    const release = this.release;
    this.release = undefined;
    release?.();
  }

  async releaseConnection(): Promise<void> {}

  async destroy(): Promise<void> {
    // Waits for a transaction in flight to end.
    const release = await this.mutex.lock();
    if (this.raw.open) this.raw.close();
    release();
  }
}

/** The dialect for one better-sqlite3 handle, set up by the caller (pragmas, short busy timeout). */
export class RetryingSqliteDialect implements Dialect {
  readonly driver: RetryingSqliteDriver;

  constructor(raw: BetterSqlite3.Database, deadlineMs: number) {
    this.driver = new RetryingSqliteDriver(raw, deadlineMs);
  }

  createDriver(): Driver {
    return this.driver;
  }

  createQueryCompiler() {
    return new SqliteQueryCompiler();
  }

  createAdapter() {
    return new SqliteAdapter();
  }

  createIntrospector(db: Kysely<any>) {
    return new SqliteIntrospector(db);
  }
}
