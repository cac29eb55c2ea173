/**
 * Links built from the cases that change a link when the URL parser reads it (IPv4 and punycode
 * hosts, ports, users, dot and %2e segments, encodings, quotes, tracking parameters): what the
 * link functions' fast paths (src/engine/links.ts) are held to the parser on.
 */

const SCHEMES = ['http', 'https', 'HTTP', 'Https', 'ftp', 'javascript', 'http:/', ''];
const LABELS = ['a', 'example', 'x1', '-a', 'a-', 'xn--abc', 'xn--mnchen-3ya', 'ab--c', '1', '255', '0x1f', '0X1F', '08', 'EXAMPLE', 'a_b', 'é', 'ｅ', '', 'com', 'net'];
const AUTHORITY_EXTRAS = ['', '', '', ':80', ':443', ':8080', ':', 'user@', '@', '.'];
const SEGMENTS = ['', '.', '..', '%2e', '%2E%2e', '.x', 'a', 'b.html', "it's", 'a b', 'a\\b', 'ä', '~x', '%41', '%zz', '%', '(x)', '[x]', '{x}', '|', '^', '`', '"', '<', ';p=1', ':@!$&*+,='];
const QUERIES = ['', '', '?', '?a=1', '?utm_source=rss&id=2', '?fbclid=1', '?a=b+c', "?q='x'", '?a b', '?x=%2e', '??', '?a=1&b=/c', '?<', '?"', '?é'];
const FRAGMENTS = ['', '', '', '#', '#x', '#a b'];

export const pick = <T,>(random: () => number, from: readonly T[]): T => from[Math.floor(random() * from.length)]!;

/** A link, absolute or not, built from the pieces above. */
export function randomLink(random: () => number): string {
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
