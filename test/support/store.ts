import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { silentLogger } from '../../src/log.ts';
import { openStores, type Stores } from '../../src/store/sql/index.ts';

/** A real SQLite file in a fresh temporary folder; `reopen` simulates a restart. */
export async function tempSqliteStore(): Promise<{ stores: Stores; url: string; reopen(): Promise<Stores>; cleanup(): Promise<void> }> {
  const dir = mkdtempSync(join(tmpdir(), 'alita-store-'));
  const url = `sqlite://${join(dir, 'test.sqlite')}`;
  const opened: Stores[] = [];
  const open = async () => {
    const stores = await openStores(url, silentLogger);
    opened.push(stores);
    return stores;
  };
  const stores = await open();
  return {
    stores,
    url,
    reopen: async () => {
      await opened.at(-1)?.close();
      return open();
    },
    cleanup: async () => {
      for (const s of opened) await s.close().catch(() => undefined);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
