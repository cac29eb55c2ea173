import { describe, expect, it } from 'vitest';
import { chooseAnnouncements, splitNewStories, toCandidate } from '../src/engine/dedupe.ts';
import { identityString, itemIdentity, titleKey } from '../src/engine/identity.ts';
import { absoluteHttpUrl, canonicalLink } from '../src/engine/links.ts';
import type { NewsItem } from '../src/engine/types.ts';

const item = (over: Partial<NewsItem>): NewsItem => ({ id: '', feed: 'f', source: 's', title: 't', summary: '', ...over });

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
  it('prefers the canonical link, then the guid (as a link when it is one), then feed and title', () => {
    expect(identityString(item({ link: 'http://a.example/x', guid: 'g' }))).toBe('link://a.example/x');
    expect(identityString(item({ guid: 'http://a.example/x' }))).toBe(identityString(item({ guid: 'https://a.example/x' })));
    expect(identityString(item({ guid: '42' }))).toBe('guid:f\n42');
    expect(identityString(item({ title: 'Alita 2!' }))).toBe(identityString(item({ title: 'alita 2' })));
    expect(identityString(item({ title: 'Alita 2', feed: 'g' }))).not.toBe(identityString(item({ title: 'Alita 2' })));
  });

  it('is a fixed-length key', () => {
    expect(itemIdentity(item({ link: `https://a.example/${'x'.repeat(5000)}` }))).toMatch(/^[0-9a-f]{32}$/);
  });

  it('folds titles for the same-story check', () => {
    expect(titleKey('  Rodríguez:  “Alita 2” — is ON! ')).toBe('rodriguez alita 2 is on');
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
