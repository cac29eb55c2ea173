import { readFileSync } from 'node:fs';
import { BREAK, foldForMatching } from './tokens.ts';
import { dataFile } from '../data-dir.ts';

/** A term as moderators write it in topic.json: words, each with an optional trailing *. */
export interface CompiledTerm {
  source: string;
  words: Array<{ text: string; prefix: boolean }>;
}

/** `first` then, within `gap` words, `then` ("second … film"). */
export interface CompiledPair {
  first: CompiledTerm[];
  then: CompiledTerm[];
  gap: number;
  /** When given, the only words allowed in the gap. */
  via?: CompiledTerm[];
  notFollowedBy: CompiledTerm[];
  /** Words that, just before `first`, make it something else ("lire la" suite, "<start>" Part 2). */
  notPrecededBy: CompiledTerm[];
  /** When given, at least this many words stand between `first` and `then` ("si on m'appelle", not "se llama"). */
  minGap?: number;
  /** When given, `first` counts only right after one of these ("a" part two, "the" second). */
  precededBy?: CompiledTerm[];
  /** Not counted in an item with noise: "returns to theaters", "again on TV" is a re-release. */
  unlessNoise?: boolean;
}

/** A character of the film and the actor who played it: together they name the film. */
export interface CompiledRole {
  actor: CompiledTerm[];
  character: CompiledTerm[];
}

export interface Topic {
  threshold: number;
  anchors: CompiledTerm[];
  credentials: CompiledTerm[];
  /** The same said before the name: "the star of Alita", "el actor de Alita". */
  credentialsBefore: CompiledTerm[];
  /**
   * A clause that credits a person with a part: `opens` it before the name ("who played Dr. Ido in
   * Alita", "que foi o Dr. Ido em Alita"), `closes` it after ("『アリータ』のチレン役で知られる"), at most
   * `gap` words away in the same sentence. A name inside one is a credential.
   */
  creditClauses: { opens: CompiledTerm[]; closes: CompiledTerm[]; gap: number };
  /**
   * `context`: words that put a film around a sequel title (a release, a box office, a shoot, a
   * studio). A bare "Alita 2" with none of them, no word of the film (`namesakes.filmWords`), no
   * other name of its world and no other evidence names a horse, a boat or a book as often as the film.
   */
  sequelTitles: { weight: number; pair: CompiledPair; context: CompiledTerm[] };
  sequelCues: { weight: number; terms: CompiledTerm[] };
  sequelPairs: { weight: number; pairs: CompiledPair[] };
  hints: { weight: number; terms: CompiledTerm[] };
  people: { weight: number; terms: CompiledTerm[] };
  /**
   * `distance`: how many words from a going-back phrase (pairs with unlessNoise) a noise word still
   * makes it a re-release; "Week in Review" heading a round-up does not undo "going back to Iron
   * City" three sentences on. Without it, any noise in the item does.
   */
  noise: { weight: number; terms: CompiledTerm[]; distance: number };
  otherWorks: CompiledTerm[];
  /**
   * Another work named by its sequel: one of `sequels`, one of `links` ("of", "de", "di"), then a
   * word none of `ours` (articles, possessives, names of Alita's world and people) nor a number,
   * with no name of Alita in the next `window` words: "la sequela de 'Carnage'", "il sequel di Night Swim".
   */
  sequelOf: { sequels: CompiledTerm[]; links: CompiledTerm[]; ours: CompiledTerm[]; window: number };
  /** Names of the film's world that name it alone (Zalem, Dr. Ido), and actor + character pairs. */
  characters: { terms: CompiledTerm[]; roles: CompiledRole[] };
  /**
   * Words showing that "Alita" names something else (a robot vacuum, a song), unless a film word
   * is there. `distance`: how many words from a name of Alita such a word still speaks for it.
   * `unrelated`: "aucun lien avec", "não tem relação com": a film or sequel word after one, in its
   * sentence, does not count. `named`: "se llama", "si chiama", "is called" just before a name of Alita
   * (or one word before: "si chiama letteralmente Alita 2"): the item says something is called Alita.
   * `people`: the namesake words that make Alita a person (a daughter, a grandmother), not when a sequel
   * phrase holds the name ("il seguito di Alita si farà mai? Mio figlio me lo chiede").
   */
  namesakes: {
    terms: CompiledTerm[];
    filmWords: CompiledTerm[];
    unrelated: CompiledTerm[];
    distance: number;
    named: CompiledTerm[];
    people: CompiledTerm[];
    /** "Inspired by", "named after", "にちなんで": a film word in their sentence is the model of the namesake, not its subject. */
    homage: CompiledTerm[];
  };
  /** A feed whose title or description names one of these is about Alita; `distance`: see relevance.ts. */
  aboutFeeds: { terms: CompiledTerm[]; distance: number };
  /** The fans' campaign for the sequel: petitions, billboards (strong, like a sequel cue). */
  campaign: { weight: number; terms: CompiledTerm[] };
  /**
   * Coming back, counted only in an item that names one of `cast`: in a feed about Alita anywhere,
   * elsewhere only within `distance` words of a name of Alita in an item that names no other work.
   */
  comebacks: { weight: number; terms: CompiledTerm[]; cast: CompiledTerm[]; distance: number };
  /** Words that mean the next film only in a feed about Alita ("next time", "la prochaine fois", 次作). */
  fanCues: { weight: number; terms: CompiledTerm[] };
  /**
   * Words just before (or, in Japanese, after) a name of Alita that say the item is not about it ("ma non per Alita");
   * `afterCue`: words right after a sequel word (a clause break between allowed) that take it back ("une suite, mais pas celle que vous croyez").
   */
  negations: { before: CompiledTerm[]; after: CompiledTerm[]; afterCue: CompiledTerm[] };
  /**
   * The manga: `terms` name it (manga, mangaka, Kodansha, Last Order); `reading`, reading it
   * (ler o mangá, reading order); `film`, the film's making (film, Rodriguez, Disney). An item with
   * a manga word, and a reading word or no film word, is about how the manga goes on.
   */
  manga: { terms: CompiledTerm[]; reading: CompiledTerm[]; film: CompiledTerm[] };
}

export class TopicConfigError extends Error {}

type Json = Record<string, unknown>;

function compileTerm(source: string, where: string): CompiledTerm {
  // "<end>" or "<start>" alone (a sentence or field boundary, or either end of the item, for then /
  // notFollowedBy / notPrecededBy) is read by the same split: an array literal of its own gave
  // those terms' words another map, and findPairs' optimised code, met with one, was dropped.
  const words = source
    .trim()
    .split(/\s+/)
    .flatMap((word) => {
      // "<end> 火星戦記": past a sentence or field boundary.
      if (word === '<end>' || word === '<start>') return [{ text: BREAK, prefix: false }];
      const prefix = word.endsWith('*');
      const parts = foldForMatching(word.replace(/\*+$/, ''));
      return parts.map((text, i) => ({ text, prefix: prefix && i === parts.length - 1 }));
    });
  if (words.length === 0) throw new TopicConfigError(`topic: empty term "${source}" in ${where}`);
  return { source, words };
}

function terms(raw: unknown, where: string, required = true): CompiledTerm[] {
  if (raw === undefined && !required) return [];
  if (!Array.isArray(raw) || raw.some((t) => typeof t !== 'string')) throw new TopicConfigError(`topic: "${where}" must be a list of strings`);
  return raw.map((term: string) => compileTerm(term, where));
}

function section(file: Json, name: string): Json {
  const value = file[name];
  if (!value || typeof value !== 'object') throw new TopicConfigError(`topic: "${name}" is missing`);
  return value as Json;
}

function weight(group: Json, name: string): number {
  const value = group.weight;
  if (typeof value !== 'number' || !Number.isFinite(value)) throw new TopicConfigError(`topic: "${name}.weight" must be a number`);
  return value;
}

function pair(raw: Json, where: string): CompiledPair {
  const gap = raw.gap ?? 0;
  if (typeof gap !== 'number' || gap < 0 || !Number.isInteger(gap)) throw new TopicConfigError(`topic: "${where}.gap" must be a whole number`);
  // Every field present, the optional ones undefined: pairs of one shape are read by code V8
  // optimises once, where a shape per mix of options made findPairs' optimised code be dropped.
  const compiled: CompiledPair = {
    first: terms(raw.first, `${where}.first`),
    then: terms(raw.then, `${where}.then`, false),
    gap,
    via: undefined,
    notFollowedBy: terms(raw.notFollowedBy, `${where}.notFollowedBy`, false),
    notPrecededBy: terms(raw.notPrecededBy, `${where}.notPrecededBy`, false),
    minGap: undefined,
    precededBy: undefined,
    unlessNoise: undefined,
  };
  if (raw.via !== undefined) compiled.via = terms(raw.via, `${where}.via`);
  if (raw.minGap !== undefined) {
    if (typeof raw.minGap !== 'number' || raw.minGap < 0 || !Number.isInteger(raw.minGap) || raw.minGap > gap) throw new TopicConfigError(`topic: "${where}.minGap" must be a whole number no larger than gap`);
    compiled.minGap = raw.minGap;
  }
  if (raw.precededBy !== undefined) compiled.precededBy = terms(raw.precededBy, `${where}.precededBy`);
  if (raw.unlessNoise !== undefined && typeof raw.unlessNoise !== 'boolean') throw new TopicConfigError(`topic: "${where}.unlessNoise" must be true or false`);
  if (raw.unlessNoise) compiled.unlessNoise = true;
  return compiled;
}

function entry(raw: unknown, where: string): Json {
  if (!raw || typeof raw !== 'object' || Array.isArray(raw)) throw new TopicConfigError(`topic: "${where}" must be an object`);
  return raw as Json;
}

function weighted(file: Json, name: string): { weight: number; terms: CompiledTerm[] } {
  const group = section(file, name);
  return { weight: weight(group, name), terms: terms(group.terms, `${name}.terms`) };
}

/** Validates and compiles the rule once, so judging an item does no parsing. */
export function compileTopic(raw: unknown): Topic {
  if (!raw || typeof raw !== 'object' || Array.isArray(raw)) throw new TopicConfigError('topic: not a JSON object');
  const file = raw as Json;
  if (typeof file.threshold !== 'number') throw new TopicConfigError('topic: "threshold" must be a number');
  const anchors = terms(file.anchors, 'anchors');
  if (anchors.length === 0) throw new TopicConfigError('topic: "anchors" must not be empty');
  const titles = section(file, 'sequelTitles');
  const pairs = section(file, 'sequelPairs');
  if (!Array.isArray(pairs.pairs)) throw new TopicConfigError('topic: "sequelPairs.pairs" must be a list');
  return {
    threshold: file.threshold,
    anchors,
    // Optional: a rule without credentials treats every Alita mention alike.
    credentials: terms((file.credentials as Json | undefined)?.terms, 'credentials.terms', false),
    credentialsBefore: terms((file.credentials as Json | undefined)?.before, 'credentials.before', false),
    creditClauses: creditClauses((file.credentials ?? {}) as Json),
    // Optional: without `context`, a sequel title stands on its own (as it did before it).
    sequelTitles: { weight: weight(titles, 'sequelTitles'), pair: pair(titles, 'sequelTitles'), context: terms(titles.context, 'sequelTitles.context', false) },
    sequelCues: weighted(file, 'sequelCues'),
    sequelPairs: { weight: weight(pairs, 'sequelPairs'), pairs: pairs.pairs.map((p: unknown, i: number) => pair(entry(p, `sequelPairs.pairs[${i}]`), `sequelPairs.pairs[${i}]`)) },
    hints: weighted(file, 'hints'),
    people: weighted(file, 'people'),
    noise: { ...weighted(file, 'noise'), distance: noiseDistance(section(file, 'noise').distance) },
    otherWorks: terms(section(file, 'otherWorks').terms, 'otherWorks.terms'),
    sequelOf: sequelOf(section(file, 'otherWorks').sequelOf),
    ...extensions(file),
  };
}

function wholeNumber(value: unknown, key: string, fallback: number): number {
  const n = value ?? fallback;
  if (typeof n !== 'number' || n < 0 || !Number.isInteger(n)) throw new TopicConfigError(`topic: "${key}" must be a whole number`);
  return n;
}

/** Optional: without clauses, only the words right beside a name make it a credential. */
function creditClauses(credentials: Json): Topic['creditClauses'] {
  return {
    opens: terms(credentials.clauses, 'credentials.clauses', false),
    closes: terms(credentials.clausesAfter, 'credentials.clausesAfter', false),
    gap: wholeNumber(credentials.clauseGap, 'credentials.clauseGap', 0),
  };
}

/** Optional: without it, a sequel word is never taken for another work's by the word after it. */
function sequelOf(raw: unknown): Topic['sequelOf'] {
  if (raw === undefined) return { sequels: [], links: [], ours: [], window: 0 };
  const group = entry(raw, 'otherWorks.sequelOf');
  return {
    sequels: terms(group.sequels, 'otherWorks.sequelOf.sequels'),
    links: terms(group.links, 'otherWorks.sequelOf.links'),
    ours: terms(group.ours, 'otherWorks.sequelOf.ours'),
    window: wholeNumber(group.window, 'otherWorks.sequelOf.window', 4),
  };
}

function noiseDistance(raw: unknown): number {
  if (raw === undefined) return Infinity;
  if (typeof raw !== 'number' || raw < 0 || !Number.isInteger(raw)) throw new TopicConfigError('topic: "noise.distance" must be a whole number');
  return raw;
}

/** The newer sections: optional, so a rule written before them still loads (and means what it did). */
function extensions(file: Json): Pick<Topic, 'characters' | 'namesakes' | 'aboutFeeds' | 'campaign' | 'comebacks' | 'fanCues' | 'negations' | 'manga'> {
  const characters = (file.characters ?? {}) as Json;
  const namesakes = (file.namesakes ?? {}) as Json;
  const aboutFeeds = (file.aboutFeeds ?? {}) as Json;
  const negations = (file.negations ?? {}) as Json;
  const manga = (file.manga ?? {}) as Json;
  const roles = characters.roles ?? [];
  if (!Array.isArray(roles)) throw new TopicConfigError('topic: "characters.roles" must be a list');
  const distance = wholeNumber(aboutFeeds.distance, 'aboutFeeds.distance', 6);
  return {
    characters: {
      terms: terms(characters.terms, 'characters.terms', false),
      roles: roles.map((raw: unknown, i: number) => {
        const role = entry(raw, `characters.roles[${i}]`);
        return { actor: terms(role.actor, `characters.roles[${i}].actor`), character: terms(role.character, `characters.roles[${i}].character`) };
      }),
    },
    namesakes: {
      terms: terms(namesakes.terms, 'namesakes.terms', false),
      filmWords: terms(namesakes.filmWords, 'namesakes.filmWords', false),
      unrelated: terms(namesakes.unrelated, 'namesakes.unrelated', false),
      distance: wholeNumber(namesakes.distance, 'namesakes.distance', 12),
      named: terms(namesakes.named, 'namesakes.named', false),
      people: terms(namesakes.people, 'namesakes.people', false),
      homage: terms(namesakes.homage, 'namesakes.homage', false),
    },
    aboutFeeds: { terms: terms(aboutFeeds.terms, 'aboutFeeds.terms', false), distance },
    campaign: file.campaign === undefined ? { weight: 0, terms: [] } : weighted(file, 'campaign'),
    comebacks:
      file.comebacks === undefined
        ? { weight: 0, terms: [], cast: [], distance: -1 }
        : {
            ...weighted(file, 'comebacks'),
            cast: terms(section(file, 'comebacks').cast, 'comebacks.cast'),
            // Outside a feed about Alita: how near a name of Alita a comeback word must stand (not given: never there).
            distance: section(file, 'comebacks').distance === undefined ? -1 : wholeNumber(section(file, 'comebacks').distance, 'comebacks.distance', 0),
          },
    fanCues: file.fanCues === undefined ? { weight: 0, terms: [] } : weighted(file, 'fanCues'),
    manga: { terms: terms(manga.terms, 'manga.terms', false), reading: terms(manga.reading, 'manga.reading', false), film: terms(manga.film, 'manga.film', false) },
    negations: {
      before: terms(negations.before, 'negations.before', false),
      after: terms(negations.after, 'negations.after', false),
      afterCue: terms(negations.afterCue, 'negations.afterCue', false),
    },
  };
}

export const DEFAULT_TOPIC_PATH = dataFile('topic.json');

export function loadTopic(path: string | URL = DEFAULT_TOPIC_PATH): Topic {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new TopicConfigError(`topic: cannot read ${String(path)} (${(error as Error).message})`);
  }
  try {
    return compileTopic(JSON.parse(text));
  } catch (error) {
    if (error instanceof TopicConfigError) throw error;
    throw new TopicConfigError(`topic: ${String(path)} is not valid JSON (${(error as Error).message})`);
  }
}
