/**
 * The PostgreSQL harness itself: store tests rely on every freshDatabase() being empty, private
 * and really gone after drop(), and on outage.stop()/start() behaving like a real outage.
 */
import pg from 'pg';
import { afterEach, expect, it } from 'vitest';
import { adminQuery, describeWithPostgres, type FreshDatabase } from './postgres.ts';

/** A client whose disconnection by the server is reported by its queries, not as an uncaught 'error' event. */
async function connect(url: string): Promise<pg.Client> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 10_000 });
  client.on('error', () => undefined);
  await client.connect();
  return client;
}

async function tables(url: string): Promise<string[]> {
  const { rows } = await adminQuery(url, "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' ORDER BY 1");
  return rows.map((row: { table_name: string }) => row.table_name);
}

describeWithPostgres('postgres harness', (pg) => {
  const made: FreshDatabase[] = [];
  const fresh = async (label?: string) => {
    const db = await pg().freshDatabase(label);
    made.push(db);
    return db;
  };
  afterEach(async () => {
    for (const db of made.splice(0)) await db.drop();
  });

  it('gives an empty database that can be written and read', async () => {
    const db = await fresh('usable');
    expect(await tables(db.url)).toEqual([]);
    const client = await connect(db.url);
    try {
      await client.query('CREATE TABLE notes (id integer PRIMARY KEY, body text NOT NULL)');
      await client.query('INSERT INTO notes VALUES ($1, $2), ($3, $4)', [1, 'Alita', 2, 'Zalem']);
      const { rows } = await client.query('SELECT id, body FROM notes ORDER BY id');
      expect(rows).toEqual([
        { id: 1, body: 'Alita' },
        { id: 2, body: 'Zalem' },
      ]);
      expect((await client.query('SELECT current_database() AS name')).rows[0]).toEqual({ name: db.name });
    } finally {
      await client.end();
    }
  });

  it('gives distinct databases', async () => {
    const a = await fresh('a');
    const b = await fresh('b');
    expect(a.name).not.toBe(b.name);
    expect(a.url).not.toBe(b.url);
    await adminQuery(a.url, 'CREATE TABLE only_in_a (x integer)');
    expect(await tables(a.url)).toEqual(['only_in_a']);
    expect(await tables(b.url)).toEqual([]);
  });

  it('drop() removes the database, even with a connection still open', async () => {
    const db = await pg().freshDatabase('dropped');
    const leftover = await connect(db.url);
    await db.drop();
    const { rows } = await adminQuery(pg().url, `SELECT 1 FROM pg_database WHERE datname = '${db.name}'`);
    expect(rows).toEqual([]);
    await expect(leftover.query('SELECT 1')).rejects.toThrow();
    await expect(adminQuery(db.url, 'SELECT 1')).rejects.toThrow(/does not exist/);
    await db.drop(); // twice is harmless
    await leftover.end().catch(() => undefined);
  });

  it('offers outage control exactly when the server is private', () => {
    if (process.env.TEST_POSTGRES_URL) expect(pg().outage).toBeUndefined();
    else expect(pg().outage).toBeDefined();
  });
});

describeWithPostgres(
  'postgres harness: outage',
  (pg) => {
    it('stop() makes connections fail; start() brings the server back with the data', async () => {
      const outage = pg().outage;
      expect(outage).toBeDefined();
      const db = await pg().freshDatabase('outage');
      await adminQuery(db.url, "CREATE TABLE kept (body text); INSERT INTO kept VALUES ('before the outage')");
      const open = await connect(db.url);

      await outage!.stop();
      await expect(open.query('SELECT 1')).rejects.toThrow();
      await expect(adminQuery(db.url, 'SELECT 1')).rejects.toThrow();
      await open.end().catch(() => undefined);

      await outage!.start();
      const { rows } = await adminQuery(db.url, 'SELECT body FROM kept');
      expect(rows).toEqual([{ body: 'before the outage' }]);
      await db.drop();
    });
  },
  { ownServer: true },
);
