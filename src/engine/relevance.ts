import { distance, distinctLabels, endsAt, findPairs, firstAt, mergeAdjacent, nearest, outermost, type Match } from './match.ts';
import { disowned, findMentions, mayMention, namesake } from './mentions.ts';
import { scanEvidence } from './scan.ts';
import type { Topic } from './topic.ts';
import { itemTokens } from './tokens.ts';
import type { Verdict } from './types.ts';

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

function signed(n: number): string {
  return n >= 0 ? `+${n}` : String(n);
}

/**
 * Decides whether an item is about the Alita sequel. It must name Alita (or come from a feed
 * about Alita), and then either name the sequel (Alita 2), use a sequel word that belongs to
 * Alita rather than to another work standing nearer to it, or gather enough weaker hints.
 * Every verdict lists its reasons.
 */
export function judge(input: JudgeInput, topic: Topic, options: JudgeOptions = {}): Verdict {
  const fields = [input.title, input.summary ?? '', input.fullText ?? ''];
  const about = options.aboutAlita;
  // Most items of a feed never name Alita: a cheap look for an anchor's first word comes first.
  if (!about && !mayMention(fields, topic)) return { relevant: false, reasons: ['no mention of Alita'] };
  // (A feed about Alita is judged whole: its items need not name Alita.)
  const tokens = itemTokens(fields);
  const found = findMentions(tokens, topic);
  if (found.matches.length === 0 && !about) return { relevant: false, reasons: ['no mention of Alita'] };
  const context = about ? { aboutAlita: about } : {};
  const reasons = about ? [`feed about Alita: ${about}`, ...found.reasons] : found.reasons;
  const scan = scanEvidence(tokens, topic);
  const others = scan.get(topic.otherWorks);
  // "Ma non per Alita", "not for Alita": named as what the item is not about.
  const { before, after } = topic.negations;
  const denied = found.matches.filter((m) => endsAt(tokens, m.start, before) || firstAt(tokens, m.end, after) !== undefined);
  for (const m of denied) reasons.push(`named as what it is not: ${m.label}`);
  // "Alita" inside another work's name (the manga sequel Battle Angel Alita: Mars Chronicle) is that work.
  const holds = (o: Match, m: Match) => o.start <= m.start && m.end <= o.end;
  const names = found.matches.filter((m) => !denied.includes(m) && !others.some((o) => holds(o, m)));
  if (denied.length > 0 && names.length === 0 && !about) return { relevant: false, reasons: [...reasons, 'no mention of Alita'], ...context };
  if (names.length + denied.length < found.matches.length) {
    for (const o of others.filter((o) => found.matches.some((m) => holds(o, m)))) reasons.push(`part of another work's name: ${o.label}`);
    if (names.length === 0 && !about) return { relevant: false, reasons: [...reasons, 'no mention of Alita'], ...context };
  }
  // "Alita 2 robot vacuum", "'Alita', the novel": the name, not the film.
  const other = names.length > 0 ? namesake(scan, topic, tokens, names) : undefined;
  if (other) return { relevant: false, reasons: [...reasons, `not the film: Alita names something else here (${other})`, `score 0 < ${topic.threshold}`], ...context };
  // "The Alita star", "el actor de Alita" name a person; they only speak for Alita when no other work is in sight.
  const mentions = mergeAdjacent(names);
  const credentials = mentions.filter(
    (m) => firstAt(tokens, m.end, topic.credentials) !== undefined || endsAt(tokens, m.start, topic.credentialsBefore),
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
  const feedDistance = about && !(others.length > 0 && mentions.length > 0 && owners.length === 0) ? topic.aboutFeeds.distance : Infinity;
  const unrelated = disowned(tokens, scan, topic);
  const ours = (matches: Match[]): Match[] =>
    matches.filter((m) => {
      // "Nada que ver con la peli, ni con lo que uno esperaría de una continuación."
      if (unrelated(m)) {
        reasons.push(`ignored: ${m.label} (said to be unrelated)`);
        return false;
      }
      const ours = nearest(m, owners);
      const theirs = nearest(m, others);
      const near = ours ? distance(m, ours) : Infinity;
      if (!theirs ? ours || about : Math.min(near, feedDistance) <= distance(m, theirs)) return true;
      reasons.push(`ignored: ${m.label} (${theirs ? `nearer to ${theirs.label}` : 'Alita only named as a credential'})`);
      return false;
    });
  const count = (matches: Match[], kind: string, weight: number): number => {
    for (const m of matches) counted.push(m);
    const distinct = distinctLabels(matches);
    for (const m of distinct) reasons.push(`${kind}: ${m.label} (${signed(weight)})`);
    return distinct.length * weight;
  };

  const noise = scan.get(topic.noise.terms);
  let strong = count(findPairs(tokens, topic.sequelTitles.pair, scan.get(topic.sequelTitles.pair.first)), 'sequel title', topic.sequelTitles.weight);
  // "Returns to theaters", "again on TV": a going-back phrase next to a re-release is that re-release.
  // (Within `noise.distance` words: a round-up's "Week in Review" heading undoes nothing three sentences on.)
  const rerelease = (m: Match) => noise.some((n) => distance(m, n) <= topic.noise.distance);
  const pairs = topic.sequelPairs.pairs.flatMap((pair) => {
    if (pair.unlessNoise && noise.length > 0 && topic.noise.distance === Infinity) return [];
    const found = findPairs(tokens, pair, scan.get(pair.first));
    return pair.unlessNoise && noise.length > 0 ? found.filter((m) => !rerelease(m)) : found;
  });
  strong += count(ours(outermost(pairs, counted)), 'sequel phrase', topic.sequelPairs.weight);
  strong += count(ours(outermost(scan.get(topic.sequelCues.terms), counted)), 'sequel cue', topic.sequelCues.weight);
  strong += count(ours(outermost(scan.get(topic.campaign.terms), counted)), 'campaign', topic.campaign.weight);
  // In a feed about Alita, "asked about coming back" is the sequel when a cast member is named
  // and no re-release is; elsewhere "returns" is as often a re-release or another film.
  if (about && noise.length === 0 && scan.get(topic.comebacks.cast).length > 0) {
    strong += count(ours(outermost(scan.get(topic.comebacks.terms), counted)), 'comeback', topic.comebacks.weight);
  }
  // In a feed about Alita, "next time" and "the second one" can only mean the next film (not next to a re-release).
  if (about && noise.length === 0) strong += count(ours(outermost(scan.get(topic.fanCues.terms), counted)), 'fan cue', topic.fanCues.weight);
  const hints = count(ours(outermost(scan.get(topic.hints.terms), counted)), 'hint', topic.hints.weight);
  const person = count(distinctLabels(scan.get(topic.people.terms)).slice(0, 1), 'person', topic.people.weight);
  let weak = hints + person;
  // Noise (a Blu-ray review, a re-release) only weighs against hints, never against a sequel cue.
  if (strong === 0 && hints > 0) weak += count(outermost(noise, counted), 'noise', topic.noise.weight);

  const score = strong + weak;
  const relevant = (strong > 0 || hints > 0) && score >= topic.threshold;
  reasons.push(`score ${score} ${relevant ? '≥' : '<'} ${topic.threshold}`);
  return { relevant, reasons, ...context };
}
