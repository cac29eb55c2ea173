// SIGKILL at 27 points of poll-and-deliver cycles (12 named steps, store writes, random moments),
// restarting on the same SQLite file each time: every on-topic item reaches #news exactly once,
// in order. See crash-run.ts; CRASH_SEED=<seed> replays a run.
import { afterEach, describe, expect, it } from 'vitest';
import { crashSeed, killAllBots, postedTitles, startBotWorld, type BotWorld } from '../support/bot-process.ts';
import { crashRun, report } from './crash-run.ts';

const SEED = crashSeed();
console.log(`crash test (SQLite): CRASH_SEED=${SEED} (set it to replay this run)`);

let world: BotWorld | undefined;

afterEach(async () => {
  await killAllBots();
  await world?.close();
  world = undefined;
});

describe('SIGKILL at many points of a poll-and-deliver cycle, then restart (SQLite)', () => {
  it('every on-topic item is announced exactly once, in order', async () => {
    const w = (world = await startBotWorld());
    const { kills, expected } = await crashRun(w, w.sqliteUrl(), 20, SEED);
    report('SQLite', SEED, kills);
    expect(postedTitles(w.fake)).toEqual(expected);
  }, 900_000);
});
