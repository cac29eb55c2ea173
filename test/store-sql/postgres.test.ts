/** The SQL store on PostgreSQL: the shared contract (test/support/postgres.ts gives the server), then connection errors. */
import { createServer, type AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/store/sql/database.ts';
import { StoreError } from '../../src/store/sql/errors.ts';
import { describeWithPostgres } from '../support/postgres.ts';
import { storeContract } from './contract.ts';
import { recordingLogger } from './fixtures.ts';

describeWithPostgres('SQL store on PostgreSQL', (pg) => {
  storeContract(() => ({ kind: 'postgres', freshUrl: async (label = 'db') => (await pg().freshDatabase(label)).url }));
});

// Needs no server: nothing listens on the port.
describe('PostgreSQL that does not answer', () => {
  it('fails at start with a StoreError naming the address, never the password', async () => {
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
    const { port } = server.address() as AddressInfo;
    await new Promise<void>((resolve) => server.close(() => resolve()));
    const log = recordingLogger();
    const opening = openDatabase(`postgres://bot:s3cret-pw@127.0.0.1:${port}/alita`, log);
    await expect(opening).rejects.toBeInstanceOf(StoreError);
    const error = (await opening.catch((e: unknown) => e)) as StoreError;
    expect(error.message).toContain(`cannot reach PostgreSQL at postgres://bot@127.0.0.1:${port}/alita (`);
    expect(error.message).toMatch(/ECONNREFUSED/);
    expect(`${error.message} ${JSON.stringify(error.context)} ${JSON.stringify([...log.warnings, ...log.errors])}`).not.toContain('s3cret');
  });
});
