/**
 * A Keyv 5 storage adapter over the `keyv` table, so data that is fine as key/value (the known
 * quotes) lives in the same database as everything else: one file, or one server, to back up.
 * Keyv hands us `namespace:key` and its own serialised `{ value, expires }` text; we store that.
 */
import { EventEmitter } from 'node:events';
import { sql } from 'kysely';
import type { Database, DatabaseLogger } from './database.ts';
import { chunks, RowReader } from './rows.ts';
import { z } from 'zod';

/** Keyv's envelope: anything JSON with an optional numeric expiry. */
const envelope = z.object({ expires: z.number().nullish() }).loose();
/** Keys read per page while iterating, so a big namespace is never held in memory at once. */
const PAGE = 200;

export class KeyvSqlStore extends EventEmitter {
  /** Keyv enables its iterator() for stores whose `opts.dialect` it knows. */
  readonly opts: { dialect: 'sqlite' | 'postgres' };
  /** Set by Keyv to its namespace: clear() and iterator() are limited to it. */
  namespace?: string | undefined;
  private readonly reader: RowReader;

  constructor(
    private readonly database: Database,
    logger: DatabaseLogger,
  ) {
    super();
    this.opts = { dialect: database.kind };
    this.reader = new RowReader(logger);
  }

  /** Malformed text (not Keyv's JSON envelope) reads as missing, reported once: Keyv would throw on it. */
  private valid(key: string, value: string): string | undefined {
    return this.reader.json('keyv', key, value, envelope) ? value : undefined;
  }

  async get(key: string): Promise<string | undefined> {
    const row = await this.database.db.selectFrom('keyv').select('value').where('key', '=', key).executeTakeFirst();
    return row ? this.valid(key, row.value) : undefined;
  }

  async getMany(keys: string[]): Promise<Array<string | undefined>> {
    const found = new Map<string, string>();
    for (const part of chunks([...new Set(keys)])) {
      for (const row of await this.database.db.selectFrom('keyv').select(['key', 'value']).where('key', 'in', part).execute()) found.set(row.key, row.value);
    }
    return keys.map((key) => {
      const value = found.get(key);
      return value === undefined ? undefined : this.valid(key, value);
    });
  }

  async set(key: string, value: string): Promise<boolean> {
    await this.setMany([{ key, value }]);
    return true;
  }

  async setMany(entries: Array<{ key: string; value: string }>): Promise<boolean[]> {
    // The last value of a key given twice wins (PostgreSQL refuses one upsert touching a row twice).
    const rows = [...new Map(entries.map((e) => [e.key, { key: e.key, value: String(e.value) }])).values()];
    await this.database.transaction(async (trx) => {
      for (const part of chunks(rows, 2)) {
        await trx
          .insertInto('keyv')
          .values(part)
          .onConflict((oc) => oc.column('key').doUpdateSet((eb) => ({ value: eb.ref('excluded.value') })))
          .execute();
      }
    });
    return entries.map(() => true);
  }

  async delete(key: string): Promise<boolean> {
    const result = await this.database.db.deleteFrom('keyv').where('key', '=', key).executeTakeFirst();
    return Number(result.numDeletedRows) > 0;
  }

  async deleteMany(keys: string[]): Promise<boolean> {
    let deleted = 0;
    for (const part of chunks([...new Set(keys)])) {
      const result = await this.database.db.deleteFrom('keyv').where('key', 'in', part).executeTakeFirst();
      deleted += Number(result.numDeletedRows);
    }
    return deleted > 0;
  }

  async has(key: string): Promise<boolean> {
    return (await this.get(key)) !== undefined;
  }

  async hasMany(keys: string[]): Promise<boolean[]> {
    return (await this.getMany(keys)).map((value) => value !== undefined);
  }

  /** Only this namespace's keys (every key when there is no namespace). */
  async clear(): Promise<void> {
    let query = this.database.db.deleteFrom('keyv');
    if (this.namespace) query = query.where(startsWith(`${this.namespace}:`));
    await query.execute();
  }

  /** Keyv's iterator(): `[key, raw value]` of one namespace, in pages ordered by key. */
  async *iterator(namespace?: string): AsyncGenerator<[string, string], void> {
    const prefix = namespace ? `${namespace}:` : '';
    let after: string | undefined;
    for (;;) {
      let query = this.database.db.selectFrom('keyv').select(['key', 'value']).where(startsWith(prefix)).orderBy('key').limit(PAGE);
      if (after !== undefined) query = query.where('key', '>', after);
      const rows = await query.execute();
      for (const row of rows) {
        const value = this.valid(row.key, row.value);
        if (value !== undefined) yield [row.key, value];
      }
      if (rows.length < PAGE) return;
      after = rows.at(-1)!.key;
    }
  }

  /** Keys (as Keyv names them, without the namespace) that start with `prefix` in this namespace. */
  async keys(prefix = ''): Promise<string[]> {
    const namespaced = this.namespace ? `${this.namespace}:` : '';
    const rows = await this.database.db.selectFrom('keyv').select('key').where(startsWith(namespaced + prefix)).orderBy('key').execute();
    return rows.map((row) => row.key.slice(namespaced.length));
  }

  /** The database is shared and closed by its owner (openStores' close()). */
  async disconnect(): Promise<void> {}
}

/** `key` starts with `prefix`, without LIKE's wildcards and escapes (a prefix may hold '%' or '_'). */
function startsWith(prefix: string) {
  return sql<boolean>`substr(key, 1, ${prefix.length}) = ${prefix}`;
}
