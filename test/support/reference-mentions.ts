/**
 * The mention probe as it was before mentions.ts learnt to look first for any name at all
 * (Probe.latinAny), frozen as the oracle test/mention-probe.test.ts compares the probe with.
 * Do not tune it: the probe must keep giving exactly its answers.
 */
import type { CompiledTerm, Topic } from '../../src/engine/topic.ts';
import { CJK, foldCharacters, NON_ASCII } from '../../src/engine/tokens.ts';

interface Probe {
  /** An anchor or a name of the film's world (group 1), or an actor of one of its parts (group 2): Latin script, then Japanese. */
  latin: RegExp;
  japanese: RegExp;
  /** Per part: its actor and its character, each probed as above. */
  roles: Array<{ actor: RegExp; character: RegExp }>;
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
  const either = (list: CompiledTerm[]) => new RegExp(group([...alternatives(list, false, true), ...alternatives(list, true, true)]), 'u');
  return {
    latin: new RegExp(names(false), 'g'),
    japanese: new RegExp(names(true), 'gu'),
    roles: roles.map((role) => ({ actor: either(role.actor), character: either(role.character) })),
  };
}

/** True when a name shows (group 1) or an actor does with their character. */
function probeText(probe: Probe, text: string, nonAscii: boolean): boolean {
  let actor = false;
  for (const names of nonAscii ? [probe.latin, probe.japanese] : [probe.latin]) {
    names.lastIndex = 0;
    for (let m = names.exec(text); m; m = names.exec(text)) {
      if (m[1] !== undefined) return true;
      actor = true;
    }
  }
  return actor && probe.roles.some((role) => role.actor.test(text) && role.character.test(text));
}

/**
 * False only when no name of Alita can be in the text, searched in folded text with invisible
 * characters and markup left in (a tag between letters just makes this say "maybe").
 */
export function referenceMayMention(fields: string[], topic: Topic): boolean {
  let probe = probes.get(topic);
  if (!probe) {
    probe = probeOf(topic);
    probes.set(topic, probe);
  }
  const text = fields.join(' ');
  // Entities or markup could hide a letter from this quick look; then the full matcher decides.
  if (/[&<]/.test(text)) return true;
  const nonAscii = NON_ASCII.test(text);
  return probeText(probe, nonAscii ? foldCharacters(text.replace(/[\u200B-\u200F\u2060-\u2064\uFEFF\u00AD]/g, '')) : text.toLowerCase(), nonAscii);
}
