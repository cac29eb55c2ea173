import { readFileSync } from 'node:fs';
import type Keyv from 'keyv';
import { dataFile } from '../data-dir.ts';

export interface QuoteSource {
  title: string;
  url?: string;
  date?: string;
  via?: string;
}

export interface Quote {
  id: string;
  speaker: string;
  role?: string;
  /** YYYY, YYYY-MM or YYYY-MM-DD: as precise as the source is. */
  date: string;
  text: string;
  context?: string;
  source: QuoteSource;
  addedBy?: string;
}

export const DEFAULT_QUOTES_PATH = dataFile('quotes.json');

export function readQuotesFile(path: string | URL = DEFAULT_QUOTES_PATH): Quote[] {
  const file = JSON.parse(readFileSync(path, 'utf8')) as { quotes?: Quote[] };
  if (!Array.isArray(file.quotes)) throw new Error(`${String(path)}: "quotes" must be a list`);
  for (const quote of file.quotes) {
    if (!quote.id || !quote.speaker || !quote.text || !quote.date || !quote.source?.title) {
      throw new Error(`${String(path)}: quote ${JSON.stringify(quote.id ?? quote.text ?? '?')} needs id, speaker, text, date and source.title`);
    }
  }
  return file.quotes;
}

/**
 * Known quotes in the store. Seeding adds the file's quotes that the store has never had, so
 * it neither duplicates nor brings back a quote a moderator removed, and never touches added ones.
 */
export class QuoteStore {
  constructor(private readonly keyv: Keyv) {}

  async all(): Promise<Quote[]> {
    return (await this.keyv.get<Quote[]>('quotes')) ?? [];
  }

  async seed(quotes: Quote[]): Promise<number> {
    const current = await this.all();
    const known = new Set([...current.map((q) => q.id), ...((await this.keyv.get<string[]>('quotes:removed')) ?? [])]);
    const fresh = quotes.filter((q) => !known.has(q.id));
    if (fresh.length > 0) await this.keyv.set('quotes', [...current, ...fresh]);
    return fresh.length;
  }

  async add(quote: Quote): Promise<void> {
    await this.keyv.set('quotes', [...(await this.all()), quote]);
  }

  async remove(id: string): Promise<Quote | undefined> {
    const current = await this.all();
    const gone = current.find((q) => q.id === id);
    if (!gone) return undefined;
    await this.keyv.set('quotes', current.filter((q) => q.id !== id));
    const removed = (await this.keyv.get<string[]>('quotes:removed')) ?? [];
    await this.keyv.set('quotes:removed', [...removed, id]);
    return gone;
  }
}
