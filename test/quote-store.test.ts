import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { QuoteStore, readQuotesFile, type Quote } from '../src/store/quotes.ts';
import { tempSqliteStore } from './support/store.ts';

let temp: Awaited<ReturnType<typeof tempSqliteStore>>;
beforeEach(async () => {
  temp = await tempSqliteStore();
});
afterEach(() => temp.cleanup());

const added: Quote = { id: 'salazar-2024-x', speaker: 'Rosa Salazar', date: '2024', text: 'I would play Alita.', source: { title: 'Interview', url: 'https://example.com/i' } };

describe('quote seeding', () => {
  it('seeds the three quotes of the seed articles, each with speaker, date and source', () => {
    const quotes = readQuotesFile();
    expect(quotes.map((q) => [q.speaker, q.date])).toEqual([
      ['Robert Rodriguez', '2023-10-04'],
      ['James Cameron', '2023-06'],
      ['Robert Rodriguez', '2023-05-12'],
    ]);
    expect(quotes.every((q) => q.source.title && q.context)).toBe(true);
  });

  it('never duplicates, never drops what moderators added, survives a restart', async () => {
    const store = new QuoteStore(temp.keyv);
    expect(await store.seed(readQuotesFile())).toBe(3);
    await store.add(added);
    expect(await store.seed(readQuotesFile())).toBe(0);
    const reopened = new QuoteStore((await temp.reopen()).keyv);
    expect(await reopened.seed(readQuotesFile())).toBe(0);
    expect((await reopened.all()).map((q) => q.id)).toEqual([...readQuotesFile().map((q) => q.id), 'salazar-2024-x']);
  });
});
