/**
 * A consistent copy of a SQLite store, also while bots write to it: SQLite's online backup API
 * copies every page inside one read transaction, so the copy is the database as it was at one
 * commit (WAL mode: the bot's writes go on meanwhile; a page copy that a write interrupted
 * starts over). PostgreSQL has pg_dump for this.
 */
import { existsSync, renameSync, rmSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { StoreError, errorCode, errorMessage } from './errors.ts';

/** How long opening the store waits for a bot's lock on it. */
const BUSY_TIMEOUT_MS = 10_000;
/** Pages per backup step: all of them, so the whole copy is one read transaction. */
const ALL_PAGES = 0x7fffffff;

export interface BackupResult {
  file: string;
  bytes: number;
  /** The newest migration in the copy. */
  schemaVersion: number;
}

/**
 * Copies the SQLite file `source` to `destination` (replaced if it exists, and only once the copy
 * is complete and passes `PRAGMA integrity_check`). The copy is one self-contained file (rollback
 * journal, not WAL), ready to be put in place of the store.
 */
export async function backupSqlite(source: string, destination: string): Promise<BackupResult> {
  const file = resolve(destination);
  if (file === resolve(source)) throw new StoreError(`the backup file ${file} is the database itself`);
  if (!existsSync(dirname(file))) throw new StoreError(`the folder ${dirname(file)} does not exist`);
  if (existsSync(file) && statSync(file).isDirectory()) throw new StoreError(`${file} is a folder: name the backup file`);
  if (!existsSync(source)) throw new StoreError(`no database at ${source} (has the bot started with this DATABASE_URL?)`, { database: source });
  const partial = `${file}.${process.pid}.partial`;
  const db = openFile(source);
  try {
    schemaVersion(db, source);
    await db.backup(partial, { progress: () => ALL_PAGES });
  } catch (error) {
    rmSync(partial, { force: true });
    throw error instanceof StoreError ? error : new StoreError(`cannot back up ${source}: ${errorMessage(error)}`, { database: source, code: errorCode(error) }, { cause: error });
  } finally {
    db.close();
  }
  try {
    const version = checkCopy(partial);
    renameSync(partial, file);
    return { file, bytes: statSync(file).size, schemaVersion: version };
  } finally {
    for (const leftover of [partial, `${partial}-wal`, `${partial}-shm`, `${partial}-journal`]) rmSync(leftover, { force: true });
  }
}

/** Checks the finished copy and makes it one file (its journal mode DELETE); returns its schema version. */
function checkCopy(file: string): number {
  const copy = openFile(file);
  try {
    const check = copy.pragma('integrity_check', { simple: true });
    if (check !== 'ok') throw new StoreError(`the copy fails PRAGMA integrity_check: ${String(check)}`);
    copy.pragma('journal_mode = DELETE');
    return schemaVersion(copy, file);
  } finally {
    copy.close();
  }
}

function openFile(file: string): BetterSqlite3.Database {
  try {
    return new BetterSqlite3(file, { fileMustExist: true, timeout: BUSY_TIMEOUT_MS });
  } catch (error) {
    throw new StoreError(`cannot open the SQLite database ${file}: ${errorMessage(error)}`, { database: file, code: errorCode(error) }, { cause: error });
  }
}

/** The store's newest migration; a file without the migrations table is not the bot's store. */
function schemaVersion(db: BetterSqlite3.Database, file: string): number {
  let row: { version: number | null } | undefined;
  try {
    row = db.prepare('SELECT max(version) AS version FROM schema_migrations').get() as { version: number | null } | undefined;
  } catch (error) {
    throw new StoreError(`${file} is not the bot's database (${errorMessage(error)})`, { database: file, code: errorCode(error) }, { cause: error });
  }
  if (row?.version == null) throw new StoreError(`${file} is not the bot's database (no migrations applied)`, { database: file });
  return row.version;
}
