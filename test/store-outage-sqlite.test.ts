// SQLite locked for a while under a running bot: another connection holds an exclusive lock
// (BEGIN EXCLUSIVE) for longer than the bot's busy timeout (5 s), then lets go.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sqlite3 from 'sqlite3';
import { afterAll, describe } from 'vitest';
import { sqlitePath } from '../src/store/open.ts';
import { storeOutageScenarios } from './store-outage.shared.ts';

const dir = mkdtempSync(join(tmpdir(), 'alita-outage-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const run = (db: sqlite3.Database, sql: string) => new Promise<void>((resolve, reject) => db.exec(sql, (error) => (error ? reject(error) : resolve())));

/** Open locks by file: the other connection holding each. */
const locks = new Map<string, sqlite3.Database>();

describe('store outage: SQLite locked', () => {
  let n = 0;
  storeOutageScenarios(() => ({
    freshUrl: () => `sqlite://${join(dir, `bot-${++n}.sqlite`)}`,
    async begin(url) {
      const file = sqlitePath(url);
      const db = new sqlite3.Database(file);
      // Waits for a write of the bot's in flight, then shuts every other writer out.
      db.configure('busyTimeout', 10_000);
      await run(db, 'BEGIN EXCLUSIVE');
      locks.set(file, db);
    },
    async end(url) {
      const file = sqlitePath(url);
      const db = locks.get(file);
      if (!db) return;
      locks.delete(file);
      await run(db, 'ROLLBACK');
      await new Promise<void>((resolve, reject) => db.close((error) => (error ? reject(error) : resolve())));
    },
    failure: /SQLITE_BUSY/,
    // WAL mode: an exclusive lock holds writers back; readers go on and /latest keeps answering.
    readsFail: false,
  }));
});
