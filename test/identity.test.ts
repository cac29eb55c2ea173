import { describe, expect, it } from 'vitest';
import { chooseAnnouncements, splitNewStories, toCandidate } from '../src/engine/dedupe.ts';
import { feedIdentities, identityString, itemIdentity, sharedLinks, titleKey, withPollIdentities } from '../src/engine/identity.ts';
import { absoluteHttpUrl, canonicalLink } from '../src/engine/links.ts';
import type { NewsItem } from '../src/engine/types.ts';
import { randomLink } from './support/random-links.ts';
import { seededRandom } from './support/random.ts';

const item = (over: Partial<NewsItem>): NewsItem => ({ id: '', feed: 'f', source: 's', title: 't', summary: '', ...over });

/** canonicalLink's earlier form, which went through URLSearchParams for every link (stored ids depend on it). */
function before(link: string): string | undefined {
  let url: URL;
  try {
    url = new URL(link.trim());
  } catch {
    return undefined;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return undefined;
  url.protocol = 'https:';
  url.hash = '';
  for (const key of [...url.searchParams.keys()]) if (/^(utm_.*|fbclid|gclid|dclid|msclkid|mc_cid|mc_eid)$/i.test(key)) url.searchParams.delete(key);
  const path = url.pathname === '/' ? '' : url.pathname;
  const query = url.searchParams.toString();
  return `//${url.host.toLowerCase()}${path}${query ? `?${query}` : ''}`;
}

describe('canonicalLink', () => {
  it('ignores scheme, host case, default port, fragment and tracking parameters', () => {
    const a = canonicalLink('http://News.Example.com:80/a/b?id=7&utm_source=rss&utm_medium=x&fbclid=1&gclid=2#comments');
    expect(a).toBe('//news.example.com/a/b?id=7');
    expect(canonicalLink('https://news.example.com/a/b?id=7')).toBe(a);
  });

  it('keeps parameters that identify the page', () => {
    expect(canonicalLink('https://x.example/?p=1')).not.toBe(canonicalLink('https://x.example/?p=2'));
  });

  it('is only for http(s)', () => {
    expect(canonicalLink('mailto:a@b.c')).toBeUndefined();
    expect(canonicalLink('not a url')).toBeUndefined();
  });

  it('gives every link the form it had when it always read the parameters (stored ids depend on it)', () => {
    const random = seededRandom(16);
    const pick = <T>(xs: readonly T[]): T => xs[Math.floor(random() * xs.length)]!;
    const links = [' http://a.example:443/x ', 'http://a.example:80/', 'https://a.example:443/x?', 'https://a.example:80/x#f', 'HTTP://A.Example/P/../q/./r', 'https://bücher.example/ä ö?x=ü#y', 'http://[::1]:8080/x?utm_source=1'];
    for (let n = 0; n < 3000; n++) {
      const query = pick(['', '?', '?a=1', '?utm_source=x', '?a=1&utm_medium=y&b=%20c', '?fbclid=1', '?q=a+b&Q=%41']);
      links.push(`${pick(['http', 'https', 'HTTPS', 'ftp'])}://${pick(['News.Example.com', 'x.example', '127.0.0.1', 'xn--bcher-kva.example', 'bücher.example'])}${pick(['', ':80', ':443', ':8443'])}${pick(['', '/', '/a/b', '/a%20b/', '/é', '/./a/../b'])}${query}${pick(['', '#', '#top'])}`);
    }
    for (const link of links) expect(canonicalLink(link), link).toBe(before(link));
  });

  it('gives that form too on links built from the cases that change a link (its fast path, test/support/random-links.ts)', () => {
    const seed = Number(process.env.LINKS_SEED ?? 20261203);
    const random = seededRandom(seed + 1);
    const differ: string[] = [];
    for (let n = 0; n < 20_000; n++) {
      const link = randomLink(random);
      if (canonicalLink(link) !== before(link)) differ.push(link);
    }
    expect(differ, `LINKS_SEED=${seed}`).toEqual([]);
    expect(canonicalLink('https://a.example/')).toBe('//a.example');
    expect(canonicalLink('http://a.example/x/y')).toBe('//a.example/x/y');
  });
});

describe('absoluteHttpUrl', () => {
  it('resolves relative links and refuses other schemes', () => {
    expect(absoluteHttpUrl('/x', 'https://a.example/feed/rss')).toBe('https://a.example/x');
    expect(absoluteHttpUrl('javascript:alert(1)', 'https://a.example/')).toBeUndefined();
    expect(absoluteHttpUrl('ftp://a.example/x')).toBeUndefined();
    expect(absoluteHttpUrl('')).toBeUndefined();
  });
});

describe('item identity', () => {
  const dated = '2024-02-20T10:00:00.000Z';

  it('prefers the canonical link, then (for a dated item) the guid as a link when it is one, then feed, title and text', () => {
    expect(identityString(item({ link: 'http://a.example/x', guid: 'g' }))).toBe('link://a.example/x');
    expect(identityString(item({ guid: 'http://a.example/x', published: dated }))).toBe(identityString(item({ guid: 'https://a.example/x', published: dated })));
    expect(identityString(item({ guid: '42', published: dated }))).toBe('guid:f\n42');
    expect(identityString(item({ title: 'Alita 2!' }))).toBe(identityString(item({ title: 'alita 2' })));
    expect(identityString(item({ title: 'Alita 2', feed: 'g' }))).not.toBe(identityString(item({ title: 'Alita 2' })));
  });

  it('keeps the ids already stored for linked, dated-guid and text-less items (no stored item looks new)', () => {
    // Values of the identity before undated guids and shared links were handled.
    const feed = 'https://news.example.com/feed.xml';
    expect(itemIdentity(item({ feed, title: 'Alita 2', link: 'https://news.example.com/alita-2', guid: 'g-1' }))).toBe('9101f60370989c5d3f38bf8050476a6c');
    expect(itemIdentity(item({ feed, title: 'Alita 2', link: 'https://news.example.com/alita-2', summary: 'x' }))).toBe('9101f60370989c5d3f38bf8050476a6c');
    expect(itemIdentity(item({ feed, title: 'Alita 2', guid: 'g-1', published: dated }))).toBe('ea80c377df1e5bea9a014feadb031d01');
    expect(itemIdentity(item({ feed, title: 'Alita 2', guid: 'https://news.example.com/alita-2', published: dated }))).toBe('9101f60370989c5d3f38bf8050476a6c');
    expect(itemIdentity(item({ feed, title: 'Alita 2' }))).toBe('1ada7a1e97b5d582bce8bc9fc9b8344d');
  });

  it('identifies an item with neither link nor date by feed, title and the first words of its text, never its guid', () => {
    const text = 'Robert Rodriguez says the sequel script is done and James Cameron is reading it this week, with more news to come soon.';
    const undated = (over: Partial<NewsItem>) => itemIdentity(item({ title: 'Alita 2 update', summary: text, ...over }));
    expect(undated({ guid: 'request-1' })).toBe(undated({ guid: 'request-2' }));
    expect(undated({ guid: 'https://a.example/1' })).toBe(undated({}));
    expect(undated({ summary: `${text} Edited: a last paragraph added much later.` })).toBe(undated({}));
    expect(undated({ summary: `  ROBERT Rodríguez says… ${text.slice('Robert Rodriguez says '.length)}` })).toBe(undated({}));
    expect(undated({ summary: 'A different post under the same weekly title.' })).not.toBe(undated({}));
    expect(undated({ title: 'Alita 2 weekly' })).not.toBe(undated({}));
    expect(undated({ feed: 'other' })).not.toBe(undated({}));
  });

  it('is a fixed-length key', () => {
    expect(itemIdentity(item({ link: `https://a.example/${'x'.repeat(5000)}` }))).toMatch(/^[0-9a-f]{32}$/);
  });

  it('folds titles for the same-story check', () => {
    expect(titleKey('  Rodríguez:  “Alita 2” — is ON! ')).toBe('rodriguez alita 2 is on');
  });
});

describe('one poll’s identities: links several stories share', () => {
  const home = 'https://news.example.com/';
  const story = (guid: string | undefined, title: string, link = home) => item({ link, title, published: '2024-02-20T10:00:00.000Z', ...(guid ? { guid } : {}) });

  it('splits a link carried by items with distinct guids and distinct titles: each is identified as if it had no link', () => {
    const items = [story('g-3', 'Alita 2 casting'), story('g-2', 'Alita 2 trailer'), story('g-1', 'Alita 2 script')];
    expect(sharedLinks(items)).toEqual(new Set(['//news.example.com']));
    const ids = feedIdentities(items);
    expect(new Set(ids).size).toBe(3);
    expect(ids).toEqual(items.map((i) => itemIdentity({ ...i, link: undefined })));
  });

  it('keeps one item for one link when only the guid, or only the title, differs (an edit, not a story)', () => {
    for (const items of [
      [story('g-1', 'Alita 2 trailer'), story('g-1-edited', 'Alita 2 trailer!')],
      [story('g-1', 'Alita 2 trailer'), story('g-1', 'Alita 2 trailer (updated)')],
      [story('g-1', 'Alita 2 trailer'), story(undefined, 'Alita 2 casting')],
    ]) {
      expect(sharedLinks(items)).toEqual(new Set());
      expect(new Set(feedIdentities(items))).toEqual(new Set([itemIdentity(story(undefined, 'x'))]));
    }
  });

  it('finds a shared link even when most pairs share a guid or a title', () => {
    expect(sharedLinks([story('g-1', 'A'), story('g-1', 'B'), story('g-2', 'A')]).size).toBe(1);
  });

  it('re-keys a poll’s judged items without touching the ones whose id stands', () => {
    const judged = [story('g-2', 'Alita 2 trailer'), story('g-1', 'Alita 2 script'), item({ title: 'Other', link: 'https://b.example/1' })]
      .map((i) => ({ item: { ...i, id: itemIdentity(i) }, verdict: { relevant: true, reasons: [] } }));
    const keyed = withPollIdentities(judged);
    expect(keyed.map((j) => j.item.id)).toEqual(feedIdentities(judged.map((j) => j.item)));
    expect(keyed[0]!.item.id).not.toBe(judged[0]!.item.id);
    expect(keyed[2]).toBe(judged[2]);
  });

  // withPollIdentities reads links only where ids recur: it must still agree with feedIdentities,
  // which reads every link, on polls mixing tracking variants, bad links and guids that are links.
  it('re-keys exactly as feedIdentities does, on random polls', () => {
    const random = seededRandom(16);
    const pick = <T>(options: T[]): T => options[Math.floor(random() * options.length)]!;
    const links = [undefined, 'https://news.example.com/', 'http://NEWS.example.com/?utm_source=x', 'https://news.example.com/a', 'https://news.example.com/a#top', 'not a link', 'ftp://news.example.com/a'];
    const guids = [undefined, 'g-1', 'g-2', 'g-3', 'https://news.example.com/a', 'https://news.example.com/'];
    for (let poll = 0; poll < 300; poll++) {
      const items = Array.from({ length: 1 + Math.floor(random() * 6) }, () => item({ link: pick(links), guid: pick(guids), title: pick(['A', 'B', 'a!', 'C']), published: pick([undefined, '2024-02-20T10:00:00.000Z']) }));
      const judged = items.map((i) => ({ item: { ...i, id: itemIdentity(i) } }));
      expect(withPollIdentities(judged).map((j) => j.item.id)).toEqual(feedIdentities(items));
    }
  });

  it('leaves an ordinary feed’s ids exactly as itemIdentity gives them', () => {
    const items = [story('g-2', 'Alita 2 trailer', 'https://news.example.com/2'), story('g-1', 'Alita 2 script', 'https://news.example.com/1'), item({ title: 'No link' })];
    expect(feedIdentities(items)).toEqual(items.map((i) => itemIdentity(i)));
  });
});

describe('dedupe stages', () => {
  const now = new Date('2024-03-01T00:00:00Z');
  const judged = (title: string, published?: string, id = title) => toCandidate({ item: item({ id, title, published }), verdict: { relevant: true, reasons: [] } }, now);

  it('keeps a title seen more than 48 hours apart, drops one within', () => {
    const known = new Map([[judged('Alita 2').titleHash, [{ id: 'old', at: '2024-02-27T00:00:00Z' }]]]);
    const { fresh, repeats } = splitNewStories([judged('Alita 2', '2024-02-28T23:00:00Z', 'a'), judged('Alita 2', '2024-02-24T00:00:00Z', 'b')], known);
    expect(fresh.map((c) => c.item.id)).toEqual(['b']);
    expect(repeats.map((c) => c.item.id)).toEqual(['a']);
  });

  it('uses the first-seen time for undated items', () => {
    const { fresh, repeats } = splitNewStories([judged('Alita 2', undefined, 'a'), judged('Alita 2', undefined, 'b')], new Map());
    expect([fresh.length, repeats.length]).toEqual([1, 1]);
  });

  it('announces oldest first; undated items keep feed order reversed', () => {
    const candidates = [judged('c', '2024-02-03T00:00:00Z'), judged('a', '2024-02-01T00:00:00Z'), judged('b', '2024-02-02T00:00:00Z')];
    expect(chooseAnnouncements(candidates, { firstPoll: false, backfill: 0 }).map((i) => i.title)).toEqual(['a', 'b', 'c']);
    const undated = [judged('newest'), judged('older'), judged('oldest')];
    expect(chooseAnnouncements(undated, { firstPoll: false, backfill: 0 }).map((i) => i.title)).toEqual(['oldest', 'older', 'newest']);
    expect(chooseAnnouncements(candidates, { firstPoll: true, backfill: 0 })).toEqual([]);
    expect(chooseAnnouncements(candidates, { firstPoll: true, backfill: 1 }).map((i) => i.title)).toEqual(['c']);
  });
});
