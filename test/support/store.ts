import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type Keyv from 'keyv';
import { silentLogger } from '../../src/log.ts';
import { openKeyv } from '../../src/store/open.ts';
import { NewsStore } from '../../src/store/news-store.ts';


/** A real SQLite file in a fresh temporary folder; `reopen` simulates a restart. */
export async function tempSqliteStore(): Promise<{ store: NewsStore; keyv: Keyv; url: string; reopen(): Promise<NewsStore>; cleanup(): Promise<void> }> {
  const dir = mkdtempSync(join(tmpdir(), 'alita-store-'));
  const url = `sqlite://${join(dir, 'test.sqlite')}`;
  const opened: Keyv[] = [];
  const open = async () => {
    const keyv = await openKeyv(url, silentLogger);
    opened.push(keyv);
    return keyv;
  };
  const keyv = await open();
  return {
    store: new NewsStore(keyv),
    keyv,
    url,
    reopen: async () => {
      await opened.at(-1)?.disconnect();
      return new NewsStore(await open());
    },
    cleanup: async () => {
      for (const k of opened) await k.disconnect().catch(() => undefined);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
