import { hash as digest } from 'node:crypto';
import { canonicalLink } from './links.ts';
import type { NewsItem } from './types.ts';

// crypto.hash, not createHash: a Hash object per item was over a third of identifying one.
function hash(text: string): string {
  return digest('sha256', text, 'hex').slice(0, 32);
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
 * How many words of an item's text tell it apart when nothing better does: enough to separate
 * two posts under one recurring title, few enough that an edit further down changes nothing.
 */
const TEXT_WORDS = 20;

export type IdentityFields = Pick<NewsItem, 'feed' | 'link' | 'guid' | 'title' | 'published'> & { summary?: string };

/** Feed, title and the first words of the text: what is left when neither a link nor a guid can be trusted. */
function contentIdentity(item: IdentityFields): string {
  const words = titleKey(item.summary ?? '').split(' ').slice(0, TEXT_WORDS).join(' ');
  // Without text this is exactly the old title-only key, so such items keep their stored ids.
  return `title:${item.feed}\n${titleKey(item.title)}${words ? `\n${words}` : ''}`;
}

/**
 * What makes an item the same item over time, so that a publisher's edits to its guid, date or
 * title do not announce it twice:
 * - its canonical link (links are global, and http→https or tracking edits do not matter);
 * - without a link but with a date, its guid (as a link when it is one): an edited guid then
 *   gives a new id, but the 48-hour story rule still knows the same title at the same date;
 * - otherwise feed, title and the first words of its text. An undated item has nothing stable for
 *   the story rule to fall back on, and some feeds mint a new guid on every request, which
 *   would announce such an item again once its first sighting is 48 hours old.
 */
export function identityString(item: IdentityFields): string {
  const link = item.link ? canonicalLink(item.link) : undefined;
  if (link) return `link:${link}`;
  if (item.guid && item.published) {
    const guidLink = canonicalLink(item.guid);
    // Guids are only unique within their feed ("1", "2", …), links are global.
    return guidLink ? `link:${guidLink}` : `guid:${item.feed}\n${item.guid}`;
  }
  return contentIdentity(item);
}

export function itemIdentity(item: IdentityFields): string {
  return hash(identityString(item));
}

/**
 * Canonical links that several distinct stories of one poll share: some feeds give every item
 * the same `<link>` (their home page). Two items under one link are distinct stories only when
 * both their guids and their titles differ; a guid or a title alone differing is an edit.
 */
export function sharedLinks(items: readonly IdentityFields[]): Set<string> {
  const byLink = new Map<string, IdentityFields[]>();
  for (const item of items) {
    const link = item.link ? canonicalLink(item.link) : undefined;
    if (!link || !item.guid) continue;
    const group = byLink.get(link);
    if (group) group.push(item);
    else byLink.set(link, [item]);
  }
  // Some two items differ in both guid and title exactly when they neither all share one guid nor
  // all share one title (items that pairwise share one or the other all share the same one).
  // Titles are compared only where guids differ: most links belong to one item.
  const shared = new Set<string>();
  for (const [link, group] of byLink) {
    if (group.length < 2 || new Set(group.map((item) => item.guid)).size < 2) continue;
    if (new Set(group.map((item) => titleKey(item.title))).size > 1) shared.add(link);
  }
  return shared;
}

/**
 * The ids of one poll's items, in order, knowing the whole poll: an item whose link is shared
 * (see sharedLinks) is identified as if it had no link, so each story under that link is its
 * own item. Every other item keeps itemIdentity's id.
 */
export function feedIdentities(items: readonly IdentityFields[]): string[] {
  const shared = sharedLinks(items);
  return items.map((item) => {
    const link = item.link ? canonicalLink(item.link) : undefined;
    return itemIdentity(link && shared.has(link) ? { ...item, link: undefined } : item);
  });
}

/**
 * A poll's items (judged or not) with their ids decided knowing the whole poll. Only pollFeed
 * sees every item at once (the analysis hands them on in batches, from a worker), so this belongs
 * on what the analysis returns there, before any id is looked up in the store. Each entry's id
 * must be itemIdentity's, as normalize gives it.
 */
export function withPollIdentities<T extends { item: IdentityFields & { id: string } }>(entries: T[]): T[] {
  // Every id already is itemIdentity's (normalize gives it): only items under a shared link change.
  // Items under one canonical link have one id (its hash), so only items whose id recurs can
  // share a link: the links (a URL parse each, on the main thread) are read for those alone.
  const shared = sharedLinks(recurringIds(entries.map((entry) => entry.item)));
  if (shared.size === 0) return entries;
  return entries.map((entry) => {
    const link = entry.item.link ? canonicalLink(entry.item.link) : undefined;
    if (!link || !shared.has(link)) return entry;
    const id = itemIdentity({ ...entry.item, link: undefined });
    return entry.item.id === id ? entry : { ...entry, item: { ...entry.item, id } };
  });
}

/** The items with a link and a guid whose id another such item has too, in order. */
function recurringIds<T extends IdentityFields & { id: string }>(items: T[]): T[] {
  const count = new Map<string, number>();
  for (const item of items) if (item.link && item.guid) count.set(item.id, (count.get(item.id) ?? 0) + 1);
  return items.filter((item) => item.link && item.guid && count.get(item.id)! > 1);
}
