/**
 * The term trie (src/engine/term-trie.ts) against the search it replaced (test/support/reference-match.ts,
 * the old code word for word), on the real rule: every labelled item's token stream, and seeded random
 * streams drawn from the rule's own words (long terms, prefix words, breaks, the ends of the stream).
 * Same matches per list in the same order with the same labels, the same first-listed term from
 * firstAt, the same endsAt: so the same verdicts and reasons.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { isDeepStrictEqual } from 'node:util';
import { describe, expect, it } from 'vitest';
import { endsAt, findTerms, firstAt } from '../src/engine/match.ts';
import { evidenceLists, mentionLists, scanEvidence, scanItem, scanMentions } from '../src/engine/scan.ts';
import { BREAK, itemTokens } from '../src/engine/tokens.ts';
import { loadTopic, type CompiledTerm } from '../src/engine/topic.ts';
import { seededRandom } from './support/random.ts';
import { referenceEndsAt, referenceFindTerms, referenceFirstAt, referenceScan } from './support/reference-match.ts';

const topic = loadTopic();

/** Every term list of the rule, found by shape, so a list added to topic.ts later is covered too. */
function termLists(value: unknown, lists = new Set<CompiledTerm[]>()): CompiledTerm[][] {
  const isTerm = (t: unknown) => typeof (t as CompiledTerm)?.source === 'string' && Array.isArray((t as CompiledTerm).words);
  if (Array.isArray(value)) {
    if (value.length > 0 && value.every(isTerm)) lists.add(value as CompiledTerm[]);
    else for (const v of value) termLists(v, lists);
  } else if (value && typeof value === 'object') for (const v of Object.values(value)) termLists(v, lists);
  return [...lists];
}

const lists = termLists(topic);
/** All terms as one list: thousands, with many alike across lists, so the first listed must win firstAt. */
const everything = lists.flat();

function labelledStreams(): Array<{ name: string; tokens: string[] }> {
  const streams: Array<{ name: string; tokens: string[] }> = [];
  const sets = [
    ...readdirSync(new URL('fixtures/', import.meta.url)).filter((f) => /^relevance-.*\.json$/.test(f)).map((f) => new URL(`fixtures/${f}`, import.meta.url)),
    ...readdirSync(new URL('fixtures/world/', import.meta.url)).map((f) => new URL(`fixtures/world/${f}`, import.meta.url)),
    new URL('../../shared/relevance/dev-set.json', import.meta.url),
  ];
  for (const url of sets) {
    const { items } = JSON.parse(readFileSync(url, 'utf8')) as { items: Array<{ title: string; summary?: string; content?: string; feed?: { title: string; description: string } }> };
    items.forEach((item, i) => {
      streams.push({ name: `${url.pathname.split('/').pop()} #${i}`, tokens: itemTokens([item.title, item.summary ?? '', item.content ?? '']) });
      if (item.feed) streams.push({ name: `${url.pathname.split('/').pop()} #${i} feed`, tokens: itemTokens([item.feed.title, item.feed.description]) });
    });
  }
  return streams;
}

/**
 * Random streams from the rule's words: whole terms (sometimes cut short, a prefix word lengthened
 * or shortened by a letter), single words, breaks; empty and all-break streams too.
 */
function randomStreams(seed: number, count: number): string[][] {
  const random = seededRandom(seed);
  const pick = <T>(from: T[]): T => from[Math.floor(random() * from.length)]!;
  const word = ({ text, prefix }: { text: string; prefix: boolean }): string => {
    if (text === BREAK) return BREAK;
    if (!prefix) return text;
    const r = random();
    return r < 0.4 ? text : r < 0.8 ? text + pick(['s', 'es', 'ung', 'a', 'ler']) : text.slice(0, -1) || text;
  };
  const streams: string[][] = [[], [BREAK], [BREAK, BREAK, BREAK]];
  while (streams.length < count) {
    const tokens: string[] = [];
    const length = 1 + Math.floor(random() * 60);
    while (tokens.length < length) {
      const r = random();
      if (r < 0.1) tokens.push(BREAK);
      else if (r < 0.5) {
        const words = pick(everything).words;
        const cut = random() < 0.2 ? Math.floor(random() * words.length) : words.length;
        for (const w of words.slice(0, cut)) tokens.push(word(w));
      } else tokens.push(word(pick(pick(everything).words)));
    }
    streams.push(tokens);
  }
  return streams;
}

/** firstAt as the term's place in `list` (-1: none), so alike terms from different places count as different. */
const placesOf = new WeakMap<CompiledTerm[], Map<CompiledTerm, number>>();

function firstAtAll(tokens: string[], list: CompiledTerm[], find: typeof firstAt): number[] {
  let places = placesOf.get(list);
  if (!places) placesOf.set(list, (places = new Map(list.map((term, i) => [term, i] as const).reverse())));
  const found: number[] = [];
  for (let i = -1; i <= tokens.length + 1; i++) {
    const term = find(tokens, i, list);
    found.push(term ? places.get(term)! : -1);
  }
  return found;
}

function endsAtAll(tokens: string[], list: CompiledTerm[], ends: typeof endsAt): boolean[] {
  const found: boolean[] = [];
  for (let i = -1; i <= tokens.length + 2; i++) found.push(ends(tokens, i, list));
  return found;
}

/**
 * Where the trie and the reference differ (each with what both said), collected and asserted once per
 * test: an expect per list and stream made the test take a minute.
 */
type Differences = string[];

function compare(differences: Differences, where: string, actual: unknown, expected: unknown): void {
  if (!isDeepStrictEqual(actual, expected)) differences.push(`${where}\n  trie:      ${JSON.stringify(actual)}\n  reference: ${JSON.stringify(expected)}`);
}

/** Made once: the reference indexes a list of lists the first time it sees it. */
const scanned: CompiledTerm[][][] = [mentionLists(topic), evidenceLists(topic), [...mentionLists(topic), ...evidenceLists(topic)]];

function compareScans(differences: Differences, tokens: string[], name: string): void {
  // scanItem, judge's one pass over both, must read every list as the scans of each part do.
  const scans = [scanMentions(tokens, topic), scanEvidence(tokens, topic), scanItem(tokens, topic)];
  for (const [built, scan] of scanned.map((built, k) => [built, scans[k]!] as const)) {
    const reference = referenceScan(tokens, built);
    built.forEach((list, i) => {
      // A list given twice is read from its first place, as Scan.get does.
      if (built.indexOf(list) === i) compare(differences, `${name}: Scan, list ${i} (${list[0]?.source}…)`, scan.get(list), reference[i] ?? []);
    });
  }
}

function compareFinds(differences: Differences, tokens: string[], name: string, which: CompiledTerm[][]): void {
  for (const list of which) {
    const at = `${name}: list of ${list.length} (${list[0]?.source}…)`;
    compare(differences, `${at}, findTerms`, findTerms(tokens, list), referenceFindTerms(tokens, list));
    compare(differences, `${at}, firstAt`, firstAtAll(tokens, list, firstAt), firstAtAll(tokens, list, referenceFirstAt));
    compare(differences, `${at}, endsAt`, endsAtAll(tokens, list, endsAt), endsAtAll(tokens, list, referenceEndsAt));
  }
}

describe('the term trie finds what the old term search found', () => {
  it('reads a rule with term lists of every kind', () => {
    // The random streams mean something only if the rule has long terms, prefix words and breaks.
    expect(lists.length).toBeGreaterThan(100);
    expect(everything.some((t) => t.words.length >= 5)).toBe(true);
    expect(everything.some((t) => t.words[0]!.prefix)).toBe(true);
    expect(everything.some((t) => t.words.slice(1).some((w) => w.prefix))).toBe(true);
    expect(everything.some((t) => t.words.some((w) => w.text === BREAK))).toBe(true);
  });

  it('on every labelled item: the same Scan matches, and findTerms, firstAt and endsAt on the whole rule', () => {
    const streams = labelledStreams();
    expect(streams.length).toBeGreaterThan(2500);
    const differences: Differences = [];
    for (const { name, tokens } of streams) {
      compareScans(differences, tokens, name);
      compareFinds(differences, tokens, name, [everything]);
    }
    expect(differences.slice(0, 5).join('\n'), `${differences.length} differences`).toBe('');
  });

  it('on seeded random streams of the rule\'s words: the same answers for every list', () => {
    const streams = randomStreams(16, 1000);
    const differences: Differences = [];
    for (const [n, tokens] of streams.entries()) {
      compareScans(differences, tokens, `random #${n} ${JSON.stringify(tokens)}`);
      // Every list on a share of the streams (each list on two hundred), the whole rule on all.
      compareFinds(differences, tokens, `random #${n} ${JSON.stringify(tokens)}`, [everything, ...lists.filter((_, i) => i % 5 === n % 5)]);
    }
    expect(differences.slice(0, 5).join('\n'), `${differences.length} differences`).toBe('');
  });

  it('gives the same answers after its memo of first steps has started over (more distinct words than it keeps)', () => {
    // Tens of thousands of distinct short words, each walked at least once, then the rule's own
    // words again: the memo (term-trie.ts) was cleared and refilled on the way.
    const random = seededRandom(61);
    const letters = 'abcdefghijklmnopqrstuvwxyzáéü';
    const noise = Array.from({ length: 30_000 }, () => Array.from({ length: 2 + Math.floor(random() * 10) }, () => letters[Math.floor(random() * letters.length)]).join(''));
    const differences: Differences = [];
    for (let at = 0; at < noise.length; at += 1000) compareScans(differences, noise.slice(at, at + 1000), `noise from ${at}`);
    for (const [n, tokens] of randomStreams(17, 200).entries()) compareScans(differences, [...noise.slice(n * 50, n * 50 + 50), ...tokens], `after noise #${n} ${JSON.stringify(tokens)}`);
    expect(differences.slice(0, 5).join('\n'), `${differences.length} differences`).toBe('');
  });
});
