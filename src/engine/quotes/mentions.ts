/**
 * Where people are named in a text, and who each name means: a full name is its person; a
 * namesake ("Michelle Rodriguez") is somebody else; a short form ("Rodriguez") is whoever of
 * that name was named last before it, else the known person it belongs to.
 */
import type { People } from './people.ts';
import { fold, TITLES } from './lexicon.ts';

export interface Mention {
  start: number;
  end: number;
  /** A known person's full name, or `other:` and the namesake's name. */
  who: string;
}

export interface Matcher {
  find(text: string, opts?: { titleCase?: boolean }): Mention[];
}

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const cjk = (s: string) => /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}]/u.test(s);

export function mentionMatcher(people: People): Matcher {
  const owner = new Map<string, string>();
  for (const person of people.people) {
    for (const name of person.names) owner.set(fold(name), person.name);
    for (const other of person.namesakes) owner.set(fold(other), `other:${other}`);
  }
  const forms = [...owner.keys()].sort((a, b) => b.length - a.length);
  const latin = forms.filter((f) => !cjk(f)).map(escape);
  const japanese = forms.filter(cjk).map(escape);
  const alternatives = [
    ...(latin.length ? [`(?<![\\p{L}\\p{N}])(?:${latin.join('|')})(?![\\p{L}\\p{N}])`] : []),
    ...(japanese.length ? [`(?:${japanese.join('|')})`] : []),
  ];
  const pattern = new RegExp(alternatives.join('|'), 'giu');
  // A short form is a name contained in a longer name of the same person: "Rodriguez", "木城".
  const shortOf = new Map<string, string>();
  for (const person of people.people) {
    const names = person.names.map(fold);
    for (const name of names) if (!/[\s・]/u.test(name) && names.some((other) => other !== name && other.includes(name))) shortOf.set(name, person.name);
  }

  return {
    find(text, opts = {}) {
      // Folded with positions kept: a character whose folding changes the length ("…" → "...") stays as it is.
      const source = foldInPlace(text);
      const mentions: Mention[] = [];
      const lastFull = new Map<string, string>();
      for (const match of source.matchAll(pattern)) {
        const form = fold(match[0]);
        const start = match.index;
        const end = start + match[0].length;
        let who = owner.get(form) ?? '';
        if (shortOf.has(form)) {
          who = lastFull.get(form) ?? who;
          if (!opts.titleCase && unknownFirstName(text, start)) who = `other:${text.slice(0, end).match(/\S+\s+\S+$/u)?.[0] ?? form}`;
        } else {
          for (const word of form.split(/[\s・]+/u)) lastFull.set(word, who);
        }
        mentions.push({ start, end, who });
      }
      return mentions;
    },
  };
}

/** fold() character by character where it would change the text's length, so indexes into it are the text's. */
function foldInPlace(text: string): string {
  const folded = fold(text);
  if (folded.length === text.length) return folded;
  let out = '';
  for (const ch of text) {
    const one = fold(ch);
    out += one.length === ch.length ? one : ch;
  }
  return out;
}

/**
 * "Sarah Cameron", "Liz Salazar": a capitalised word right before a surname, inside a sentence, is
 * another person's first name, unless it is a title ("Regisseur Rodriguez", "Director Cameron").
 */
function unknownFirstName(text: string, start: number): boolean {
  const before = /([\p{Lu}][\p{L}'’-]*)\s+$/u.exec(text.slice(Math.max(0, start - 40), start));
  if (!before) return false;
  if (TITLES.has(fold(before[1]!))) return false;
  const head = text.slice(0, start - before[0].length).trimEnd();
  // Sentence-initial words are capitalised anyway ("When Cameron said…").
  if (head === '' || /[.!?:;"“”«»„」\n]$/u.test(head)) return false;
  return true;
}
