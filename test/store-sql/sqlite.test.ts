/** The SQL store on SQLite: the shared contract, then what only SQLite has (busy files, paths). */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { sql } from 'kysely';
import { afterAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/store/sql/database.ts';
import { StoreError } from '../../src/store/sql/errors.ts';
import { openStores } from '../../src/store/sql/index.ts';
import { storeContract } from './contract.ts';
import { entry, recordingLogger } from './fixtures.ts';

const dir = mkdtempSync(join(tmpdir(), 'alita-sql-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let n = 0;
const fileFor = (label: string) => join(dir, `${label}-${++n}`, 'bot.sqlite');

describe('SQL store on SQLite', () => {
  storeContract(() => ({ kind: 'sqlite', freshUrl: async (label = 'db') => `sqlite://${fileFor(label)}` }));

  describe('SQLite only', () => {
    const log = recordingLogger();

    /** Another connection (as another process would) takes the write lock and keeps it until released. */
    async function lockedBySomeoneElse(file: string): Promise<() => void> {
      const other = new BetterSqlite3(file, { timeout: 10_000 });
      other.exec('BEGIN EXCLUSIVE');
      return () => {
        other.exec('ROLLBACK');
        other.close();
      };
    }

    it('waits out another writer without freezing the event loop, then writes', async () => {
      const file = fileFor('busy');
      const stores = await openStores(`sqlite://${file}`, log);
      const release = await lockedBySomeoneElse(file);
      const settled: string[] = [];
      const statement = stores.news.setFeedState('https://a', { initialized: true }).then(() => settled.push('statement'));
      const transaction = stores.outbox.enqueue([entry('c1', 'i1')], new Date()).then(() => settled.push('transaction'));
      // Timers still fire while both wait (the lock is held, so neither can have finished).
      await new Promise((resolve) => setTimeout(resolve, 200));
      expect(settled).toEqual([]);
      // Readers are not held up by a writer (WAL).
      expect(await stores.outbox.pending()).toEqual([]);
      release();
      await Promise.all([statement, transaction]);
      expect(await stores.news.getFeedState('https://a')).toEqual({ initialized: true });
      expect(await stores.outbox.pending()).toHaveLength(1);
      await stores.close();
    });

    it('fails with a StoreError when the file stays locked past the deadline', async () => {
      const file = fileFor('stuck');
      const stores = await openStores(`sqlite://${file}`, log, { busyDeadlineMs: 300 });
      const release = await lockedBySomeoneElse(file);
      try {
        await expect(stores.news.setFeedState('https://a', {})).rejects.toBeInstanceOf(StoreError);
        await expect(stores.outbox.enqueue([entry('c1', 'i1')], new Date())).rejects.toThrow(/SQLite transaction: the database stayed busy/);
      } finally {
        release();
        await stores.close();
      }
    });

    it('refuses a query on database.db inside a transaction (it would wait for itself forever)', async () => {
      const database = await openDatabase(`sqlite://${fileFor('self')}`, log);
      const misuse = database.transaction(async () => database.db.selectFrom('status').selectAll().execute());
      await expect(misuse).rejects.toThrow(/use the transaction's trx/);
      // Work started by an earlier transaction does not count as inside a later one.
      await database.transaction(async (trx) => trx.insertInto('status').values({ key: 'k', value: '1' }).execute());
      expect(await database.db.selectFrom('status').select('key').execute()).toEqual([{ key: 'k' }]);
      await database.close();
    });

    it('still refuses it in a transaction that waited for another one to end', async () => {
      const database = await openDatabase(`sqlite://${fileFor('self-queued')}`, log);
      let letGo: () => void = () => undefined;
      const held = new Promise<void>((resolve) => (letGo = resolve));
      const first = database.transaction(async (trx) => {
        await held;
        return trx.insertInto('status').values({ key: 'first', value: '1' }).execute();
      });
      // Queued behind the first: it goes on once the first has ended, and the timer lets everything
      // the first's end set off run before it queries.
      const misuse = database.transaction(async () => {
        await new Promise((resolve) => setTimeout(resolve, 1));
        return database.db.selectFrom('status').selectAll().execute();
      });
      letGo();
      await first;
      await expect(misuse).rejects.toThrow(/use the transaction's trx/);
      expect(await database.db.selectFrom('status').select('key').execute()).toEqual([{ key: 'first' }]);
      await database.close();
    });

    it('opens a path relative to the working folder, creating its folders, in WAL mode', async () => {
      const file = join(dir, 'nested', 'deeper', 'bot.sqlite');
      const database = await openDatabase(`sqlite://${relative(process.cwd(), file)}`, log);
      expect(existsSync(file)).toBe(true);
      const mode = await sql<{ journal_mode: string }>`pragma journal_mode`.execute(database.db);
      expect(mode.rows[0]?.journal_mode).toBe('wal');
      await database.close();
    });

    it('opens an in-memory database for tests', async () => {
      const stores = await openStores('sqlite://:memory:', log);
      await stores.settings.setLastPoll({ at: 't', feeds: 1, failed: 0, announced: 0 });
      expect(await stores.settings.lastPoll()).toMatchObject({ feeds: 1 });
      await stores.close();
    });

    it('names the setting and says in plain words what is wrong with a file it cannot open', async () => {
      const base = join(dir, `unopenable-${++n}`);
      mkdirSync(base);
      const notAFolder = join(base, 'passwd');
      writeFileSync(notAFolder, 'root:x:0:0:root:/root:/bin/bash\n');
      const reason = (url: string, setting?: string) => openDatabase(url, log, setting ? { setting } : {}).then(() => 'opened', (e: unknown) => e);

      const below = await reason(`sqlite://${notAFolder}/x.sqlite`);
      expect(below).toBeInstanceOf(StoreError);
      expect((below as Error).message).toBe(`DATABASE_URL: ${notAFolder} is a file, not a folder, so the SQLite file ${notAFolder}/x.sqlite cannot be created in it`);
      // Whichever name the URL was given under is the one named.
      expect(((await reason(`sqlite://${notAFolder}`, 'KEYV_URL')) as Error).message).toBe(
        `KEYV_URL: ${notAFolder} is not a SQLite database (it is some other kind of file): point the setting at the bot's database or at a new file`,
      );
      expect(((await reason(`sqlite://${base}`)) as Error).message).toBe(`DATABASE_URL: ${base} is a folder, not a file: name a file in it, e.g. sqlite://${base}/alita-army.sqlite`);
      // The file was left as it was.
      expect(readFileSync(notAFolder, 'utf8')).toBe('root:x:0:0:root:/root:/bin/bash\n');
    });

    it('refuses an unknown URL without repeating its password', async () => {
      const opening = openDatabase('mysql://bot:hunter22@db.example/alita', log);
      await expect(opening).rejects.toBeInstanceOf(StoreError);
      await expect(opening).rejects.toThrow('DATABASE_URL: "mysql://bot@db.example/alita" is not supported');
      await expect(openDatabase('sqlite://', log)).rejects.toThrow('names no file');
    });
  });
});
