/** The one item shape every stage after normalisation works with. */
export interface NewsItem {
  /** Stable identity key (see identity.ts); equal for the same story re-published with edits. */
  id: string;
  /** The feed the item came from, as configured (URL or file path). */
  feed: string;
  /** Human name of the source: the feed's own title, else its host. */
  source: string;
  title: string;
  /** The link as published, made absolute; http(s) only. */
  link?: string;
  /** Plain text: HTML stripped, entities decoded, whitespace folded. */
  summary: string;
  /** Plain text of content:encoded / Atom content, when the feed has it. */
  fullText?: string;
  /** ISO 8601; absent when missing, invalid or more than a day in the future. */
  published?: string;
  author?: string;
  /** http(s) image from an enclosure, media:content or media:thumbnail. */
  image?: string;
  /** The guid / Atom id as published, if any. */
  guid?: string;
}

export interface Verdict {
  relevant: boolean;
  /** Human-readable reasons, e.g. `anchor: "alita"`, `sequel: "alita 2"`. */
  reasons: string[];
  /** Why the item's feed was taken as about Alita, when it was (see feed-context.ts). */
  aboutAlita?: string;
}
