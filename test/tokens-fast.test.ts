/**
 * The tokenizer gives exactly the words of the regex tokenizer frozen in
 * test/support/reference-tokens.ts, on every labelled text.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { foldForMatching, itemTokens } from '../src/engine/tokens.ts';
import { referenceFold, referenceItemTokens } from './support/reference-tokens.ts';

const fixtures = new URL('./fixtures/', import.meta.url);
const files = [
  ...readdirSync(fixtures).filter((f) => /^relevance-.*\.json$/.test(f)).map((f) => new URL(f, fixtures)),
  ...readdirSync(new URL('world/', fixtures)).map((f) => new URL(`world/${f}`, fixtures)),
  new URL('../../shared/relevance/dev-set.json', import.meta.url),
];

interface Item { title?: string; summary?: string; content?: string; description?: string }
const items = files.flatMap((file) => (JSON.parse(readFileSync(file, 'utf8')) as { items: Item[] }).items);

describe('the tokenizer', () => {
  it('gives the reference tokens for every item of the labelled sets', () => {
    expect(files.length).toBeGreaterThan(70);
    expect(items.length).toBeGreaterThan(2000);
    for (const item of items) {
      const fields = [item.title, item.summary, item.description, item.content].map((f) => f ?? '');
      expect(itemTokens(fields), fields[0]).toEqual(referenceItemTokens(fields));
      for (const field of fields) expect(foldForMatching(field), field).toEqual(referenceFold(field));
    }
  });
});
