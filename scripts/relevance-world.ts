/**
 * Scores the topic rule on the labelled world sets: `npx tsx scripts/relevance-world.ts tune`
 * (tuned on), `seen` … `seen9` (former holdouts, each measured once unseen and tuned on since) or `holdout` (kept
 * unseen while tuning). Prints precision and recall overall, per language and per source; with
 * --wrong, every wrong verdict with its reasons.
 */
import { loadTopic } from '../src/engine/topic.ts';
import { judgeWorld, loadWorld, scoreBreakdown } from '../test/support/world-set.ts';

const part = (['holdout', 'seen', 'seen2', 'seen3', 'seen4', 'seen5', 'seen6', 'seen7', 'seen8', 'seen9'] as const).find((p) => p === process.argv[2]) ?? 'tune';
const breakdown = scoreBreakdown(await judgeWorld(loadWorld(part), loadTopic()));
for (const [group, s] of Object.entries(breakdown)) console.log(`${group.padEnd(20)} n=${String(s.items).padStart(3)}  precision ${s.precision.toFixed(3)}  recall ${s.recall.toFixed(3)}`);
if (process.argv.includes('--wrong')) console.log(`\n${breakdown.all!.wrong.join('\n')}`);
