import { foldWhitespace, htmlToText } from './text.ts';

/**
 * Text → words for matching: HTML and entities removed, camelCase and letter/digit runs split
 * (#AlitaArmy, Alita2), accents and case folded, punctuation dropped.
 */
export function foldForMatching(text: string): string[] {
  // Most feed text is ASCII, where the same folding needs neither Unicode classes nor NFKD.
  if (!NON_ASCII.test(text)) {
    return text
      .replace(/([a-z])([A-Z])/g, '$1 $2')
      .replace(/([A-Za-z])(\d)|(\d)([A-Za-z])/g, (_m, a, b, c, d) => (a ? `${a} ${b}` : `${c} ${d}`))
      .toLowerCase()
      .split(/[^a-z\d]+/)
      .filter(Boolean);
  }
  return foldAnyText(text);
}

/** foldForMatching for any text; exported so a test can hold the ASCII shortcut to it. */
export function foldAnyText(text: string): string[] {
  return text
    .replace(/[\u200B-\u200F\u2060-\u2064\uFEFF\u00AD]/g, '')
    .replace(/(\p{Ll})(\p{Lu})/gu, '$1 $2')
    .replace(/(\p{L})(\p{N})|(\p{N})(\p{L})/gu, (_m, a, b, c, d) => (a ? `${a} ${b}` : `${c} ${d}`))
    .normalize('NFKD')
    .replace(/\p{M}+/gu, '')
    .toLowerCase()
    .split(/[^\p{L}\p{N}]+/u)
    .filter(Boolean);
}

export const NON_ASCII = /[^\x00-\x7f]/;

/** Marker between fields and sentences: matches never span it, and it adds distance. */
export const BREAK = '\u0000';

/** An item's fields as one token stream, with breaks between fields and sentences. */
export function itemTokens(fields: string[]): string[] {
  const tokens: string[] = [];
  for (const field of fields) {
    // Normalised items are plain text already; only markup or entities need the HTML parser.
    const text = /[<&]/.test(field) ? htmlToText(field) : foldWhitespace(field);
    if (!text) continue;
    tokens.push(BREAK, BREAK);
    for (const sentence of text.split(/(?<=[.!?;])\s+|\s+[|–—]\s+/)) {
      tokens.push(...foldForMatching(sentence), BREAK);
    }
  }
  return tokens;
}
