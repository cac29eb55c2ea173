import { firstAt, type Match } from './match.ts';
import type { Scan } from './scan.ts';
import type { CompiledTerm, Topic } from './topic.ts';
import { BREAK } from './tokens.ts';

/** Whether no sentence break stands between tokens `from` and `to` (exclusive). */
export function unbroken(tokens: string[], from: number, to: number): boolean {
  for (let i = from; i < to; i++) if (tokens[i] === BREAK) return false;
  return true;
}

/**
 * Whether a name of Alita stands inside a clause that credits someone with a part: "Christoph
 * Waltz, who played Dr. Ido in Alita, …", "l'interprete di Hugo in Alita", "『アリータ』のチレン役で
 * 知られる…". Such a name introduces a person, like "the Alita star"; it is no owner of the sequel
 * words of an item that names another work.
 */
export function inCreditClause(tokens: string[], scan: Scan, topic: Topic): (m: Match) => boolean {
  const { opens, closes, gap } = topic.creditClauses;
  const before = scan.get(opens);
  const after = scan.get(closes);
  if (before.length === 0 && after.length === 0) return () => false;
  return (m) =>
    before.some((o) => o.end <= m.start && m.start - o.end <= gap && unbroken(tokens, o.end, m.start)) ||
    after.some((c) => c.start >= m.end && c.start - m.end <= gap && unbroken(tokens, m.end, c.start));
}

const ourWords = new WeakMap<Topic, CompiledTerm[]>();

/** What may follow "the sequel of" and still be Alita's: small words, the film, its people, its world. */
function oursOf(topic: Topic): CompiledTerm[] {
  let words = ourWords.get(topic);
  if (!words) {
    const roles = topic.characters.roles.flatMap((role) => [...role.actor, ...role.character]);
    words = [...topic.sequelOf.ours, ...topic.anchors, ...topic.characters.terms, ...roles, ...topic.namesakes.filmWords, ...topic.people.terms, ...topic.comebacks.cast];
    ourWords.set(topic, words);
  }
  return words;
}

/**
 * Other works named as the work a sequel belongs to: "regressa para a sequela de 'Carnage'",
 * "nel cast del sequel di «Night Swim»". The word after "of" is then the other work (a match one
 * word long), unless it is a small word, a number, a word of the film or its people, or a name of
 * Alita follows within `sequelOf.window` words ("the sequel to James Cameron's Alita").
 */
export function sequelsOfOthers(tokens: string[], scan: Scan, topic: Topic, names: Match[], spell: (at: number) => string = (at) => tokens[at]!): Match[] {
  const { sequels, links, window } = topic.sequelOf;
  if (sequels.length === 0) return [];
  const found: Match[] = [];
  for (const m of scan.get(sequels)) {
    const link = firstAt(tokens, m.end, links);
    if (!link) continue;
    const at = m.end + link.words.length;
    const word = tokens[at];
    if (word === undefined || word === BREAK || /^\d/.test(word) || firstAt(tokens, at, oursOf(topic))) continue;
    let end = at;
    while (end < tokens.length && end < at + window && tokens[end] !== BREAK) end++;
    if (names.some((n) => n.start >= at && n.start < end)) continue;
    // judge's tokens hold a placeholder for a word no term matches: the reason names the word.
    found.push({ label: `the sequel of another work: ${spell(at)}`, start: at, end: at + 1 });
  }
  return found;
}
