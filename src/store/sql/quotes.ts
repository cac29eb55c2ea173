/**
 * Known quotes in Keyv (namespace 'quotes'), one key per quote, `<scope>:<id>`: scope 'bundled'
 * for everyone's (seeded from data/quotes.json) or a guild id for a server's own. Never a list
 * under one key, so two moderators adding at once cannot overwrite each other's quote.
 */
import type Keyv from 'keyv';
import type { DatabaseLogger } from './database.ts';
import { KeyvSqlStore } from './keyv-store.ts';
import { RowReader } from './rows.ts';
import { quoteSchema, type Quote } from './types.ts';

export type { Quote };

export const QUOTES_NAMESPACE = 'quotes';
export const BUNDLED = 'bundled';
/** A removed bundled quote leaves this marker, so seeding never brings it back. */
const REMOVED = 'removed';

const keyOf = (scope: string, id: string) => `${scope}:${id}`;

export class QuoteStore {
  private readonly reader: RowReader;

  constructor(
    readonly keyv: Keyv,
    logger: DatabaseLogger,
  ) {
    this.reader = new RowReader(logger);
  }

  /** Keys of one scope: one indexed query on the SQL store; any other Keyv store is walked with its iterator. */
  private async keysOf(scope: string): Promise<string[]> {
    const prefix = `${scope}:`;
    const store: unknown = this.keyv.store;
    if (store instanceof KeyvSqlStore) return store.keys(prefix);
    if (!this.keyv.iterator) throw new Error('QuoteStore needs a Keyv store that can list its keys');
    const keys: string[] = [];
    for await (const [key] of this.keyv.iterator(undefined) as AsyncGenerator<[string, unknown]>) if (key.startsWith(prefix)) keys.push(key);
    return keys.sort();
  }

  private async list(scope: string): Promise<Quote[]> {
    const keys = await this.keysOf(scope);
    if (keys.length === 0) return [];
    const values = await this.keyv.getMany<unknown>(keys);
    return values.flatMap((value, i) => {
      if (value === undefined) return [];
      const quote = this.reader.check('keyv', `${QUOTES_NAMESPACE}:${keys[i]}`, value, quoteSchema);
      return quote ? [quote] : [];
    });
  }

  /** Adds the bundled quotes the store has never had; returns how many. Idempotent. */
  async seed(quotes: Quote[]): Promise<number> {
    const unique = [...new Map(quotes.map((q) => [q.id, q])).values()];
    if (unique.length === 0) return 0;
    const present = await this.keyv.getMany(unique.map((q) => keyOf(BUNDLED, q.id)));
    const removed = await this.keyv.getMany(unique.map((q) => keyOf(REMOVED, keyOf(BUNDLED, q.id))));
    const fresh = unique.filter((_, i) => present[i] === undefined && removed[i] === undefined);
    if (fresh.length > 0) await this.keyv.setMany(fresh.map((q) => ({ key: keyOf(BUNDLED, q.id), value: q })));
    return fresh.length;
  }

  /** Everyone's quotes, plus the server's own when `guildId` is given. */
  async forGuild(guildId?: string): Promise<Quote[]> {
    const bundled = await this.list(BUNDLED);
    return guildId ? [...bundled, ...(await this.list(guildId))] : bundled;
  }

  /** How many quotes a server added. */
  async count(guildId: string): Promise<number> {
    return (await this.keysOf(guildId)).length;
  }

  /**
   * Adds (or replaces, same id) a server's quote, unless it already has `limit`. The count and
   * the write are two steps: two adds racing at the limit may both pass (Keyv has no transaction).
   */
  async add(guildId: string, quote: Quote, limit: number): Promise<'added' | 'limit'> {
    const key = keyOf(guildId, quote.id);
    if (!(await this.keyv.has(key)) && (await this.count(guildId)) >= limit) return 'limit';
    await this.keyv.set(key, quote);
    return 'added';
  }

  /** Removes one of the server's own quotes; a bundled quote (or another server's) is not its to remove. */
  async remove(guildId: string, id: string): Promise<Quote | undefined> {
    if (guildId === BUNDLED) return undefined;
    return this.take(guildId, id);
  }

  /** For the operator: removes a bundled quote for everyone, for good (seeding will not restore it). */
  async removeBundled(id: string): Promise<Quote | undefined> {
    await this.keyv.set(keyOf(REMOVED, keyOf(BUNDLED, id)), true);
    return this.take(BUNDLED, id);
  }

  private async take(scope: string, id: string): Promise<Quote | undefined> {
    const key = keyOf(scope, id);
    const value = await this.keyv.get<unknown>(key);
    if (value === undefined) return undefined;
    await this.keyv.delete(key);
    return this.reader.check('keyv', `${QUOTES_NAMESPACE}:${key}`, value, quoteSchema);
  }
}
