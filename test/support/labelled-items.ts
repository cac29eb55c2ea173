import { readdirSync, readFileSync } from 'node:fs';

export interface LabelledText {
  title?: string;
  summary?: string;
  content?: string;
  description?: string;
}

const fixtures = new URL('../fixtures/', import.meta.url);

/** The labelled sets' files: the relevance fixtures, the world sets and the shared dev set. */
export function labelledFiles(): URL[] {
  return [
    ...readdirSync(fixtures).filter((f) => /^relevance-.*\.json$/.test(f)).map((f) => new URL(f, fixtures)),
    ...readdirSync(new URL('world/', fixtures)).map((f) => new URL(`world/${f}`, fixtures)),
    new URL('../../../shared/relevance/dev-set.json', import.meta.url),
  ];
}

/** Every item of the labelled sets, for tests that hold a fast path to its reference on real text. */
export function labelledItems(): LabelledText[] {
  return labelledFiles().flatMap((file) => (JSON.parse(readFileSync(file, 'utf8')) as { items: LabelledText[] }).items);
}
