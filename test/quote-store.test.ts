/** The quote store scoped per server: bundled quotes for everyone, each server's own for it alone. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { silentLogger } from '../src/log.ts';
import { openStores, type Stores } from '../src/store/sql/index.ts';
import type { Quote } from '../src/store/sql/quotes.ts';
import { readQuotesFile } from '../src/store/quotes.ts';

let dir: string;
let url: string;
const opened: Stores[] = [];
const open = async () => {
  const stores = await openStores(url, silentLogger);
  opened.push(stores);
  return stores.quotes;
};
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'alita-quotes-'));
  url = `sqlite://${join(dir, 'bot.sqlite')}`;
});
afterEach(async () => {
  for (const stores of opened.splice(0)) await stores.close();
  rmSync(dir, { recursive: true, force: true });
});

const A = '111111111111111111';
const B = '555555555555555555';
const added: Quote = { id: 'salazar-2024-x', speaker: 'Rosa Salazar', date: '2024', text: 'I would play Alita.', source: { title: 'Interview', url: 'https://example.com/i' } };
const bundledIds = () => readQuotesFile().map((q) => q.id).sort();
const ids = (quotes: Quote[]) => quotes.map((q) => q.id).sort();

describe('bundled quotes', () => {
  it('are the three quotes of the seed articles, each with speaker, date and source', () => {
    const quotes = readQuotesFile();
    expect(quotes.map((q) => [q.speaker, q.date])).toEqual([
      ['Robert Rodriguez', '2023-10-04'],
      ['James Cameron', '2023-06'],
      ['Robert Rodriguez', '2023-05-12'],
    ]);
    expect(quotes.every((q) => q.source.title && q.context)).toBe(true);
  });

  it('are seeded once, never duplicated, and leave servers’ quotes alone, across a restart', async () => {
    const store = await open();
    expect(await store.seed(readQuotesFile())).toBe(3);
    expect(await store.add(A, added, 10)).toBe('added');
    expect(await store.seed(readQuotesFile())).toBe(0);
    const reopened = await open();
    expect(await reopened.seed(readQuotesFile())).toBe(0);
    expect(ids(await reopened.forGuild(A))).toEqual([...bundledIds(), added.id].sort());
  });

  it('cannot be removed by a server; the operator’s removal holds across seeding', async () => {
    const store = await open();
    await store.seed(readQuotesFile());
    const [first] = bundledIds();
    expect(await store.remove(A, first!)).toBeUndefined();
    expect(ids(await store.forGuild())).toContain(first);
    expect((await store.removeBundled(first!))?.id).toBe(first);
    expect(await store.seed(readQuotesFile())).toBe(0);
    expect(ids(await store.forGuild())).not.toContain(first);
  });
});

describe("a server's own quotes", () => {
  it('show in that server only, and only it can remove them', async () => {
    const store = await open();
    await store.seed(readQuotesFile());
    await store.add(A, added, 10);
    expect(ids(await store.forGuild(B))).toEqual(bundledIds());
    expect(ids(await store.forGuild())).toEqual(bundledIds());
    expect(await store.remove(B, added.id)).toBeUndefined();
    expect((await store.remove(A, added.id))?.id).toBe(added.id);
    expect(ids(await store.forGuild(A))).toEqual(bundledIds());
  });

  it('stop at the limit, counted per server; replacing one of the same id is not a new one', async () => {
    const store = await open();
    await store.seed(readQuotesFile());
    expect(await store.add(A, added, 1)).toBe('added');
    expect(await store.add(A, { ...added, text: 'Edited.' }, 1)).toBe('added');
    expect(await store.add(A, { ...added, id: 'other' }, 1)).toBe('limit');
    expect(await store.add(B, { ...added, id: 'other' }, 1)).toBe('added');
    expect(await store.count(A)).toBe(1);
    expect((await store.forGuild(A)).find((q) => q.id === added.id)?.text).toBe('Edited.');
  });
});
