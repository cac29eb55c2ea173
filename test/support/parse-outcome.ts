import { parseFeed, type ParseOptions } from '../../src/engine/parse.ts';

/** parseFeed's outcome as data, to compare two readings: the feed, or the error's name and message. */
export async function parseOutcome(document: string | string[], options: ParseOptions = {}): Promise<unknown> {
  try {
    return { ok: await parseFeed(document, options) };
  } catch (error) {
    return { error: error instanceof Error ? `${error.name}: ${error.message}` : String(error) };
  }
}
