// absoluteHttpUrl returns a link already in the parser's form without parsing it: held here to the
// WHATWG URL parser on the cases that decide the form (hosts, dot segments, encodings, ports).
import { describe, expect, it } from 'vitest';
import { absoluteHttpUrl, canonicalLink } from '../src/engine/links.ts';
import { seededRandom } from './support/random.ts';

/** What absoluteHttpUrl gave when it parsed every link. */
function parsed(href: string, base?: string): string | undefined {
  const value = href.trim();
  if (!value) return undefined;
  let url: URL;
  try {
    url = base ? new URL(value, base) : new URL(value);
  } catch {
    return undefined;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return undefined;
  if (!url.hostname) return undefined;
  return url.href;
}

const SCHEMES = ['http', 'https', 'HTTP', 'Https', 'ftp', 'javascript', 'http:/', ''];
const LABELS = ['a', 'example', 'x1', '-a', 'a-', 'xn--abc', 'xn--mnchen-3ya', 'ab--c', '1', '255', '0x1f', '0X1F', '08', 'EXAMPLE', 'a_b', 'é', 'ｅ', '', 'com', 'net'];
const AUTHORITY_EXTRAS = ['', '', '', ':80', ':443', ':8080', ':', 'user@', '@', '.'];
const SEGMENTS = ['', '.', '..', '%2e', '%2E%2e', '.x', 'a', 'b.html', "it's", 'a b', 'a\\b', 'ä', '~x', '%41', '%zz', '%', '(x)', '[x]', '{x}', '|', '^', '`', '"', '<', ';p=1', ':@!$&*+,='];
const QUERIES = ['', '', '?', '?a=1', '?utm_source=rss&id=2', '?fbclid=1', '?a=b+c', "?q='x'", '?a b', '?x=%2e', '??', '?a=1&b=/c', '?<', '?"', '?é'];
const FRAGMENTS = ['', '', '', '#', '#x', '#a b'];
const BASES = [undefined, 'https://a.example/feed/rss', 'http://b.example/x/y/'];

const pick = <T,>(random: () => number, from: readonly T[]): T => from[Math.floor(random() * from.length)]!;

function randomLink(random: () => number): string {
  const labels = Array.from({ length: 1 + Math.floor(random() * 3) }, () => pick(random, LABELS));
  const host = labels.join('.');
  const authority = pick(random, AUTHORITY_EXTRAS);
  const at = authority.endsWith('@') ? `${authority}${host}` : `${host}${authority}`;
  const segments = Array.from({ length: Math.floor(random() * 4) }, () => pick(random, SEGMENTS));
  const path = segments.length > 0 || random() < 0.7 ? `/${segments.join('/')}` : '';
  const scheme = pick(random, SCHEMES);
  const start = scheme ? `${scheme}://` : random() < 0.5 ? '//' : '';
  return `${start}${at}${path}${pick(random, QUERIES)}${pick(random, FRAGMENTS)}`;
}

/** What canonicalLink gave when it parsed every link. */
function canonicalByParser(link: string): string | undefined {
  let url: URL;
  try {
    url = new URL(link.trim());
  } catch {
    return undefined;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return undefined;
  if (url.protocol === 'http:') url.protocol = 'https:';
  const host = url.host.toLowerCase();
  const path = url.pathname === '/' ? '' : url.pathname;
  for (const key of [...url.searchParams.keys()]) if (/^(utm_.*|fbclid|gclid|dclid|msclkid|mc_cid|mc_eid)$/i.test(key)) url.searchParams.delete(key);
  const query = url.search === '' ? '' : url.searchParams.toString();
  return `//${host}${path}${query ? `?${query}` : ''}`;
}

describe('canonicalLink', () => {
  it('gives what it gave from the URL parser, on links built from the cases that change a link', () => {
    const seed = Number(process.env.LINKS_SEED ?? 20261203);
    const random = seededRandom(seed + 1);
    const differ: string[] = [];
    for (let n = 0; n < 20_000; n++) {
      const link = randomLink(random);
      if (canonicalLink(link) !== canonicalByParser(link)) differ.push(link);
    }
    expect(differ, `LINKS_SEED=${seed}`).toEqual([]);
    expect(canonicalLink('https://a.example/')).toBe('//a.example');
    expect(canonicalLink('http://a.example/x/y')).toBe('//a.example/x/y');
  });
});

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
