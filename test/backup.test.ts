/**
 * `alita-news backup FILE`, the real command, on a real SQLite store that another process keeps
 * writing to (a transaction of ROWS_PER_COMMIT rows every few milliseconds): the copy opens, passes
 * PRAGMA integrity_check, holds every migration and whole transactions only, and the bot can
 * start on it (what a restore does). PostgreSQL is refused with one line pointing to pg_dump.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { silentLogger } from '../src/log.ts';
import { openStores, SCHEMA_VERSION } from '../src/store/sql/index.ts';
import { PROJECT_ROOT, spawnCommand } from './support/spawn.ts';

const BIN = join(PROJECT_ROOT, 'bin/alita-news.js');
const ROWS_PER_COMMIT = 100;
/** Rows in the store before the writer starts: some 2,000 pages to copy. */
const ROWS_BEFORE_BACKUP = 10_000;
const PAD = 'x'.repeat(500);

const dir = mkdtempSync(join(tmpdir(), 'alita-backup-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let writer: ChildProcess | undefined;
afterEach(() => {
  writer?.kill('SIGKILL');
  writer = undefined;
});

/**
 * Another process committing ROWS_PER_COMMIT rows at a time to `file` until killed, pausing 10 ms
 * between commits (writes all through the backup, without taking a whole core of the machine).
 */
function startWriter(file: string): ChildProcess {
  const script = `
    const db = new (require('better-sqlite3'))(process.argv[1], { timeout: 10000 });
    const insert = db.prepare('INSERT INTO writer_rows (pad) VALUES (?)');
    const commit = db.transaction(() => { for (let i = 0; i < ${ROWS_PER_COMMIT}; i++) insert.run('${PAD}'); });
    (function loop() { commit(); setTimeout(loop, 10); })();`;
  return spawn(process.execPath, ['-e', script, file], { cwd: PROJECT_ROOT, stdio: 'ignore' });
}

function rows(file: string): number {
  const db = new BetterSqlite3(file, { readonly: true, timeout: 10_000 });
  try {
    return (db.prepare('SELECT count(*) AS n FROM writer_rows').get() as { n: number }).n;
  } finally {
    db.close();
  }
}

async function until(check: () => boolean, timeoutMs: number, what: string): Promise<void> {
  const started = Date.now();
  while (!check()) {
    if (Date.now() - started > timeoutMs) throw new Error(`not reached within ${timeoutMs} ms: ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

describe('alita-news backup', () => {
  it('copies the SQLite store consistently while another process writes to it', async () => {
    const store = join(dir, 'store.sqlite');
    // The bot's schema, as a start leaves it, plus a table for the writer.
    const stores = await openStores(`sqlite://${store}`, silentLogger);
    await stores.close();
    const setup = new BetterSqlite3(store);
    setup.exec('CREATE TABLE writer_rows (id INTEGER PRIMARY KEY, pad TEXT NOT NULL)');
    const insert = setup.prepare('INSERT INTO writer_rows (pad) VALUES (?)');
    setup.transaction(() => {
      for (let i = 0; i < ROWS_BEFORE_BACKUP; i++) insert.run(PAD);
    })();
    setup.close();
    // The command reads DATABASE_URL from .env in the folder it runs in, a relative path from there.
    writeFileSync(join(dir, '.env'), 'DATABASE_URL=sqlite://store.sqlite\n');

    writer = startWriter(store);
    await until(() => rows(store) > ROWS_BEFORE_BACKUP, 90_000, 'the writer has committed');
    const before = rows(store);
    const backup = spawnCommand(BIN, ['backup', 'copy.sqlite'], { cwd: dir });
    expect(await backup.closed, backup.stderr()).toBe(0);
    const after = rows(store);
    expect(backup.stderr()).toBe('');
    expect(backup.stdout()).toMatch(new RegExp(`^backed up ${store} \\(schema version ${SCHEMA_VERSION}, [\\d.]+ MiB\\) to ${join(dir, 'copy.sqlite')}\\n$`));

    const copy = join(dir, 'copy.sqlite');
    const db = new BetterSqlite3(copy, { readonly: true, fileMustExist: true });
    try {
      expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
      expect(db.pragma('journal_mode', { simple: true })).toBe('delete');
      const versions = db.prepare('SELECT version FROM schema_migrations ORDER BY version').pluck().all();
      expect(versions).toEqual(Array.from({ length: SCHEMA_VERSION }, (_, i) => i + 1));
      const copied = (db.prepare('SELECT count(*) AS n FROM writer_rows').get() as { n: number }).n;
      // Whole transactions only, from one moment between the command's start and its end.
      expect(copied % ROWS_PER_COMMIT).toBe(0);
      expect(copied).toBeGreaterThanOrEqual(before);
      expect(copied).toBeLessThanOrEqual(after);
    } finally {
      db.close();
    }
    expect(after, 'the writer kept writing while the backup ran').toBeGreaterThan(before);
    // Nothing left beside it: no partial file, no -wal or -shm of the copy.
    expect(readdirSync(dir).filter((name) => name.startsWith('copy.'))).toEqual(['copy.sqlite']);

    // A second backup replaces the first.
    const again = spawnCommand(BIN, ['backup', 'copy.sqlite'], { cwd: dir });
    expect(await again.closed, again.stderr()).toBe(0);
    expect(rows(copy)).toBeGreaterThan(0);

    // Restoring is putting the copy in place: the bot opens it with nothing to migrate.
    const restored = await openStores(`sqlite://${copy}`, silentLogger);
    await restored.close();
  });

  it('refuses a PostgreSQL DATABASE_URL with one line naming pg_dump, writing nothing', async () => {
    const run = spawnCommand(BIN, ['backup', 'pg.sqlite'], { cwd: dir, env: { DATABASE_URL: 'postgres://bot:secret@127.0.0.1:1/alita' } });
    expect(await run.closed).toBe(1);
    expect(run.stdout()).toBe('');
    expect(run.stderr()).toMatch(/^backup: DATABASE_URL is a PostgreSQL database: back it up with pg_dump[^\n]*\n$/);
    expect(run.stderr()).not.toContain('secret');
    expect(existsSync(join(dir, 'pg.sqlite'))).toBe(false);
  });

  it('a store that does not exist: one line naming it, exit 1', async () => {
    const run = spawnCommand(BIN, ['backup', 'none-copy.sqlite'], { cwd: dir, env: { DATABASE_URL: 'sqlite://missing.sqlite' } });
    expect(await run.closed).toBe(1);
    expect(run.stderr()).toBe(`backup: no database at ${join(dir, 'missing.sqlite')} (has the bot started with this DATABASE_URL?)\n`);
    expect(existsSync(join(dir, 'none-copy.sqlite'))).toBe(false);
    expect(existsSync(join(dir, 'missing.sqlite'))).toBe(false);
  });

  it('no file given: usage on stderr, exit 2', async () => {
    const run = spawnCommand(BIN, ['backup'], { cwd: dir });
    expect(await run.closed).toBe(2);
    expect(run.stderr()).toMatch(/^usage: alita-news backup <file>/);
  });
});
