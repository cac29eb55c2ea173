// SQLite locked for a while under a running bot: another connection holds BEGIN EXCLUSIVE for
// longer than the bot's busy deadline, then lets go. In WAL mode readers go on; writers wait out
// the deadline and fail with SQLITE_BUSY.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { afterAll, describe } from 'vitest';
import { sqliteFile } from '../src/store/sql/database.ts';
import { storeOutageScenarios } from './store-outage.shared.ts';

const dir = mkdtempSync(join(tmpdir(), 'alita-outage-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Open locks by file: the other connection holding each. */
const locks = new Map<string, BetterSqlite3.Database>();
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('store outage: SQLite locked', () => {
  let n = 0;
  storeOutageScenarios(() => ({
    freshUrl: async () => `sqlite://${join(dir, `bot-${++n}.sqlite`)}`,
    async begin(url) {
      const file = sqliteFile(url);
      // No busy timeout: better-sqlite3 would wait synchronously, freezing the bot it waits for
      // (same process). A write of the bot's in flight is waited out here, asynchronously.
      const db = new BetterSqlite3(file, { timeout: 0 });
      for (;;) {
        try {
          db.exec('BEGIN EXCLUSIVE');
          break;
        } catch (error) {
          if (!/^SQLITE_BUSY/.test((error as { code?: string }).code ?? '')) throw error;
          await sleep(20);
        }
      }
      locks.set(file, db);
    },
    async end(url) {
      const file = sqliteFile(url);
      const db = locks.get(file);
      if (!db) return;
      locks.delete(file);
      db.exec('ROLLBACK');
      db.close();
    },
    failure: /stayed busy|SQLITE_BUSY/,
    // WAL mode: an exclusive lock holds writers back; readers go on and /latest keeps answering.
    readsFail: false,
  }));
});
