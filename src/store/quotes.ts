import { readFileSync } from 'node:fs';
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
