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
  return foldCharacters(
    text
      .replace(/[\u200B-\u200F\u2060-\u2064\uFEFF\u00AD]/g, '')
      .replace(/(\p{Ll})(\p{Lu})/gu, '$1 $2')
      .replace(/(\p{L})(\p{N})|(\p{N})(\p{L})/gu, (_m, a, b, c, d) => (a ? `${a} ${b}` : `${c} ${d}`)),
  )
    // Japanese and Chinese write words without spaces: each character is a token, so a term
    // matches as a substring of the run (続編 inside 『アリータ』続編に), never across a break.
    .replace(CJK, ' $& ')
    .split(/[^\p{L}\p{N}]+/u)
    .filter(Boolean);
}

/** Han, kana and the marks that belong to them (ー, 々): the scripts written without spaces. */
export const CJK = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\u30FC\u3005]/gu;

/**
 * Compatibility forms folded (full-width letters, Ⅱ → II), accents dropped, lower case. The
 * kana voicing marks are kept (バ is not ハ): they tell Japanese words apart, not accents.
 */
export function foldCharacters(text: string): string {
  const folded = text.normalize('NFKD').replace(/(?![\u3099\u309A])\p{M}/gu, '');
  return (/[\u3099\u309A]/.test(folded) ? folded.normalize('NFC') : folded).toLowerCase();
}

export const NON_ASCII = /[^\x00-\x7f]/;

/** Marker between fields and sentences: matches never span it, and it adds distance. */
export const BREAK = '\u0000';

/**
 * Ends of sentences (Japanese ones need no space after them; "Dr. Ido" is no end), dashes between
 * clauses, brackets.
 */
const SENTENCE_END = /(?<=[.!?;])(?<!\b(?:Dr|Dra|Mr|Mrs|Ms|Mme|Sr|Sra|Jr|St|Prof|vs)\.)\s+|,\s+|\s+[|–—]\s+|[。！？、]+|\s*[()（）[\]]\s*/;

/** An item's fields as one token stream, with breaks between fields and sentences. */
export function itemTokens(fields: string[]): string[] {
  const tokens: string[] = [];
  for (const field of fields) {
    // Normalised items are plain text already; only markup or entities need the HTML parser.
    const text = /[<&]/.test(field) ? htmlToText(field) : foldWhitespace(field);
    if (!text) continue;
    tokens.push(BREAK, BREAK);
    // Brackets end a run too: "(part 2)" is an aside, not a sequel number after the title.
    for (const sentence of text.split(SENTENCE_END)) {
      // A loop, not push(...words): a sentence can run to more words than a call takes arguments.
      for (const word of foldForMatching(sentence)) {
        tokens.push(word);
        // "submitted by /u/motorball_addict": a Reddit user's name is no evidence (nor a film word),
        // so the rest of its run is left out (the brackets of "[link]" end it).
        if (word === 'u' && tokens[tokens.length - 2] === 'by' && tokens[tokens.length - 3] === 'submitted') break;
      }
      tokens.push(BREAK);
    }
  }
  return tokens;
}
