import { distance, type Match } from './match.ts';
import { unbroken } from './other-works.ts';
import type { Scan } from './scan.ts';
import { ShortMemo } from './short-memo.ts';
import type { CompiledTerm, Topic } from './topic.ts';
import { withoutInvisible } from './text.ts';
import { BREAK, CJK, foldCharacters, NON_ASCII } from './tokens.ts';

/** Where an item names Alita: a name of the film, a place of its world, or a character with its actor. */
export interface Mentions {
  matches: Match[];
  reasons: string[];
}

/** Where `tokens` name Alita, from `scan`: judge's one scan of the item (scanItem), which holds the mention lists. */
export function findMentions(tokens: string[], topic: Topic, scan: Scan): Mentions {
  // "submitted by /u/iron_city_ingo": a Reddit user's name names no film.
  const named = (matches: Match[]) => matches.filter((m) => !(tokens[m.start - 1] === 'u' && tokens[m.start - 2] === 'by'));
  const matches = named(scan.get(topic.anchors));
  const reasons = [...new Set(matches.map((m) => `anchor: ${m.label}`))];
  for (const m of named(scan.get(topic.characters.terms))) {
    matches.push(m);
    if (!reasons.includes(`anchor: ${m.label}`)) reasons.push(`anchor: ${m.label}`);
  }
  // "Nova" alone is a word in three languages; Nova with Edward Norton is the film's villain.
  for (const role of topic.characters.roles) {
    const character = named(scan.get(role.character));
    const actor = character.length > 0 ? scan.get(role.actor)[0] : undefined;
    if (!actor) continue;
    for (const m of character) matches.push(m);
    reasons.push(`anchor: ${character[0]!.label} (with ${actor.label})`);
  }
  return { matches: matches.sort((a, b) => a.start - b.start), reasons };
}

/**
 * "Alita" naming something else: a product (the Alita 2 robot vacuum), a song, a novel, a
 * person. Told by the words around it (within `namesakes.distance` of a name, when the names
 * are given: "share it in your WhatsApp groups" three sentences on does not make Alita an app),
 * unless a word of the film is there too.
 */
export function namesake(scan: Scan, topic: Topic, tokens: string[], names?: Match[]): string | undefined {
  const film = scan.get(topic.namesakes.filmWords);
  // "Aucun lien avec le film": a film word said to be unrelated does not speak for the film, and
  // says the item is about a namesake, wherever its product or song word stands.
  const unrelated = disowned(tokens, scan, topic);
  const disclaimed = film.some(unrelated);
  const near = (m: Match) => disclaimed || !names || names.some((name) => distance(m, name) <= topic.namesakes.distance);
  const other = scan.get(topic.namesakes.terms).find(near);
  if (!other) return undefined;
  // "ALITA 2, la prótesis inspirada en la película": the film is what the thing is named after.
  const homage = scan.get(topic.namesakes.homage);
  const modelled = (m: Match) => homage.some((h) => (h.end <= m.start ? unbroken(tokens, h.end, m.start) : m.end <= h.start && unbroken(tokens, m.end, h.start)));
  return film.every((m) => unrelated(m) || modelled(m)) ? other.label : undefined;
}

/**
 * Whether a match stands after one of `namesakes.unrelated` in its sentence ("não tem relação com
 * o filme", "ni con lo que uno esperaría de una continuación"): what the item says it is not.
 */
export function disowned(tokens: string[], scan: Scan, topic: Topic): (m: Match) => boolean {
  const phrases = scan.get(topic.namesakes.unrelated);
  if (phrases.length === 0) return () => false;
  return (m) =>
    phrases.some((p) => {
      if (p.end > m.start) return false;
      for (let i = p.end; i < m.start; i++) if (tokens[i] === BREAK) return false;
      return true;
    });
}

interface Probe {
  /** An anchor or a name of the film's world (group 1), or an actor of one of its parts (group 2): Latin script, then Japanese. */
  latin: RegExp;
  /**
   * Whether `latin` can match at all: the same names, but a whole name takes the character before
   * it instead of looking behind for it. Some three times faster on text that names none of them
   * (most items), because the search tries its names only where a word starts.
   */
  latinAny: RegExp;
  japanese: RegExp;
  /** Per part: its actor and its character, each probed as above. */
  roles: Array<{ actor: RegExp; character: RegExp }>;
  runs: RunFolder;
}

/** Runs remembered per probe before the memo starts over. */
const FOLDS_MAX = 4096;

/**
 * Folds the runs of letters outside ASCII in a text, one at a time (foldRuns), noting whether any
 * folded run could hold a Japanese name: a unit at U+2E80 or above (radicals, kana, kanji, and
 * anything else that high). An accented European text has none, and searching it for the Japanese
 * names was a pass over every character of it (a tenth of the probe's regex work on long items).
 */
class RunFolder {
  wide = false;
  /**
   * Short runs, folded: a European text repeats a few (é, ü, ß, ñ) hundreds of times, and folding
   * each again (NFKD, a regex, lower case) was half of the probe's time on long items in other languages.
   */
  private readonly folds = new ShortMemo((run) => foldCharacters(withoutInvisible(run)), FOLDS_MAX);

  readonly fold = (run: string): string => {
    const folded = this.folds.get(run);
    if (!this.wide) {
      for (let i = 0; i < folded.length; i++) {
        if (folded.charCodeAt(i) >= 0x2e80) {
          this.wide = true;
          break;
        }
      }
    }
    return folded;
  };
}

const probes = new WeakMap<Topic, Probe>();

const escape = (word: string) => word.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const cjk = new RegExp(CJK.source, 'u');

/**
 * Between a Japanese term's words: anything but a kana or kanji letter (the middle dot ・ and the
 * other marks of those blocks may stand there). Looser than "no letter" (the full
 * matcher decides), and compiled in kilobytes where a Unicode property class, repeated between the
 * words of every term, took V8 some 30 MiB of memory to compile.
 */
const NOT_KANA_OR_KANJI = '[^\\u3041-\\u3096\\u309d-\\u309f\\u30a1-\\u30fa\\u30fc-\\u30ff\\u3400-\\u4dbf\\u4e00-\\u9fff]*';

/**
 * A term's words as raw text may join or part them: "Iron City", "Iron-City", "IronCity"; and
 * Japanese, one token a character, anything but a letter between them: アイアン・シティ.
 */
function phrase(term: CompiledTerm): { text: string; japanese: boolean } {
  const japanese = cjk.test(term.words[0]!.text);
  return { text: term.words.map((word) => escape(word.text)).join(japanese ? NOT_KANA_OR_KANJI : '[^a-z0-9]*'), japanese };
}

/** Alternatives as one group; a group of none never matches (an empty one would match everywhere). */
const group = (alternatives: string[]) => `(${alternatives.length > 0 ? [...new Set(alternatives)].join('|') : '(?!)'})`;

/**
 * Names that need company or could be inside other words, whole ("ido" or "ed" inside other
 * words would send most items to the full matcher); anchors anywhere (as ever: "#AlitaArmy").
 */
function alternatives(terms: CompiledTerm[], japanese: boolean, bounded: boolean): string[] {
  const texts = terms.map(phrase).filter((p) => p.japanese === japanese).map((p) => p.text);
  if (japanese || !bounded || texts.length === 0) return texts;
  return [`(?<![a-z0-9])(?:${[...new Set(texts)].join('|')})(?![a-z0-9])`];
}

/**
 * The probe: an anchor anywhere, its words in a row ("Iron City", not "Iron Meridian" or
 * "change"), the names of the film's world whole (Dr. Ido, Zalem), and a part's actor only with
 * a word of its character (Christoph Waltz alone is no mention).
 */
function probeOf(topic: Topic): Probe {
  const { anchors } = topic;
  const { terms, roles } = topic.characters;
  const actors = roles.flatMap((role) => role.actor);
  const names = (japanese: boolean) =>
    `${group([...alternatives(anchors, japanese, false), ...alternatives(terms, japanese, true)])}|${group(alternatives(actors, japanese, true))}`;
  const either = (list: CompiledTerm[]) => new RegExp(group([...alternatives(list, false, true), ...alternatives(list, true, true)]), 'iu');
  const latin = (list: CompiledTerm[]) => [...new Set(list.map(phrase).filter((p) => !p.japanese).map((p) => p.text))];
  const whole = latin([...terms, ...actors]);
  return {
    // Case-insensitive: the text is searched as written, not copied in lower case (see probeWords).
    latin: new RegExp(names(false), 'gi'),
    latinAny: new RegExp([byFirstLetter(latin(anchors)), ...(whole.length > 0 ? [`(?:^|[^a-z0-9])(?:${byFirstLetter(whole)})(?![a-z0-9])`] : [])].filter(Boolean).join('|') || '(?!)', 'i'),
    japanese: new RegExp(names(true), 'gu'),
    roles: roles.map((role) => ({ actor: either(role.actor), character: either(role.character) })),
    runs: new RunFolder(),
  };
}

/** Builds the probe of `topic` now (the parse worker, as it starts); whether it is built. */
export function prepareProbe(topic: Topic): boolean {
  probeFor(topic);
  return probes.has(topic);
}

function probeFor(topic: Topic): Probe {
  let probe = probes.get(topic);
  if (!probe) {
    probe = probeOf(topic);
    probes.set(topic, probe);
  }
  return probe;
}

/**
 * Alternatives grouped by their first letters (alita|angel|battle → a(?:lita|ngel)|battle): the
 * same words, found some 25 % faster, because the search tries each group once. Only for a yes or
 * no search (latinAny): which of two alternatives matches first may change.
 */
function byFirstLetter(alternatives: string[], depth = 2): string {
  if (depth === 0) return alternatives.join('|');
  const groups = new Map<string, string[]>();
  const rest: string[] = [];
  for (const alternative of alternatives) {
    const first = alternative[0];
    if (first === undefined || !/[a-z0-9]/.test(first)) rest.push(alternative);
    else groups.set(first, [...(groups.get(first) ?? []), alternative.slice(1)]);
  }
  const grouped = [...groups].map(([first, tails]) => (tails.length === 1 ? first + tails[0] : `${first}(?:${byFirstLetter(tails, depth - 1)})`));
  return [...grouped, ...rest].join('|');
}

/** 'name' when a name shows (group 1), 'actor' when only an actor of a part does (group 2); the Japanese names only if `wide`. */
function namesIn(probe: Probe, text: string, wide: boolean): 'name' | 'actor' | undefined {
  let actor = false;
  for (const names of wide ? [probe.latin, probe.japanese] : [probe.latin]) {
    // No exact match starts before the quick search's first (each starts one there or just after).
    const from = names === probe.latin ? (probe.latinAny.exec(text)?.index ?? -1) : 0;
    if (from < 0) continue;
    names.lastIndex = from;
    for (let m = names.exec(text); m; m = names.exec(text)) {
      if (m[1] !== undefined) return 'name';
      actor = true;
    }
  }
  return actor ? 'actor' : undefined;
}

/**
 * False only when no name of Alita can be in the text, searched in folded text with invisible
 * characters and markup left in (a tag between letters just makes this say "maybe").
 */
export function mayMention(fields: string[], topic: Topic): boolean {
  const probe = probeFor(topic);
  const text = fields.join(' ');
  // Entities or markup could hide a letter from this quick look; then the full matcher decides.
  if (/[&<]/.test(text)) return true;
  return probeWords(probe, [text]);
}

/**
 * mayMention for words already free of markup and entities (text.ts's wordsForProbe), where an
 * `&` is only an ampersand.
 */
export function mayMentionWords(fields: string[], topic: Topic): boolean {
  return probeWords(probeFor(topic), fields);
}

/**
 * Field by field: no name spans two fields (the full matcher puts breaks between them), and
 * joining them copied every item's text once more, as lower-casing it did; the two copies were a
 * fifth of what the parse worker allocated on film news.
 */
function probeWords(probe: Probe, fields: string[]): boolean {
  let actor = false;
  const texts: string[] = [];
  for (const field of fields) {
    const nonAscii = NON_ASCII.test(field);
    const text = nonAscii ? foldRuns(probe, field) : field;
    const found = namesIn(probe, text, nonAscii && probe.runs.wide);
    if (found === 'name') return true;
    if (found === 'actor') actor = true;
    texts.push(text);
  }
  // An actor is a mention with a word of their part, in the same item.
  return actor && probe.roles.some((role) => texts.some((text) => role.actor.test(text)) && texts.some((text) => role.character.test(text)));
}

/**
 * Folding (NFKD, marks dropped, lower case) is for the letters outside ASCII, a few in a European
 * text: the runs of them are folded alone (no decomposition reaches across an ASCII character),
 * not the whole article, which cost a regex over every character of it.
 */
function foldRuns(probe: Probe, text: string): string {
  probe.runs.wide = false;
  // Invisible characters are all outside ASCII: each run drops its own as it is folded.
  return text.replace(/[^\x00-\x7f]+/g, probe.runs.fold);
}
