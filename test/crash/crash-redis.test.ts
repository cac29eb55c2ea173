// The crash loop of crash-sqlite.test.ts on Redis, with fewer lives: after a SIGKILL the next
// process waits for the dead one's lease to expire (about 3 s). CRASH_SEED=<seed> replays a run.
import { afterEach, describe, expect, it } from 'vitest';
import { crashSeed, killAllBots, postedTitles, redisForBots, redisSkipReason, startBotWorld, type BotWorld, type ProcessRedis } from '../support/bot-process.ts';
import { crashRun, report } from './crash-run.ts';

const SEED = crashSeed();
console.log(`crash test (Redis): CRASH_SEED=${SEED} (set it to replay this run)`);

let world: BotWorld | undefined;
let redis: ProcessRedis | undefined;

afterEach(async () => {
  await killAllBots();
  await world?.close();
  world = undefined;
  await redis?.close();
  redis = undefined;
});

const skip = redisSkipReason();

describe.skipIf(Boolean(skip))(`SIGKILL at many points of a poll-and-deliver cycle, then restart (Redis${skip ? `; SKIPPED: ${skip}` : ''})`, () => {
  it('every on-topic item is announced exactly once, in order', async () => {
    const w = (world = await startBotWorld());
    redis = await redisForBots(11);
    const named = ['after:enqueue:1', 'after:markSeen:1', 'after:lastPoll:1', 'after:send:1', 'after:markDelivered:1'];
    const { kills, expected } = await crashRun(w, redis!.url, 9, named, SEED);
    report('Redis', SEED, kills);
    expect(postedTitles(w.fake)).toEqual(expected);
    expect(kills.length).toBeGreaterThanOrEqual(10);
  }, 900_000);
});
