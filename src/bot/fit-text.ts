/**
 * Cutting Discord markdown to a length: never inside an escape, link, mention or code span, and
 * lists in whole lines. The pieces of src/bot/reply-limits.ts that know about text, not embeds.
 * Pure: no I/O, same input, same output.
 */
const ELLIPSIS = '…';

/** Discord counts code points (an emoji is one character, as in test/support/discord-schema.ts), not UTF-16 units. */
export function length(text: string): number {
  let n = 0;
  for (const _ of text) n++;
  return n;
}

/**
 * The pieces a cut may fall between, never inside: a backslash escape, a masked link, a mention
 * or <url>, an inline code span, a line break, or one character with its combining marks and
 * zero-width joins (so an emoji sequence stays whole; a join never takes an ASCII character, which
 * may start an escape or a link). Links are as maskedLink writes them (label escaped, no bracket
 * or parenthesis unescaped): every scan then stops at the next delimiter, so this stays linear.
 */
const ATOM = /\\[^]|\[(?:\\[^]|[^[\]\\\n])*\]\([^()\s]*\)|<[^<>\s]+>|`[^`\n]*`|\n|[^](?:[\p{M}\uFE0F]|\u200D[^\0-\x7F]){0,10}/gu;
const LINK = /^\[((?:\\[^]|[^[\]\\\n])*)\]\([^()\s]*\)$/u;
const WHITESPACE = /^\s+$/u;

/** The atoms of `text`, read only as far as asked: a cut never tokenizes more than it keeps. */
function* atoms(text: string): Generator<string, undefined> {
  const re = new RegExp(ATOM.source, ATOM.flags);
  for (let m = re.exec(text); m; m = re.exec(text)) yield m[0];
  return undefined;
}

/**
 * `text` in at most `max` characters. When cut, it ends with "…" at a line break, else at a
 * space, when that keeps most of what fits; never inside an escape, link, mention or code span.
 * A link too long to fit in a short text keeps its words without the link; a long code span is
 * cut inside and closed again.
 */
export function fitText(text: string, max: number): string {
  if (length(text) <= max) return text;
  if (max < 1) return '';
  const room = max - 1;
  const source = atoms(text);
  // A link's words, when they stand in for it, are read before the rest (a stack: last first).
  const stack: string[] = [];
  const next = () => stack.pop() ?? source.next().value;
  const kept: string[] = [];
  let used = 0;
  let lineCut: [number, number] | undefined;
  let wordCut: [number, number] | undefined;
  let part = next();
  for (; part !== undefined; part = next()) {
    const n = length(part);
    if (used + n > room) {
      // Only worth it when little of the text fits before the link or code span.
      const little = used < room * 0.6;
      const label = little ? LINK.exec(part)?.[1] : undefined;
      if (label !== undefined) {
        // A loop, not push(...): a link's label can hold more pieces than a call takes arguments.
        const pieces = [...atoms(label)];
        for (let i = pieces.length - 1; i >= 0; i--) stack.push(pieces[i]!);
        continue;
      }
      if (little && part.length > 2 && part.startsWith('`') && room - used >= 4) {
        const inner = Array.from(part.slice(1, -1)).slice(0, room - used - 2).join('');
        return `${kept.join('')}\`${inner}${ELLIPSIS}\``;
      }
      // Stopped at a space or line break: what is kept ends with a whole word.
      if (part === '\n') lineCut = [kept.length, used];
      else if (WHITESPACE.test(part)) wordCut = [kept.length, used];
      break;
    }
    if (part === '\n') lineCut = [kept.length, used];
    else if (WHITESPACE.test(part)) wordCut = [kept.length, used];
    kept.push(part);
    used += n;
  }
  // Everything kept (a link gave way to its words): nothing more to mark as left out.
  if (part === undefined) return kept.join('');
  // A line break wins over a space, and either over a mid-word cut, if it keeps 60% of the room.
  const cut = [lineCut, wordCut].find((c) => c && c[1] >= room * 0.6);
  if (cut) kept.length = cut[0];
  // Whole whitespace atoms only: an escaped space ("\ ") must not lose its space and leave a lone "\".
  while (kept.length && WHITESPACE.test(kept.at(-1)!)) kept.pop();
  return `${kept.join('')}${ELLIPSIS}`;
}

/** One line of a list; `entry: false` marks a heading, which "…and N more" does not count. */
export interface ListLine {
  text: string;
  entry?: boolean;
}

export interface FitLinesOptions {
  /** Between lines: "\n" by default; ", " for a list in a sentence, "\n\n" for blocks. */
  separator?: string;
  /** Entries left out before the call (e.g. past a display cap), added to "…and N more". */
  omitted?: number;
}

/**
 * As many whole lines as fit in `max` characters, then "…and N more" for the entries left out.
 * Only a first line longer than `max` on its own is cut (with fitText), so something shows.
 */
export function fitLines(lines: ReadonlyArray<string | ListLine>, max: number, options: FitLinesOptions = {}): string {
  const { separator = '\n', omitted = 0 } = options;
  const items = lines.map((l) => (typeof l === 'string' ? { text: l, entry: true } : { text: l.text, entry: l.entry ?? true }));
  const total = items.filter((l) => l.entry).length + omitted;
  const more = (n: number) => `${ELLIPSIS}and ${n} more`;
  const sep = length(separator);
  const kept: string[] = [];
  let used = 0;
  let shown = 0;
  for (const [i, line] of items.entries()) {
    const last = i === items.length - 1 && omitted === 0;
    // Every kept line leaves room for the closing "…and N more", so it always fits.
    const reserve = last ? 0 : sep + length(more(total));
    const n = length(line.text);
    if (used + (kept.length ? sep : 0) + n + reserve > max) {
      if (kept.length === 0) {
        // Cut, it ends with "…" already: only the entries after it still need saying.
        kept.push(fitText(line.text, max - reserve));
        if (line.entry) shown++;
        if (total > shown) kept.push(more(total - shown));
      } else {
        kept.push(total > shown ? more(total - shown) : ELLIPSIS);
      }
      return fitText(kept.join(separator), max);
    }
    used += (kept.length ? sep : 0) + n;
    kept.push(line.text);
    if (line.entry) shown++;
  }
  if (omitted > 0) kept.push(more(omitted));
  return fitText(kept.join(separator), max);
}
