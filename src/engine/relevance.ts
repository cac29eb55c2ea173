import { distance, distinctLabels, endsAt, findPairs, firstAt, mergeAdjacent, nearest, outermost, type Match } from './match.ts';
import { disowned, findMentions, mayMention, namesake, prepareProbe } from './mentions.ts';
import { inCreditClause, sequelsOfOthers } from './other-works.ts';
import { prepareScans, scanItem, type Scan } from './scan.ts';
import type { Topic } from './topic.ts';
import { opensFullText } from './text.ts';
import { BREAK, itemTokens, spellAt, type Sentences } from './tokens.ts';
import type { Verdict } from './types.ts';
import { hasVocabulary, vocabularyOf } from './vocabulary.ts';

export interface JudgeInput {
  title: string;
  summary?: string;
  /** Full text or HTML content; matched like the summary. */
  fullText?: string;
}

export interface JudgeOptions {
  /**
   * Why the item's feed is about Alita (flagged so, or its title names the film), when it is:
   * then the item need not name Alita itself, only the sequel. Every other guard still applies.
   */
  aboutAlita?: string;
  /**
   * The caller's probe found that the item may name Alita, on text holding every word of it
   * (analyze.ts's lean look at its markup): the full matcher decides at once.
   */
  probed?: boolean;
  /**
   * The fields are as normalize.ts leaves them (htmlToText): plain text, its markup and entities
   * read and its invisible characters and controls gone. The tokenizer reads them as they are,
   * without searching every word of a long article for those again, and an `&` or `<` in them is
   * the character a reader sees ("AT&T", "&notice" written out), not markup to read a second time.
   */
  normalised?: boolean;
}

/**
 * Builds what judging items by `topic` reads, which is otherwise built by the first item that
 * needs it: the vocabulary, the term tries of the item scan and the feed's context, and the
 * probe (some 80 ms on this rule). The parse worker calls it as it starts, so a bot's first poll
 * does not pay for it. Returns whether all of it is built.
 */
export function prepareJudging(topic: Topic): boolean {
  vocabularyOf(topic);
  byRole(topic);
  const scans = prepareScans(topic);
  const probe = prepareProbe(topic);
  return hasVocabulary(topic) && roleLabels.has(topic) && scans && probe;
}

const roleLabels = new WeakMap<Topic, Set<string>>();

/** The words that name Alita only beside an actor (Nova with Edward Norton), not on their own. */
function byRole(topic: Topic): Set<string> {
  let labels = roleLabels.get(topic);
  if (!labels) {
    const alone = new Set([...topic.anchors, ...topic.characters.terms].map((t) => t.source));
    labels = new Set(topic.characters.roles.flatMap((role) => role.character.map((t) => t.source)).filter((source) => !alone.has(source)));
    roleLabels.set(topic, labels);
  }
  return labels;
}

/**
 * Whether anything but the sequel title itself says "film": a word of the film or its trade (a
 * release, a box office, a studio), or a name of Alita's world other than the title's own.
 */
function filmAround(tokens: string[], scan: Scan, topic: Topic, names: Match[], titles: Match[]): boolean {
  if (scan.get(topic.namesakes.filmWords).length > 0 || scan.get(topic.sequelTitles.context).length > 0) return true;
  return names.some((m) => !titles.some((t) => t.start <= m.start && m.end <= t.end) && !bare(tokens, m));
}

/** "Alita" alone, the name every namesake shares (not Battle Angel, not Iron City, not アリータ). */
function bare(tokens: string[], m: Match): boolean {
  return m.end - m.start === 1 && (tokens[m.start] === 'alita' || tokens[m.start] === 'alitas');
}

/**
 * A word of the manga, and either a word of reading it or (outside a feed about Alita, which stands
 * for the film) no word of the film's making; and no counted phrase names the film itself ("the next Alita film").
 */
function aboutManga(scan: Scan, topic: Topic, about: boolean, counted: Match[]): boolean {
  const { terms, reading, film } = topic.manga;
  if (terms.length === 0 || scan.get(terms).length === 0) return false;
  const films = scan.get(film);
  if (counted.some((c) => films.some((f) => c.start <= f.start && f.end <= c.end))) return false;
  return scan.get(reading).length > 0 || (!about && films.length === 0);
}

function signed(n: number): string {
  return n >= 0 ? `+${n}` : String(n);
}

const NO_MENTION = 'no mention of Alita';

// The two helpers below are judge's, at module level: made inside judge, a new function each call,
// V8 optimised them again and again in a cycle (count five times, deniedAfter four: some 45 ms).

/** "Mon prochain film est une suite, mais pas celle que vous croyez": a cue denied as soon as said. */
function deniedAfter(tokens: string[], topic: Topic, m: Match): boolean {
  return firstAt(tokens, tokens[m.end] === BREAK ? m.end + 1 : m.end, topic.negations.afterCue) !== undefined;
}

/** What judge has counted so far: the matches, and a reason per label. */
interface Tally {
  counted: Match[];
  reasons: string[];
}

/** Counts `matches` as `kind` of `weight`: each label once, in the reasons. */
function count(tally: Tally, matches: Match[], kind: string, weight: number): number {
  for (const m of matches) tally.counted.push(m);
  const distinct = distinctLabels(matches);
  for (const m of distinct) tally.reasons.push(`${kind}: ${m.label} (${signed(weight)})`);
  return distinct.length * weight;
}

/** The verdict on an item that names Alita nowhere: analyze.ts gives it too, to items it judges from their markup. */
export function noMention(): Verdict {
  return { relevant: false, reasons: [NO_MENTION] };
}

/**
 * The sequel pairs' matches, pair by pair ("unlessNoise" ones not beside a re-release). A loop of
 * its own, not flatMap in judge: the rule has some sixty pairs and an item's scan found the first
 * words of a few; the others cost a call and an array each, a third of judge's own time on long items.
 */
function sequelPairsIn(tokens: string[], scan: Scan, topic: Topic, noise: Match[], rerelease: (m: Match) => boolean): Match[] {
  const pairs: Match[] = [];
  const { pairs: all } = topic.sequelPairs;
  for (let p = 0; p < all.length; p++) {
    const pair = all[p]!;
    const unless = pair.unlessNoise === true && noise.length > 0;
    if (unless && topic.noise.distance === Infinity) continue;
    const firsts = scan.get(pair.first);
    if (firsts.length === 0) continue;
    const found = findPairs(tokens, pair, firsts);
    for (let k = 0; k < found.length; k++) if (!unless || !rerelease(found[k]!)) pairs.push(found[k]!);
  }
  return pairs;
}

/**
 * Decides whether an item is about the Alita sequel. It must name Alita (or come from a feed
 * about Alita), and then either name the sequel (Alita 2), use a sequel word that belongs to
 * Alita rather than to another work standing nearer to it, or gather enough weaker hints.
 * Every verdict lists its reasons.
 */
export function judge(input: JudgeInput, topic: Topic, options: JudgeOptions = {}): Verdict {
  const summary = input.summary ?? '';
  const fullText = input.fullText ?? '';
  // A summary that is the article's opening holds the full text's words: they are read once.
  const fields = opensFullText(summary, fullText) ? [input.title, fullText] : [input.title, summary, fullText];
  const about = options.aboutAlita;
  // Most items of a feed never name Alita: a cheap look for an anchor's first word comes first.
  if (!about && !options.probed && !mayMention(fields, topic)) return noMention();
  // (A feed about Alita is judged whole: its items need not name Alita.)
  // Words no term matches are placeholders (topic-tokens.ts); spelled out only for a reason that
  // names one, by folding that word's sentence again (whole items were 2 % of judging long items).
  const sentences: Sentences = { texts: [], marks: [] };
  const tokens = itemTokens(fields, vocabularyOf(topic), options.normalised, sentences);
  const spell = (at: number) => spellAt(sentences, at)!;
  const scan = scanItem(tokens, topic);
  const found = findMentions(tokens, topic, scan);
  if (found.matches.length === 0 && !about) return noMention();
  const context = about ? { aboutAlita: about } : {};
  const reasons = about ? [`feed about Alita: ${about}`, ...found.reasons] : found.reasons;
  const others = [...scan.get(topic.otherWorks), ...sequelsOfOthers(tokens, scan, topic, found.matches, spell)];
  // "Ma non per Alita", "not for Alita": named as what the item is not about.
  const { before, after } = topic.negations;
  const denied = found.matches.filter((m) => endsAt(tokens, m.start, before) || firstAt(tokens, m.end, after) !== undefined);
  for (const m of denied) reasons.push(`named as what it is not: ${m.label}`);
  // "Alita" inside another work's name (the manga sequel Battle Angel Alita: Mars Chronicle) is that work.
  const holds = (o: Match, m: Match) => o.start <= m.start && m.end <= o.end;
  const names = found.matches.filter((m) => !denied.includes(m) && !others.some((o) => holds(o, m)));
  if (denied.length > 0 && names.length === 0 && !about) return { relevant: false, reasons: [...reasons, NO_MENTION], ...context };
  if (names.length + denied.length < found.matches.length) {
    for (const o of others.filter((o) => found.matches.some((m) => holds(o, m)))) reasons.push(`part of another work's name: ${o.label}`);
    if (names.length === 0 && !about) return { relevant: false, reasons: [...reasons, NO_MENTION], ...context };
  }
  // "Un juego que se llama «Alita 2»", "si chiama letteralmente Alita 2": the item says something
  // is called Alita, and then its Alita 2 (in the title too) is that thing's name, film words or not.
  const calledSo = (m: Match) => endsAt(tokens, m.start, topic.namesakes.named) || (m.start > 0 && tokens[m.start - 1] !== BREAK && endsAt(tokens, m.start - 1, topic.namesakes.named));
  const called = names.find(calledSo);
  if (called) {
    reasons.push(`a name given to something: ${called.label}`);
    if (!about) return { relevant: false, reasons: [...reasons, `score 0 < ${topic.threshold}`], ...context };
  }
  // "Alita 2 robot vacuum", "'Alita', the novel": the name, not the film.
  // A relative ("mio figlio me lo chiede") makes Alita a girl's name only when no sequel phrase
  // holds the name itself: "il seguito di Alita" is the film's, whoever asks for it.
  const bound = (label: string) =>
    topic.namesakes.people.some((t) => t.source === label) &&
    topic.sequelPairs.pairs.some((pair) => findPairs(tokens, pair, scan.get(pair.first)).some((p) => names.some((m) => holds(p, m))));
  const found0 = names.length > 0 ? namesake(scan, topic, tokens, names) : undefined;
  const other = found0 && !bound(found0) ? found0 : undefined;
  if (other) return { relevant: false, reasons: [...reasons, `not the film: Alita names something else here (${other})`, `score 0 < ${topic.threshold}`], ...context };
  // "The Alita star", "el actor de Alita" name a person; they only speak for Alita when no other work is in sight.
  const mentions = mergeAdjacent(names);
  const credited = inCreditClause(tokens, scan, topic);
  const credentials = mentions.filter(
    (m) => firstAt(tokens, m.end, topic.credentials) !== undefined || endsAt(tokens, m.start, topic.credentialsBefore) || credited(m),
  );
  // "Vuelve a un papel conocido... pero no es Hugo" (and "el actor de Alita" for the rest): the item says what it is not.
  if (denied.length > 0 && !about && credentials.length === mentions.length) {
    return { relevant: false, reasons: [...reasons, 'Alita otherwise named only as a credential', `score 0 < ${topic.threshold}`], ...context };
  }
  // "Rosa Salazar is back in a motion-capture suit — but not for Alita": once the item says it is
  // not about Alita, an actor's part (her cyborg, her suit) does not name Alita on its own.
  if (denied.length > 0 && !about && names.every((m) => byRole(topic).has(m.label))) {
    return { relevant: false, reasons: [...reasons, 'Alita otherwise named only through an actor\'s part', `score 0 < ${topic.threshold}`], ...context };
  }
  const owners = others.length > 0 ? mentions.filter((m) => !credentials.includes(m)) : mentions;
  const counted: Match[] = [];

  // A cue belongs to the work it stands nearest to; ties go to Alita. In a feed about Alita the
  // feed itself stands `aboutFeeds.distance` words from every cue, unless the item names Alita
  // only as the credential of someone in another work ("Hugo-Darsteller in nem Horrorfilm").
  // Nor when it names Alita only to say what it is not and names another work ("ローサの新作…ガリィとは真逆の役").
  const notAlita = others.length > 0 && ((mentions.length > 0 && owners.length === 0) || (names.length === 0 && denied.length > 0));
  const feedDistance = about && !notAlita ? topic.aboutFeeds.distance : Infinity;
  const unrelated = disowned(tokens, scan, topic);
  const ours = (matches: Match[]): Match[] =>
    matches.filter((m) => {
      // "Nada que ver con la peli, ni con lo que uno esperaría de una continuación."
      if (unrelated(m)) {
        reasons.push(`ignored: ${m.label} (said to be unrelated)`);
        return false;
      }
      // "Mon prochain film est une suite, mais pas celle que vous croyez": denied as soon as said.
      if (deniedAfter(tokens, topic, m)) {
        reasons.push(`ignored: ${m.label} (denied right after)`);
        return false;
      }
      const ours = nearest(m, owners);
      const theirs = nearest(m, others);
      const near = ours ? distance(m, ours) : Infinity;
      if (!theirs ? ours || about : Math.min(near, feedDistance) <= distance(m, theirs)) return true;
      reasons.push(`ignored: ${m.label} (${theirs ? `nearer to ${theirs.label}` : 'Alita only named as a credential'})`);
      return false;
    });
  const tally: Tally = { counted, reasons };

  const noise = scan.get(topic.noise.terms);
  const titles = called ? [] : findPairs(tokens, topic.sequelTitles.pair, scan.get(topic.sequelTitles.pair.first));
  let strong = count(tally, titles, 'sequel title', topic.sequelTitles.weight);
  const titled = strong;
  // "Returns to theaters", "again on TV": a going-back phrase next to a re-release is that re-release.
  // (Within `noise.distance` words: a round-up's "Week in Review" heading undoes nothing three sentences on.)
  const rerelease = (m: Match) => noise.some((n) => distance(m, n) <= topic.noise.distance);
  const pairs = sequelPairsIn(tokens, scan, topic, noise, rerelease);
  strong += count(tally, ours(outermost(pairs, counted)), 'sequel phrase', topic.sequelPairs.weight);
  strong += count(tally, ours(outermost(scan.get(topic.sequelCues.terms), counted)), 'sequel cue', topic.sequelCues.weight);
  const campaign = count(tally, ours(outermost(scan.get(topic.campaign.terms), counted)), 'campaign', topic.campaign.weight);
  strong += campaign;
  // In a feed about Alita, "asked about coming back" is the sequel when a cast member is named
  // and no re-release is; elsewhere "returns" is as often a re-release or another film, so there
  // it counts only in an item that names Alita and no other work at all, within `comebacks.distance`
  // words of the name ("Rosa Salazar: Alita lässt mich nicht los, ich würde sofort zurückkommen";
  // not "Rosa Salazar torna in Italia" with Alita two sentences on).
  const comeback = about || (names.length > 0 && others.length === 0);
  if (comeback && noise.length === 0 && scan.get(topic.comebacks.cast).length > 0) {
    const near = (m: Match) => about || names.some((name) => distance(m, name) <= topic.comebacks.distance);
    strong += count(tally, ours(outermost(scan.get(topic.comebacks.terms), counted)).filter(near), 'comeback', topic.comebacks.weight);
  }
  // In a feed about Alita, "next time" and "the second one" can only mean the next film (not next to a re-release).
  if (about && noise.length === 0) strong += count(tally, ours(outermost(scan.get(topic.fanCues.terms), counted)), 'fan cue', topic.fanCues.weight);
  const hints = count(tally, ours(outermost(scan.get(topic.hints.terms), counted)), 'hint', topic.hints.weight);
  const person = count(tally, distinctLabels(scan.get(topic.people.terms)).slice(0, 1), 'person', topic.people.weight);
  let weak = hints + person;
  // Noise (a Blu-ray review, a re-release) only weighs against hints, never against a sequel cue.
  if (strong === 0 && hints > 0) weak += count(tally, outermost(noise, counted), 'noise', topic.noise.weight);

  // "Unsere Alita II ist wieder im Wasser", "montando «Alita II»": a sequel title that is all the
  // item has, with no film around it (no word of the film, no other name of its world, no feed
  // about Alita), names a boat, a horse or a book as often as the film.
  if (titled > 0 && strong === titled && weak === 0 && !about && topic.sequelTitles.context.length > 0 && !filmAround(tokens, scan, topic, names, titles)) {
    reasons.push('a sequel title with nothing of the film around it');
    strong = 0;
  }
  // "Gunnm: Last Order or Mars Chronicle first?", "ler o mangá depois do filme", "Kishiro: a new manga
  // arc at Kodansha": an item about the manga (a word of the manga, and a word of reading it or none
  // of the film's makers) tells how the manga goes on; only a sequel title or the fans' campaign
  // still speaks for the film there.
  if (titled === 0 && campaign === 0 && strong + weak > 0 && aboutManga(scan, topic, about !== undefined, counted)) {
    reasons.push('about the manga: its continuation, not the film\'s');
    strong = 0;
    weak = 0;
  }
  const score = strong + weak;
  const relevant = (strong > 0 || hints > 0) && score >= topic.threshold;
  reasons.push(`score ${score} ${relevant ? '≥' : '<'} ${topic.threshold}`);
  return { relevant, reasons, ...context };
}
