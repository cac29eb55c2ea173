// The store contract on SQLite: a fresh file in a temporary folder per test.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type Keyv from 'keyv';
import { describe } from 'vitest';
import { silentLogger } from '../../src/log.ts';
import { openKeyv } from '../../src/store/open.ts';
import { storeContract } from './contract.ts';

describe('store contract: SQLite', () => {
  storeContract(async () => {
    const dir = mkdtempSync(join(tmpdir(), 'alita-contract-'));
    const url = `sqlite://${join(dir, 'store.sqlite')}`;
    const opened: Keyv[] = [];
    return {
      async open(namespace = 'alita') {
        const keyv = await openKeyv(url, silentLogger, namespace);
        opened.push(keyv);
        return keyv;
      },
      async cleanup() {
        // A test may already have closed one (reopen); closing twice is not the point here.
        for (const keyv of opened) await keyv.disconnect().catch(() => undefined);
        rmSync(dir, { recursive: true, force: true });
      },
    };
  });
});
