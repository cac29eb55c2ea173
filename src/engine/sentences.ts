/**
 * Where judge's sentences end: tokens.ts cuts an item's text at them (a break no term spans),
 * and topic-tokens.ts finds them as it folds, mark by mark.
 */

/**
 * Ends of sentences (Japanese ones need no space after them; "Dr. Ido" is no end), dashes between
 * clauses with spaces on both sides, brackets. The mark that ends a sentence goes with the spaces
 * after it (they are no word). Every alternative begins with its mark: one that began with the
 * spaces before a dash (`\s+[|–—]\s+`) was tried at every space of a long article, a third of the
 * split's time. The spaces a dash needs before it are checked by sentenceEnd instead.
 */
const SENTENCE_ENDS = /[()（）[\]]\s*|(?<!\b(?:Dr|Dra|Mr|Mrs|Ms|Mme|Sr|Sra|Jr|St|Prof|vs))\.\s+|[!?;]\s+|,\s+|[。！？、]+|[|–—]\s+/g;

/**
 * Where the sentence that starts at `from` ends (past the marks and spaces that end it), or -1 when
 * it runs to the end of the text: the sentences text.split cuts at `\s+[|–—]\s+` and the rest of
 * SENTENCE_ENDS, each searched for where the one before ended. A dash ends one only after spaces
 * of its own: ", – " is one end, not two (the comma's end took the spaces).
 */
export function sentenceEnd(text: string, from: number): number {
  SENTENCE_ENDS.lastIndex = from;
  while (SENTENCE_ENDS.test(text)) {
    const end = SENTENCE_ENDS.lastIndex;
    let mark = end;
    while (isSpace(text.charCodeAt(mark - 1))) mark--;
    const code = text.charCodeAt(mark - 1);
    if ((code === 0x7c || code === 0x2013 || code === 0x2014) && !(mark - 2 >= from && isSpace(text.charCodeAt(mark - 2)))) {
      SENTENCE_ENDS.lastIndex = mark;
      continue;
    }
    return end;
  }
  return -1;
}

/**
 * What `\s` matches, by UTF-16 unit (white space and line ends, as ECMAScript lists them): one load,
 * where comparisons had branches for spaces outside ASCII, which the first French or Japanese
 * article after judge's fold was optimised took for the first time (V8 then dropped its code).
 */
const SPACES = new Uint8Array(0x10000);
for (const code of [0x09, 0x0a, 0x0b, 0x0c, 0x0d, 0x20, 0xa0, 0x1680, 0x2028, 0x2029, 0x202f, 0x205f, 0x3000, 0xfeff]) SPACES[code] = 1;
SPACES.fill(1, 0x2000, 0x200b);

export function isSpace(code: number): boolean {
  return SPACES[code] === 1;
}

/** The units that begin an alternative of SENTENCE_ENDS: only at one of them may a sentence end. */
export const SENTENCE_MARKS: readonly number[] = [0x28, 0x29, 0xff08, 0xff09, 0x5b, 0x5d, 0x2e, 0x21, 0x3f, 0x3b, 0x2c, 0x3002, 0xff01, 0xff1f, 0x3001, 0x7c, 0x2013, 0x2014];

/** SENTENCE_ENDS' titles: the word before a full stop is looked up once, not matched against each title in turn. */
const TITLES = new Set(['Dr', 'Dra', 'Mr', 'Mrs', 'Ms', 'Mme', 'Sr', 'Sra', 'Jr', 'St', 'Prof', 'vs']);

/**
 * Where the sentence that starts at `from` ends when it ends at the mark at `at` (one of
 * SENTENCE_MARKS): past the mark and the spaces that go with it, as sentenceEnd finds it; -1 when
 * the mark ends nothing there ("Dr. Ido", "3.5", a dash without spaces on both sides). Asked at
 * each mark from `from` on, the first answer that is not -1 is sentenceEnd's: every alternative
 * of SENTENCE_ENDS begins with its mark, so the leftmost match is at the first mark that ends one.
 */
export function endAtMark(text: string, at: number, from: number): number {
  const code = text.charCodeAt(at);
  let end = at + 1;
  if (code === 0x3002 || code === 0xff01 || code === 0xff1f || code === 0x3001) {
    // Bounds checked: reading past the text (NaN) made V8 drop the fold's optimised code.
    while (end < text.length) {
      const c = text.charCodeAt(end);
      if (c !== 0x3002 && c !== 0xff01 && c !== 0xff1f && c !== 0x3001) break;
      end++;
    }
    return end;
  }
  // A bracket takes the spaces after it, if any; the others need some, a dash spaces of its own
  // before it too, a full stop no title before it. One loop takes the spaces for all of them: a
  // path of its own for brackets was code the fold met first after V8 had optimised it.
  if (code !== 0x28 && code !== 0x29 && code !== 0xff08 && code !== 0xff09 && code !== 0x5b && code !== 0x5d) {
    if (end >= text.length || !isSpace(text.charCodeAt(end))) return -1;
    if ((code === 0x7c || code === 0x2013 || code === 0x2014) && !(at - 1 >= from && isSpace(text.charCodeAt(at - 1)))) return -1;
    if (code === 0x2e && titleBefore(text, at)) return -1;
  }
  while (end < text.length && isSpace(text.charCodeAt(end))) end++;
  return end;
}

/**
 * SENTENCE_ENDS' lookbehind: a title just before `at`, with a word boundary (ASCII's, as \b) before
 * it. The ASCII letters before the full stop are the only candidate: a longer run, or one after a
 * digit or an underscore, has no boundary where a title would start.
 */
function titleBefore(text: string, at: number): boolean {
  let start = at;
  while (start > 0 && at - start <= 4 && isAsciiLetter(text.charCodeAt(start - 1))) start--;
  if (at - start < 2 || at - start > 4 || (start > 0 && isAsciiWord(text.charCodeAt(start - 1)))) return false;
  return TITLES.has(text.slice(start, at));
}

function isAsciiLetter(code: number): boolean {
  return (code >= 0x41 && code <= 0x5a) || (code >= 0x61 && code <= 0x7a);
}

function isAsciiWord(code: number): boolean {
  return isAsciiLetter(code) || (code >= 0x30 && code <= 0x39) || code === 0x5f;
}
