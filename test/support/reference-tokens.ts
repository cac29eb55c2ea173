/**
 * The topic filter's tokenizer as it was before the one-pass fold (src/engine/fold.ts): a regex
 * pass per split and a normalisation of the whole text. Frozen here as the oracle the fast path
 * must equal, word for word; slow, simple and obviously what the comments say.
 */
import { foldWhitespace, htmlToText } from '../../src/engine/text.ts';

const BREAK = '\u0000';
const CJK = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\u30FC\u3005]/gu;
const SENTENCE_END = /(?<=[.!?;])(?<!\b(?:Dr|Dra|Mr|Mrs|Ms|Mme|Sr|Sra|Jr|St|Prof|vs)\.)\s+|,\s+|\s+[|–—]\s+|[。！？、]+|\s*[()（）[\]]\s*/;

export function referenceFold(text: string): string[] {
  const split = text
    .replace(/[\u200B-\u200F\u2060-\u2064\uFEFF\u00AD]/g, '')
    .replace(/(\p{Ll})(\p{Lu})/gu, '$1 $2')
    .replace(/(\p{L})(\p{N})|(\p{N})(\p{L})/gu, (_m, a, b, c, d) => (a ? `${a} ${b}` : `${c} ${d}`));
  const stripped = split.normalize('NFKD').replace(/(?![\u3099\u309A])\p{M}/gu, '');
  const folded = (/[\u3099\u309A]/.test(stripped) ? stripped.normalize('NFC') : stripped).toLowerCase();
  return folded
    .replace(CJK, ' $& ')
    .split(/[^\p{L}\p{N}]+/u)
    .filter(Boolean);
}

export function referenceItemTokens(fields: string[]): string[] {
  const tokens: string[] = [];
  for (const field of fields) {
    const text = /[<&]/.test(field) ? htmlToText(field) : foldWhitespace(field);
    if (!text) continue;
    tokens.push(BREAK, BREAK);
    for (const sentence of text.split(SENTENCE_END)) {
      for (const word of referenceFold(sentence)) {
        tokens.push(word);
        if (word === 'u' && tokens[tokens.length - 2] === 'by' && tokens[tokens.length - 3] === 'submitted') break;
      }
      tokens.push(BREAK);
    }
  }
  return tokens;
}
