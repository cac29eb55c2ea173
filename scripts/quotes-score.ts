/**
 * Scores the quotation extractor on a labelled part: `npx tsx scripts/quotes-score.ts a [--wrong]`
 * (test/fixtures/quotes/<lang>-a.json); per language, then overall.
 */
import { loadPeople } from '../src/engine/quotes/people.ts';
import { loadTopic } from '../src/engine/topic.ts';
import { loadPassages, scorePassages } from '../test/support/quote-set.ts';

const part = process.argv[2] ?? 'a';
const passages = loadPassages(part);
const people = loadPeople();
const topic = loadTopic();
for (const lang of [...new Set(passages.map((p) => p.lang)), 'all']) {
  const s = await scorePassages(passages.filter((p) => lang === 'all' || p.lang === lang), people, topic);
  console.log(`${lang.padEnd(4)} expected ${String(s.expected).padStart(3)} found ${String(s.found).padStart(3)} correct ${String(s.correct).padStart(3)}  precision ${s.precision.toFixed(3)}  recall ${s.recall.toFixed(3)}`);
  if (lang === 'all' && process.argv.includes('--wrong')) console.log(s.wrong.join('\n'));
}
