// The crash loops of crash-sqlite.test.ts on PostgreSQL: SIGKILL at 22 points (12 named steps,
// store writes, random moments) in two loops side by side, each restarting on its own database. After a SIGKILL the
// next process waits for the dead leader's lease to expire (3 s: processes may run on other
// hosts, so a dead pid proves nothing). See crash-run.ts; CRASH_SEED=<seed> replays a run.
import { afterEach, it } from 'vitest';
import { crashSeed, killAllBots, postgresEngine, type BotWorld } from '../support/bot-process.ts';
import { describeWithPostgres } from '../support/postgres.ts';
import { crashChains } from './crash-run.ts';

const SEED = crashSeed();
console.log(`crash test (PostgreSQL): CRASH_SEED=${SEED} (set it to replay this run)`);

const worlds: BotWorld[] = [];

afterEach(async () => {
  await killAllBots();
  for (const world of worlds.splice(0)) await world.close();
});

describeWithPostgres('SIGKILL at many points of a poll-and-deliver cycle, then restart (PostgreSQL)', (pg) => {
  it('every on-topic item is announced exactly once, in order', async () => {
    await crashChains('PostgreSQL', worlds, (world) => postgresEngine(pg).fresh(world, 'crash'), 20, SEED);
  }, 900_000);
});
