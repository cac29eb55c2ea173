// The crash loop of crash-sqlite.test.ts on PostgreSQL: SIGKILL at 23 points (12 named steps,
// store writes, random moments), restarting on the same database each time. After a SIGKILL the
// next process waits for the dead leader's lease to expire (3 s: processes may run on other
// hosts, so a dead pid proves nothing). See crash-run.ts; CRASH_SEED=<seed> replays a run.
import { afterEach, expect, it } from 'vitest';
import { crashSeed, killAllBots, postedTitles, postgresEngine, startBotWorld, type BotWorld } from '../support/bot-process.ts';
import { describeWithPostgres } from '../support/postgres.ts';
import { crashRun, report } from './crash-run.ts';

const SEED = crashSeed();
console.log(`crash test (PostgreSQL): CRASH_SEED=${SEED} (set it to replay this run)`);

let world: BotWorld | undefined;

afterEach(async () => {
  await killAllBots();
  await world?.close();
  world = undefined;
});

describeWithPostgres('SIGKILL at many points of a poll-and-deliver cycle, then restart (PostgreSQL)', (pg) => {
  it('every on-topic item is announced exactly once, in order', async () => {
    const w = (world = await startBotWorld());
    const { kills, expected } = await crashRun(w, await postgresEngine(pg).fresh(w, 'crash'), 20, SEED);
    report('PostgreSQL', SEED, kills);
    expect(postedTitles(w.fake)).toEqual(expected);
  }, 900_000);
});
