/** Quote ids: readable, and the same quotation always gets the same id (a second approval or add is a no-op). */
import { hash } from 'node:crypto';
import { fold } from './text.ts';

/** "Robert Rodríguez" → "robert-rodriguez": lower case, accents gone, other scripts kept. */
export function speakerSlug(speaker: string): string {
  const slug = fold(speaker).replace(/[^\p{L}\p{N}]+/gu, '-').replace(/^-+|-+$/g, '');
  return Array.from(slug).slice(0, 40).join('').replace(/-+$/, '') || 'quote';
}

/** `<speaker-slug>-<date>-<short hash>`: readable, and the same quote always gets the same id. */
export function quoteId(speaker: string, date: string, words: string, sourceUrl: string): string {
  const short = hash('sha256', [speaker, date, words, sourceUrl].join('\n'), 'hex').slice(0, 6);
  return `${speakerSlug(speaker)}-${date}-${short}`;
}
