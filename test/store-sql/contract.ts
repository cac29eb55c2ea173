/**
 * The SQL store's contract, written once and run on every engine (sqlite.test.ts,
 * postgres.test.ts): each engine gives fresh, empty databases; every test opens its own.
 */
import { concurrencyContract } from './contract-concurrency.ts';
import { databaseContract } from './contract-database.ts';
import { keyvContract } from './contract-keyv.ts';
import { leaseContract } from './contract-lease.ts';
import { malformedContract } from './contract-malformed.ts';
import { migrationContract } from './contract-migrations.ts';
import { newsContract } from './contract-news.ts';
import { outboxContract } from './contract-outbox.ts';
import { publishContract } from './contract-publish.ts';
import { quoteCandidatesContract } from './contract-quote-candidates.ts';
import { settingsContract } from './contract-settings.ts';
import type { Engine } from './fixtures.ts';

export function storeContract(engine: () => Engine): void {
  databaseContract(engine);
  newsContract(engine);
  outboxContract(engine);
  publishContract(engine);
  quoteCandidatesContract(engine);
  settingsContract(engine);
  keyvContract(engine);
  leaseContract(engine);
  malformedContract(engine);
  migrationContract(engine);
  concurrencyContract(engine);
}
