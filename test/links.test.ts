// absoluteHttpUrl returns a link already in the parser's form without parsing it: held here to the
// WHATWG URL parser on the cases that decide the form (hosts, dot segments, encodings, ports).
import { describe, expect, it } from 'vitest';
import { absoluteHttpUrl, parsedHttpUrl } from '../src/engine/links.ts';
import { pick, randomLink } from './support/random-links.ts';
import { seededRandom } from './support/random.ts';

/** What absoluteHttpUrl gave when it parsed every link (trimmed, as it trims). */
const parsed = (href: string, base?: string): string | undefined => (href.trim() ? parsedHttpUrl(href.trim(), base) : undefined);

const BASES = [undefined, 'https://a.example/feed/rss', 'http://b.example/x/y/'];

describe('absoluteHttpUrl', () => {
  it('gives what the URL parser gives, on links built from the cases that change a link', () => {
    const seed = Number(process.env.LINKS_SEED ?? 20261203);
    const random = seededRandom(seed);
    const differ: string[] = [];
    for (let n = 0; n < 20_000; n++) {
      const link = randomLink(random);
      const base = pick(random, BASES);
      if (absoluteHttpUrl(link, base) !== parsed(link, base)) differ.push(`${link} (base ${base})`);
    }
    expect(differ, `LINKS_SEED=${seed}`).toEqual([]);
  });

  it('keeps links already in the parser’s form as they are, and writes the others as it does', () => {
    const cases: Array<[string, string | undefined]> = [
      ['https://news.example.com/2026/alita-2?id=7&x=/y', 'https://news.example.com/2026/alita-2?id=7&x=/y'],
      ['  https://a.example/x  ', 'https://a.example/x'],
      ['https://a.example', 'https://a.example/'],
      ['https://A.Example/x', 'https://a.example/x'],
      ['https://a.example:443/x', 'https://a.example/x'],
      ['https://a.example/a/../b/./c', 'https://a.example/b/c'],
      ['https://a.example/%2e%2e/x', 'https://a.example/x'],
      ['http://127.1/x', 'http://127.0.0.1/x'],
      ['https://a.example/a b', 'https://a.example/a%20b'],
      ["https://a.example/?q='x'", 'https://a.example/?q=%27x%27'],
      ['https://bücher.example/x', 'https://xn--bcher-kva.example/x'],
      ['ftp://a.example/x', undefined],
      ['/x', undefined],
    ];
    for (const [link, expected] of cases) {
      expect(absoluteHttpUrl(link), link).toBe(expected);
      expect(parsed(link), link).toBe(expected);
    }
  });
});
