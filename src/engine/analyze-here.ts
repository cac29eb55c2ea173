/**
 * analyzeDocument on this thread, its parser loaded on first use: a bot that parses in a
 * ParsePool never loads rss-parser and its XML stack on the main thread at all.
 */
import type { Analyze } from './analyze.ts';

export const analyzeHere: Analyze = async (document, ctx) => (await import('./analyze.ts')).analyzeDocument(document, ctx);
