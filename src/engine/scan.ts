import { matchAt, type Match } from './match.ts';
import type { CompiledTerm, Topic } from './topic.ts';
import { BREAK } from './tokens.ts';

interface Entry {
  term: CompiledTerm;
  list: number;
  order: number;
}

/** Prefix terms (sequel*) are looked up by their first letters, not tried on every word. */
const STEM = 3;

/** Many term lists indexed together: by a term's exact first word, or the stem of a prefix word. */
interface Index {
  lists: CompiledTerm[][];
  position: Map<CompiledTerm[], number>;
  exact: Map<string, Entry[]>;
  stems: Map<string, Entry[]>;
  /** Prefix words shorter than a stem: tried on every word. */
  short: Entry[];
}

function add(map: Map<string, Entry[]>, key: string, entry: Entry): void {
  const entries = map.get(key);
  if (entries) entries.push(entry);
  else map.set(key, [entry]);
}

function indexOf(lists: CompiledTerm[][]): Index {
  const index: Index = { lists, position: new Map(), exact: new Map(), stems: new Map(), short: [] };
  lists.forEach((terms, list) => {
    if (!index.position.has(terms)) index.position.set(terms, list);
    terms.forEach((term, order) => {
      const entry = { term, list, order };
      const first = term.words[0]!;
      if (!first.prefix) add(index.exact, first.text, entry);
      else if (first.text.length >= STEM) add(index.stems, first.text.slice(0, STEM), entry);
      else index.short.push(entry);
    });
  });
  return index;
}

/**
 * Every list's matches from one pass over an item's tokens. A rule has some sixty lists (each
 * pair's first words among them); matching them one by one walked a long article sixty times.
 */
export class Scan {
  /** Per list, made on its first match: most of an item's lists match nothing. */
  private readonly found: Array<Array<Match & { order: number }> | undefined>;

  constructor(
    tokens: string[],
    private readonly index: Index,
  ) {
    this.found = new Array(index.lists.length);
    const { exact, stems, short } = index;
    for (let i = 0; i < tokens.length; i++) {
      const token = tokens[i]!;
      if (token === BREAK) continue;
      const candidates = exact.get(token);
      if (candidates) for (const entry of candidates) this.try(tokens, i, entry);
      const stemmed = token.length >= STEM ? stems.get(token.slice(0, STEM)) : undefined;
      if (stemmed) for (const entry of stemmed) this.try(tokens, i, entry);
      for (const entry of short) this.try(tokens, i, entry);
    }
    // In token order, and of two matches at one place the first listed first: callers rely on it.
    for (const matches of this.found) if (matches && matches.length > 1) matches.sort((a, b) => a.start - b.start || a.order - b.order);
  }

  private try(tokens: string[], i: number, { term, list, order }: Entry): void {
    if (matchAt(tokens, i, term)) (this.found[list] ??= []).push({ label: term.source, start: i, end: i + term.words.length, order });
  }

  /** The matches of one of the lists the scan was built for. */
  get(terms: CompiledTerm[]): Match[] {
    const list = this.index.position.get(terms);
    if (list === undefined) throw new Error('scan: a list it was not built for');
    return this.found[list] ?? NONE;
  }
}

const NONE: Match[] = [];

const mentionIndexes = new WeakMap<Topic, Index>();
const evidenceIndexes = new WeakMap<Topic, Index>();

/** The lists that say an item names Alita: looked for first, since most items name nothing. */
export function scanMentions(tokens: string[], topic: Topic): Scan {
  let index = mentionIndexes.get(topic);
  if (!index) {
    index = indexOf([topic.anchors, topic.characters.terms, ...topic.characters.roles.flatMap((role) => [role.character, role.actor])]);
    mentionIndexes.set(topic, index);
  }
  return new Scan(tokens, index);
}

/** Every other list a verdict reads (the first words of each pair included). */
export function scanEvidence(tokens: string[], topic: Topic): Scan {
  let index = evidenceIndexes.get(topic);
  if (!index) {
    index = indexOf([
      topic.namesakes.terms,
      topic.namesakes.filmWords,
      topic.namesakes.unrelated,
      topic.otherWorks,
      topic.noise.terms,
      topic.sequelCues.terms,
      topic.campaign.terms,
      topic.comebacks.terms,
      topic.comebacks.cast,
      topic.fanCues.terms,
      topic.hints.terms,
      topic.people.terms,
      topic.sequelTitles.pair.first,
      topic.sequelTitles.context,
      topic.manga.terms,
      topic.manga.reading,
      topic.manga.film,
      topic.namesakes.homage,
      topic.creditClauses.opens,
      topic.creditClauses.closes,
      topic.sequelOf.sequels,
      ...topic.sequelPairs.pairs.map((pair) => pair.first),
    ]);
    evidenceIndexes.set(topic, index);
  }
  return new Scan(tokens, index);
}
