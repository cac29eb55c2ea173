/**
 * The topic rule on the labelled world sets' TUNE and SEEN parts (test/fixtures/world/<lang>-tune.json,
 * <lang>-seen.json and <lang>-seen2.json … <lang>-seen8.json, former holdouts): items shaped like the bot's real sources in seven
 * languages, each feed judged as one document the way a poll judges it (feed context, Google News'
 * <source>). The holdout part is measured separately and is never read here: the rule must
 * generalise, not remember.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { loadTopic } from '../src/engine/topic.ts';
import { judgeWorld, loadWorld, scoreBreakdown, type Score } from './support/world-set.ts';

const LANGUAGES = ['de', 'en', 'es', 'fr', 'it', 'ja', 'pt'];

describe.each(['tune', 'seen', 'seen2', 'seen3', 'seen4', 'seen5', 'seen6', 'seen7', 'seen8'] as const)('the topic rule on the world %s sets', (part) => {
  let scores: Record<string, Score>;

  beforeAll(async () => {
    scores = scoreBreakdown(await judgeWorld(loadWorld(part), loadTopic()));
  });

  it('covers all seven languages', () => {
    for (const lang of LANGUAGES) expect(scores[`lang:${lang}`]?.items, lang).toBeGreaterThan(0);
  });

  it('keeps precision and recall at 0.95 or more overall', () => {
    const all = scores.all!;
    expect(all.precision, all.wrong.join('\n')).toBeGreaterThanOrEqual(0.95);
    expect(all.recall, all.wrong.join('\n')).toBeGreaterThanOrEqual(0.95);
  });

  it.each(LANGUAGES)('finds at least 75 %% of the on-topic items in %s', (lang) => {
    const score = scores[`lang:${lang}`]!;
    expect(score.recall, score.wrong.join('\n')).toBeGreaterThanOrEqual(0.75);
  });

  it.each(['google-news', 'reddit', 'site'])('finds at least 75 %% of the on-topic items from %s feeds', (source) => {
    const score = scores[`source:${source}`]!;
    expect(score.recall, score.wrong.join('\n')).toBeGreaterThanOrEqual(0.75);
  });
});

/**
 * Blind set 9 (test/fixtures/world/<lang>-seen9.json, 280 items by seven new writers) was measured
 * once, unseen, with the eighth-round rule: precision 0.960, recall 0.916, every language's recall
 * 0.80 or more — the target on items never seen while tuning. It has not been tuned on;
 * this keeps the target from slipping while later rounds tune on other sets.
 */
describe('the topic rule on blind set 9, never tuned on', () => {
  let scores: Record<string, Score>;

  beforeAll(async () => {
    scores = scoreBreakdown(await judgeWorld(loadWorld('seen9'), loadTopic()));
  });

  it('keeps precision ≥ 0.95 and recall ≥ 0.90 overall', () => {
    const all = scores.all!;
    expect(all.items).toBe(280);
    expect(all.precision, all.wrong.join('\n')).toBeGreaterThanOrEqual(0.95);
    expect(all.recall, all.wrong.join('\n')).toBeGreaterThanOrEqual(0.9);
  });

  it.each(LANGUAGES)('finds at least 75 %% of the on-topic items in %s', (lang) => {
    const score = scores[`lang:${lang}`]!;
    expect(score.recall, score.wrong.join('\n')).toBeGreaterThanOrEqual(0.75);
  });
});
