import { distance, distinctLabels, findPairs, findTerms, matchAt, mergeAdjacent, nearest, outermost, type Match } from './match.ts';
import type { Topic } from './topic.ts';
import { itemTokens, NON_ASCII } from './tokens.ts';
import type { Verdict } from './types.ts';

export interface JudgeInput {
  title: string;
  summary?: string;
  /** Full text or HTML content; matched like the summary. */
  fullText?: string;
}

const anchorProbes = new WeakMap<Topic, RegExp>();

/**
 * False only when no anchor can be in the text: the first word of every anchor, searched in
 * lower-cased, accent-free text with invisible characters and markup left in (a tag between
 * letters just makes this say "maybe").
 */
function mayMentionAnchor(fields: string[], topic: Topic): boolean {
  let probe = anchorProbes.get(topic);
  if (!probe) {
    const words = [...new Set(topic.anchors.map((a) => a.words[0]!.text))].map((w) => w.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
    probe = new RegExp(words.join('|'));
    anchorProbes.set(topic, probe);
  }
  const text = fields.join(' ');
  // Entities or markup could hide a letter from this quick look; then the full matcher decides.
  if (/[&<]/.test(text)) return true;
  const plain = NON_ASCII.test(text) ? text.replace(/[\u200B-\u200F\u2060-\u2064\uFEFF\u00AD]/g, '').normalize('NFKD').replace(/\p{M}+/gu, '') : text;
  const folded = plain.toLowerCase();
  return probe.test(folded);
}

function signed(n: number): string {
  return n >= 0 ? `+${n}` : String(n);
}

/**
 * Decides whether an item is about the Alita sequel. It must name Alita, and then either
 * name the sequel (Alita 2), use a sequel word that belongs to Alita rather than to another
 * work standing nearer to it, or gather enough weaker hints. Every verdict lists its reasons.
 */
export function judge(input: JudgeInput, topic: Topic): Verdict {
  const fields = [input.title, input.summary ?? '', input.fullText ?? ''];
  // Most items of a feed never name Alita: a cheap look for an anchor's first word comes first.
  if (!mayMentionAnchor(fields, topic)) return { relevant: false, reasons: ['no mention of Alita'] };
  const tokens = itemTokens(fields);
  const anchors = findTerms(tokens, topic.anchors);
  if (anchors.length === 0) return { relevant: false, reasons: ['no mention of Alita'] };
  const reasons = distinctLabels(anchors).map((m) => `anchor: ${m.label}`);
  const others = findTerms(tokens, topic.otherWorks);
  // "The Alita star" names a person; it only speaks for Alita when no other work is in sight.
  const mentions = mergeAdjacent(anchors);
  const credentials = mentions.filter((m) => topic.credentials.some((term) => matchAt(tokens, m.end, term)));
  const owners = others.length > 0 ? mentions.filter((m) => !credentials.includes(m)) : mentions;
  const counted: Match[] = [];
  let strong = 0;
  let weak = 0;

  // A cue belongs to the work it stands nearest to; ties go to Alita.
  const ours = (matches: Match[]): Match[] =>
    matches.filter((m) => {
      const ours = nearest(m, owners);
      const theirs = nearest(m, others);
      if (ours && (!theirs || distance(m, ours) <= distance(m, theirs))) return true;
      reasons.push(`ignored: ${m.label} (${theirs ? `nearer to ${theirs.label}` : 'Alita only named as a credential'})`);
      return false;
    });
  const count = (matches: Match[], kind: string, weight: number): number => {
    counted.push(...matches);
    const distinct = distinctLabels(matches);
    for (const m of distinct) reasons.push(`${kind}: ${m.label} (${signed(weight)})`);
    return distinct.length * weight;
  };

  strong += count(findPairs(tokens, topic.sequelTitles.pair), 'sequel title', topic.sequelTitles.weight);
  const pairs = topic.sequelPairs.pairs.flatMap((pair) => findPairs(tokens, pair));
  strong += count(ours(outermost(pairs, counted)), 'sequel phrase', topic.sequelPairs.weight);
  strong += count(ours(outermost(findTerms(tokens, topic.sequelCues.terms), counted)), 'sequel cue', topic.sequelCues.weight);
  const hints = count(ours(outermost(findTerms(tokens, topic.hints.terms), counted)), 'hint', topic.hints.weight);
  const person = count(distinctLabels(findTerms(tokens, topic.people.terms)).slice(0, 1), 'person', topic.people.weight);
  weak = hints + person;
  // Noise (a Blu-ray review, a re-release) only weighs against hints, never against a sequel cue.
  if (strong === 0 && hints > 0) weak += count(outermost(findTerms(tokens, topic.noise.terms), counted), 'noise', topic.noise.weight);

  const score = strong + weak;
  const relevant = (strong > 0 || hints > 0) && score >= topic.threshold;
  reasons.push(`score ${score} ${relevant ? '≥' : '<'} ${topic.threshold}`);
  return { relevant, reasons };
}
