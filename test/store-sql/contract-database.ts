/** Database.transaction on any engine: commit, rollback, and a retry from the start on a passing conflict. */
import { describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/store/sql/database.ts';
import { StoreError } from '../../src/store/sql/errors.ts';
import { freshStores, type Engine } from './fixtures.ts';

/** The error each engine's driver raises for "another writer got in the way; run it again". */
const conflict = (engine: Engine) => Object.assign(new Error('conflict'), { code: engine.kind === 'sqlite' ? 'SQLITE_BUSY' : '40001' });

export function databaseContract(engine: () => Engine): void {
  describe('database', () => {
    const current = freshStores(engine);

    it('rolls a transaction back when its work throws', async () => {
      const { database } = current().stores;
      await expect(database.transaction(async (trx) => {
        await trx.insertInto('status').values({ key: 'k', value: '1' }).execute();
        throw new Error('changed my mind');
      })).rejects.toThrow('changed my mind');
      expect(await database.db.selectFrom('status').selectAll().execute()).toEqual([]);
    });

    it('runs a transaction again from the start after a busy/serialization failure', async () => {
      const { database } = current().stores;
      let attempts = 0;
      const result = await database.transaction(async (trx) => {
        attempts++;
        await trx.insertInto('status').values({ key: 'k', value: String(attempts) }).execute();
        if (attempts < 3) throw conflict(engine());
        return 'done';
      });
      expect([result, attempts]).toEqual(['done', 3]);
      expect(await database.db.selectFrom('status').selectAll().execute()).toEqual([{ key: 'k', value: '3' }]);
    });

    it('gives up with a StoreError once the conflict outlasts the deadline', async () => {
      const { url, log } = current();
      const database = await openDatabase(url, log, { busyDeadlineMs: 200 });
      try {
        const failing = database.transaction(async () => {
          throw conflict(engine());
        });
        await expect(failing).rejects.toBeInstanceOf(StoreError);
        await expect(failing).rejects.toThrow(/stayed busy/);
      } finally {
        await database.close();
      }
    });
  });
}
