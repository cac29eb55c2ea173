// SIGKILL at 22 points of poll-and-deliver cycles (12 named steps, store writes, random moments),
// in two loops side by side, each restarting on its own SQLite file each time: every on-topic item reaches #news exactly once,
// in order. See crash-run.ts; CRASH_SEED=<seed> replays a run.
import { afterEach, describe, it } from 'vitest';
import { crashSeed, killAllBots, type BotWorld } from '../support/bot-process.ts';
import { crashChains } from './crash-run.ts';

const SEED = crashSeed();
console.log(`crash test (SQLite): CRASH_SEED=${SEED} (set it to replay this run)`);

const worlds: BotWorld[] = [];

afterEach(async () => {
  await killAllBots();
  for (const world of worlds.splice(0)) await world.close();
});

describe('SIGKILL at many points of a poll-and-deliver cycle, then restart (SQLite)', () => {
  it('every on-topic item is announced exactly once, in order', async () => {
    await crashChains('SQLite', worlds, async (world) => world.sqliteUrl(), 20, SEED);
  }, 900_000);
});
