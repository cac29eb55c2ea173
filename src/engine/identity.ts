import { createHash } from 'node:crypto';
import { canonicalLink } from './links.ts';
import type { NewsItem } from './types.ts';

function hash(text: string): string {
  return createHash('sha256').update(text).digest('hex').slice(0, 32);
}

/** Lower-case, accent-free, punctuation-free form of a title, for "same story" checks. */
export function titleKey(title: string): string {
  return title
    .normalize('NFKD')
    .replace(/\p{M}+/gu, '')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();
}

/**
 * What makes an item the same item over time: its canonical link, else its guid (as a link
 * when it is one, so http→https edits do not matter), else the feed and title.
 */
export function identityString(item: Pick<NewsItem, 'feed' | 'link' | 'guid' | 'title'>): string {
  const link = item.link ? canonicalLink(item.link) : undefined;
  if (link) return `link:${link}`;
  if (item.guid) {
    const guidLink = canonicalLink(item.guid);
    // Guids are only unique within their feed ("1", "2", …), links are global.
    return guidLink ? `link:${guidLink}` : `guid:${item.feed}\n${item.guid}`;
  }
  return `title:${item.feed}\n${titleKey(item.title)}`;
}

export function itemIdentity(item: Pick<NewsItem, 'feed' | 'link' | 'guid' | 'title'>): string {
  return hash(identityString(item));
}
