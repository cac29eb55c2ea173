/** Everything the bot keeps, on one SQL database: open it once, hand the stores out, close it once. */
import Keyv from 'keyv';
import { openDatabase, type Database, type DatabaseLogger, type OpenOptions } from './database.ts';
import { KeyvSqlStore } from './keyv-store.ts';
import { sqlLeaseBackend, type LeaseBackend } from './lease.ts';
import { NewsStore } from './news.ts';
import { Outbox } from './outbox.ts';
import { QuoteCandidates } from './quote-candidates.ts';
import { QUOTES_NAMESPACE, QuoteStore } from './quotes.ts';
import { SettingsStore } from './settings.ts';

export { openDatabase, type Database, type DatabaseLogger, type OpenOptions } from './database.ts';
export { SchemaTooNewError, StoreError } from './errors.ts';
export { KeyvSqlStore } from './keyv-store.ts';
export { sqlLeaseBackend, type LeaseBackend } from './lease.ts';
export { SCHEMA_VERSION } from './migrations.ts';
export * from './news.ts';
export * from './outbox.ts';
export * from './quotes.ts';
export * from './quote-candidates.ts';
export * from './settings.ts';
export type { FeedState } from './types.ts';

export interface Stores {
  database: Database;
  news: NewsStore;
  outbox: Outbox;
  settings: SettingsStore;
  quotes: QuoteStore;
  /** Quotations found in announced stories, waiting for each server's review. */
  candidates: QuoteCandidates;
  /** The quotes' Keyv (namespace 'quotes') over the same database. */
  keyv: Keyv;
  lease: LeaseBackend;
  close(): Promise<void>;
}

export async function openStores(url: string, logger: DatabaseLogger, options: OpenOptions = {}): Promise<Stores> {
  const database = await openDatabase(url, logger, options);
  // Errors reach the caller (throwOnErrors): an unreadable store must never look empty.
  const keyv = new Keyv({ store: new KeyvSqlStore(database, logger), namespace: QUOTES_NAMESPACE, throwOnErrors: true });
  return {
    database,
    news: new NewsStore(database, logger),
    outbox: new Outbox(database, logger),
    settings: new SettingsStore(database, logger),
    quotes: new QuoteStore(keyv, logger),
    candidates: new QuoteCandidates(database, logger),
    keyv,
    lease: sqlLeaseBackend(database),
    close: () => database.close(),
  };
}
