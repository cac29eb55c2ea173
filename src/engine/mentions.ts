import { distance, type Match } from './match.ts';
import { scanMentions, type Scan } from './scan.ts';
import type { CompiledTerm, Topic } from './topic.ts';
import { CJK, foldCharacters, NON_ASCII } from './tokens.ts';

/** Where an item names Alita: a name of the film, a place of its world, or a character with its actor. */
export interface Mentions {
  matches: Match[];
  reasons: string[];
}

export function findMentions(tokens: string[], topic: Topic): Mentions {
  const scan = scanMentions(tokens, topic);
  const matches = [...scan.get(topic.anchors)];
  const reasons = [...new Set(matches.map((m) => `anchor: ${m.label}`))];
  for (const m of scan.get(topic.characters.terms)) {
    matches.push(m);
    if (!reasons.includes(`anchor: ${m.label}`)) reasons.push(`anchor: ${m.label}`);
  }
  // "Nova" alone is a word in three languages; Nova with Edward Norton is the film's villain.
  for (const role of topic.characters.roles) {
    const character = scan.get(role.character);
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
export function namesake(scan: Scan, topic: Topic, names?: Match[]): string | undefined {
  const near = (m: Match) => !names || names.some((name) => distance(m, name) <= topic.namesakes.distance);
  const other = scan.get(topic.namesakes.terms).find(near);
  if (!other) return undefined;
  return scan.get(topic.namesakes.filmWords).length === 0 ? other.label : undefined;
}

const probes = new WeakMap<Topic, RegExp>();

const escape = (word: string) => word.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const cjk = new RegExp(CJK.source, 'u');

/** A run of Japanese characters is one word in raw text. */
function cjkRun(term: CompiledTerm): string | undefined {
  const { words } = term;
  if (!cjk.test(words[0]!.text)) return undefined;
  let run = '';
  for (let i = 0; i < words.length && cjk.test(words[i]!.text); i++) run += words[i]!.text;
  return escape(run);
}

/**
 * The probe: an anchor's first word anywhere (as ever: "#AlitaArmy", "Alita2"), and for the
 * names that need company (Dr. Ido, Nova with Edward Norton) their longest word, whole: "ido"
 * or "ed" inside other words would send most items to the full matcher.
 */
function probeOf(topic: Topic): RegExp {
  const anchors = topic.anchors.map((term) => cjkRun(term) ?? escape(term.words[0]!.text));
  const names = [...topic.characters.terms, ...topic.characters.roles.flatMap((role) => role.actor)];
  const whole = names.filter((term) => !cjkRun(term)).map((term) => escape(term.words.reduce((a, b) => (b.text.length >= a.text.length ? b : a)).text));
  const runs = names.map(cjkRun).filter((run): run is string => run !== undefined);
  return new RegExp(`${[...new Set([...anchors, ...runs])].join('|')}|(?<![a-z0-9])(?:${[...new Set(whole)].join('|')})(?![a-z0-9])`);
}

/**
 * False only when no name of Alita can be in the text, searched in folded text with invisible
 * characters and markup left in (a tag between letters just makes this say "maybe").
 */
export function mayMention(fields: string[], topic: Topic): boolean {
  let probe = probes.get(topic);
  if (!probe) {
    probe = probeOf(topic);
    probes.set(topic, probe);
  }
  const text = fields.join(' ');
  // Entities or markup could hide a letter from this quick look; then the full matcher decides.
  if (/[&<]/.test(text)) return true;
  return probe.test(NON_ASCII.test(text) ? foldCharacters(text.replace(/[\u200B-\u200F\u2060-\u2064\uFEFF\u00AD]/g, '')) : text.toLowerCase());
}
