// Several bot processes on one Redis: exactly one (the lease holder) polls and delivers; when it
// is SIGKILLed another takes over within about two poll intervals, and no announcement is lost
// or doubled across the handovers. Followers keep answering commands from the shared store.
import { afterEach, describe, expect, it } from 'vitest';
import { deployCommands } from '../../src/cli/deploy-commands.ts';
import { loadBotConfig } from '../../src/config.ts';
import { sequel } from '../support/bot-harness.ts';
import {
  botEnv,
  countLogs,
  crashSeed,
  eventually,
  postedTitles,
  redisForBots,
  redisSkipReason,
  seededRandom,
  startBotProcess,
  startBotWorld,
  waitForCycles,
  type BotProcess,
  type BotWorld,
  type ProcessRedis,
} from '../support/bot-process.ts';
import type { TestItem } from '../support/feeds.ts';

/** Every 2 s: the lease lives 3 s and is renewed (or tried) every second. */
const POLL_CRON = '*/2 * * * * *';
const POLL_INTERVAL_MS = 2_000;
/** Two poll intervals is the promise (measured and logged below); the deadline allows for a busy machine. */
const TAKEOVER_DEADLINE_MS = 60_000;

const SEED = crashSeed();
console.log(`instances test: CRASH_SEED=${SEED} (set it to replay this run)`);

let world: BotWorld | undefined;
let redis: ProcessRedis | undefined;

afterEach(async () => {
  await world?.close();
  world = undefined;
  await redis?.close();
  redis = undefined;
});

const title = (n: number) => `Alita 2 news number ${n}`;
const LEADER = /leader lease acquired/;
const FOLLOWER = /another instance holds the leader lease/;
const isLeader = (bot: BotProcess) => bot.running && LEADER.test(bot.logs());
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

const skip = redisSkipReason();

describe.skipIf(Boolean(skip))(`several instances on one Redis${skip ? ` (SKIPPED: ${skip})` : ''}`, () => {
  it('one leader polls and delivers; after SIGKILL another takes over; nothing lost or doubled', async () => {
    const random = seededRandom(SEED);
    const w = (world = await startBotWorld());
    redis = await redisForBots(12);
    const items: TestItem[] = [sequel(1)];
    const publish = (n: number) => {
      items.unshift(sequel(n));
      w.feeds.set('main', items);
    };
    w.feeds.set('main', items);
    const env = botEnv({ fake: w.fake, feeds: [w.feeds.url('main')], keyvUrl: redis!.url, pollCron: POLL_CRON });
    await deployCommands(loadBotConfig({ ...env, DISCORD_GUILD_ID: w.fake.guild.id }));

    const bots = ['A', 'B', 'C'].map((name) => startBotProcess(env, name));
    await Promise.all(bots.map((bot) => bot.waitForLog(new RegExp(`${LEADER.source}|${FOLLOWER.source}`), 90_000)));
    const first = bots.filter(isLeader);
    expect(first.map((b) => b.label), 'exactly one leader').toHaveLength(1);
    let leader = first[0]!;
    await waitForCycles(leader, 1);

    // Only the leader polls and delivers.
    publish(2);
    publish(3);
    await eventually(() => postedTitles(w.fake).length >= 2, 90_000, () => 'items 2 and 3');
    await waitForCycles(leader, 2);
    expect(postedTitles(w.fake)).toEqual([title(2), title(3)]);
    for (const follower of bots.filter((b) => b !== leader)) expect(countLogs(follower, /poll finished/), follower.label).toBe(0);

    const takeovers: number[] = [];
    let n = 3;
    for (let handover = 1; handover <= 2; handover++) {
      // News arrives, and the leader dies at some moment of the cycles that follow.
      publish(++n);
      await sleep(Math.floor(random() * 2 * POLL_INTERVAL_MS));
      const before = new Map(bots.map((b) => [b, countLogs(b, LEADER)]));
      await leader.kill();
      const killedAt = Date.now();

      // Before anyone takes over, a follower answers commands from the shared store.
      if (handover === 1) {
        const reply = await w.fake.sendCommand({ name: 'latest' }).reply();
        expect(reply.embeds[0]?.description).toContain(title(3));
        // The instances that lost the race to answer it do not report an error.
        await new Promise((resolve) => setTimeout(resolve, 500));
        expect(bots.flatMap((b) => b.logs().split('\n')).filter((l) => /ERROR interaction failed/.test(l))).toEqual([]);
      }

      await eventually(() => bots.some((b) => b.running && countLogs(b, LEADER) > before.get(b)!), TAKEOVER_DEADLINE_MS, () => `a takeover after killing ${leader.label}`);
      takeovers.push(Date.now() - killedAt);
      const next = bots.filter((b) => b.running && countLogs(b, LEADER) > before.get(b)!);
      expect(next, 'exactly one new leader').toHaveLength(1);
      leader = next[0]!;

      publish(++n);
      await eventually(() => postedTitles(w.fake).length >= n - 1, 90_000, () => `items up to ${n}: ${postedTitles(w.fake).join(', ')}`);
      await waitForCycles(leader, 2);
      expect(postedTitles(w.fake)).toEqual(Array.from({ length: n - 1 }, (_, i) => title(i + 2)));
    }
    console.log(`takeover after SIGKILL: ${takeovers.map((ms) => `${ms} ms`).join(', ')} (poll interval ${POLL_INTERVAL_MS} ms, lease 3000 ms)`);

    // A graceful stop hands over at once: the lease is released, not left to expire.
    const spare = startBotProcess(env, 'D');
    await spare.waitForLog(FOLLOWER, 90_000);
    publish(++n);
    expect(await leader.signal('SIGTERM')).toEqual({ code: 0, signal: null });
    await spare.waitForLog(LEADER, TAKEOVER_DEADLINE_MS);
    await eventually(() => postedTitles(w.fake).length >= n - 1, 90_000, () => `items up to ${n}`);
    await waitForCycles(spare, 2);
    expect(postedTitles(w.fake)).toEqual(Array.from({ length: n - 1 }, (_, i) => title(i + 2)));
    expect(await spare.signal('SIGTERM')).toEqual({ code: 0, signal: null });
  }, 600_000);
});
