import type { Match } from './match.ts';
import { buildTrie, findAll, type Found, type TermTrie } from './term-trie.ts';
import type { CompiledTerm, Topic } from './topic.ts';

/** Many term lists in one trie, each term marked with its list; and the lists searched only when read. */
interface Index {
  /** Each list once: a list given twice (the anchors are also the first words of five pairs) was found twice. */
  lists: CompiledTerm[][];
  position: Map<CompiledTerm[], number>;
  trie: TermTrie;
  /** Each on its own, its trie built the first time it is read. */
  onDemand: Map<CompiledTerm[], TermTrie | undefined>;
}

function indexOf(lists: CompiledTerm[][], onDemand: CompiledTerm[][] = []): Index {
  const later = new Map(onDemand.map((terms) => [terms, undefined]));
  const position = new Map<CompiledTerm[], number>();
  const distinct: CompiledTerm[][] = [];
  for (const terms of lists) {
    if (later.has(terms) || position.has(terms)) continue;
    position.set(terms, distinct.length);
    distinct.push(terms);
  }
  return { lists: distinct, position, trie: buildTrie(distinct), onDemand: later };
}

/**
 * Every list's matches from one pass over an item's tokens. A rule has some sixty lists (each
 * pair's first words among them); matching them one by one walked a long article sixty times.
 */
export class Scan {
  private readonly found: Array<Found[] | undefined>;
  private searched: Map<CompiledTerm[], Found[]> | undefined;

  constructor(
    private readonly tokens: string[],
    private readonly index: Index,
  ) {
    this.found = findAll(tokens, index.trie, index.lists.length);
  }

  /** The matches of one of the lists the scan was built for (one searched on demand, the first time it is read). */
  get(terms: CompiledTerm[]): Match[] {
    const list = this.index.position.get(terms);
    if (list !== undefined) return this.found[list] ?? NONE;
    const { onDemand } = this.index;
    if (!onDemand.has(terms)) throw new Error('scan: a list it was not built for');
    let found = (this.searched ??= new Map()).get(terms);
    if (!found) {
      let trie = onDemand.get(terms);
      if (!trie) onDemand.set(terms, (trie = buildTrie([terms])));
      this.searched.set(terms, (found = findAll(this.tokens, trie, 1)[0] ?? NONE));
    }
    return found;
  }
}

const NONE: Found[] = [];

const mentionIndexes = new WeakMap<Topic, Index>();
const evidenceIndexes = new WeakMap<Topic, Index>();
const itemIndexes = new WeakMap<Topic, Index>();

/** The lists that say an item names Alita (exported, like evidenceLists, for the test that holds the trie to the old search). */
export function mentionLists(topic: Topic): CompiledTerm[][] {
  return [topic.anchors, topic.characters.terms, ...topic.characters.roles.flatMap((role) => [role.character, role.actor])];
}

/** Every other list a verdict reads (the first words of each pair included). */
export function evidenceLists(topic: Topic): CompiledTerm[][] {
  return [
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
  ];
}

/**
 * Lists a verdict reads only in rare cases, searched by judge only then: the words of the film
 * around a bare sequel title, and of the manga's readers and the film beside a manga word. Their
 * common words ("film", "movie", "read") made a third of the matches judge's scan of long items
 * found, and a verdict read them for none of those items.
 */
function occasionalLists(topic: Topic): CompiledTerm[][] {
  return [topic.sequelTitles.context, topic.manga.reading, topic.manga.film];
}

/** Builds the indexes judge and the feed's context read (scanItem, scanEvidence) now; whether they are built. */
export function prepareScans(topic: Topic): boolean {
  scanItem([], topic);
  scanEvidence([], topic);
  return itemIndexes.has(topic) && evidenceIndexes.has(topic);
}

/** A topic's index of `lists`, built on first use. */
function indexFor(indexes: WeakMap<Topic, Index>, topic: Topic, lists: (topic: Topic) => CompiledTerm[][], onDemand?: (topic: Topic) => CompiledTerm[][]): Index {
  let index = indexes.get(topic);
  if (!index) indexes.set(topic, (index = indexOf(lists(topic), onDemand?.(topic))));
  return index;
}

/** The lists that say an item names Alita, alone (judge reads them through scanItem; the equivalence test through both). */
export function scanMentions(tokens: string[], topic: Topic): Scan {
  return new Scan(tokens, indexFor(mentionIndexes, topic, mentionLists));
}

/** Every list an item's verdict reads besides the mentions (feed-context.ts, on a feed's title). */
export function scanEvidence(tokens: string[], topic: Topic): Scan {
  return new Scan(tokens, indexFor(evidenceIndexes, topic, evidenceLists));
}

/**
 * The mention lists and the evidence lists from one pass: what judge reads of an item that names
 * Alita. Scanning them apart walked a long article twice and looked every token up twice.
 */
export function scanItem(tokens: string[], topic: Topic): Scan {
  return new Scan(tokens, indexFor(itemIndexes, topic, (t) => [...mentionLists(t), ...evidenceLists(t)], occasionalLists));
}
