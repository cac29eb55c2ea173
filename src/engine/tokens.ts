import { foldWords } from './fold.ts';
import { foldWhitespace, htmlToText } from './text.ts';

/**
 * Text → words for matching: HTML and entities removed, camelCase and letter/digit runs split
 * (#AlitaArmy, Alita2), accents and case folded, punctuation dropped.
 */
export function foldForMatching(text: string): string[] {
  // One pass over the text (fold.ts); foldAnyText for the rare texts it hands back.
  const words: string[] = [];
  return foldWords(text, words) ? words : foldAnyText(text);
}

/**
 * What foldForMatching gives, spelled as the regex passes that define it: fold.ts does the same in
 * one pass and hands back to this the texts it cannot fold exactly (a capital Σ, NFC across
 * characters).
 */
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
      const first = tokens.length;
      // A loop, not push(...words): a sentence can run to more words than a call takes arguments.
      if (!foldWords(sentence, tokens)) for (const word of foldAnyText(sentence)) tokens.push(word);
      // "submitted by /u/motorball_addict": a Reddit user's name is no evidence (nor a film word),
      // so the rest of its run is left out (the brackets of "[link]" end it).
      for (let t = first + 2; t < tokens.length; t++) {
        if (tokens[t] === 'u' && tokens[t - 1] === 'by' && tokens[t - 2] === 'submitted') {
          tokens.length = t + 1;
          break;
        }
      }
      tokens.push(BREAK);
    }
  }
  return tokens;
}
