// Several bot processes on one database (PostgreSQL, and one SQLite file): exactly one (the
// lease holder) polls and delivers; when it is SIGKILLed another takes over, and no announcement
// is lost or doubled across the handovers. Followers answer commands from the shared store; a
// graceful SIGTERM hands over at once. Takeover times are logged, not judged (the promise is two
// poll intervals; a busy machine is slower): the deadlines here only catch a takeover that never comes.
import { afterEach, expect, it } from 'vitest';
import { deployCommands } from '../../src/cli/deploy-commands.ts';
import { loadBotConfig } from '../../src/config.ts';
import { sequel } from '../support/bot-harness.ts';
import {
  botEnv,
  countLogs,
  crashSeed,
  describeEachEngine,
  eventually,
  postedTitles,
  seededRandom,
  startBotProcess,
  startBotWorld,
  waitForCycles,
  type BotProcess,
  type BotWorld,
} from '../support/bot-process.ts';
import type { TestItem } from '../support/feeds.ts';

/** Every 2 s: the lease lives 3 s and is renewed (or tried) every second. */
const POLL_CRON = '*/2 * * * * *';
const POLL_INTERVAL_MS = 2_000;
const DEADLINE_MS = 90_000;

const SEED = crashSeed();
console.log(`instances test: CRASH_SEED=${SEED} (set it to replay this run)`);

let world: BotWorld | undefined;

afterEach(async () => {
  await world?.close();
  world = undefined;
});

const title = (n: number) => `Alita 2 news number ${n}`;
const upTo = (n: number) => Array.from({ length: n - 1 }, (_, i) => title(i + 2));
const LEADER = /leader lease acquired/;
const FOLLOWER = /another instance holds the leader lease/;
/** Every instance receives every interaction: one answers, the others log one of these. */
const STOOD_DOWN = /interaction answered elsewhere command=latest|interaction failed command=latest/;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Sends /latest until an instance that never polled answers it (any of them may win the race); returns its reply. */
async function followerAnswersLatest(w: BotWorld, bots: BotProcess[]): Promise<string> {
  const live = bots.filter((b) => b.running);
  for (let attempt = 1; attempt <= 20; attempt++) {
    const before = new Map(live.map((b) => [b, countLogs(b, STOOD_DOWN)]));
    const reply = await w.fake.sendCommand({ name: 'latest' }).reply({ timeoutMs: DEADLINE_MS });
    const stoodDown = () => live.filter((b) => countLogs(b, STOOD_DOWN) > before.get(b)!);
    await eventually(() => stoodDown().length >= live.length - 1, DEADLINE_MS, () => 'the other instances to stand down');
    const answerer = live.find((b) => !stoodDown().includes(b))!;
    if (countLogs(answerer, /poll finished/) === 0) return reply.embeds[0]?.description ?? reply.content ?? '';
  }
  throw new Error('the leader answered /latest 20 times in a row');
}

describeEachEngine('several instances on one database', (engine) => {
  it('one leader polls and delivers; after SIGKILL another takes over; nothing lost or doubled; SIGTERM hands over at once', async () => {
    const random = seededRandom(SEED);
    const w = (world = await startBotWorld());
    const items: TestItem[] = [sequel(1)];
    const publish = (n: number) => {
      items.unshift(sequel(n));
      w.feeds.set('main', items);
    };
    w.feeds.set('main', items);
    const env = botEnv({ fake: w.fake, feeds: [w.feeds.url('main')], databaseUrl: await engine().fresh(w), pollCron: POLL_CRON });
    await deployCommands(loadBotConfig({ ...env, DISCORD_GUILD_ID: w.fake.guild.id }));

    const bots = ['A', 'B', 'C'].map((name) => startBotProcess(env, name));
    await Promise.all(bots.map((bot) => bot.waitForLog(new RegExp(`${LEADER.source}|${FOLLOWER.source}`), DEADLINE_MS)));
    const first = bots.filter((b) => LEADER.test(b.logs()));
    expect(first.map((b) => b.label), 'exactly one leader').toHaveLength(1);
    let leader = first[0]!;
    await waitForCycles(leader, 1);

    // Only the leader polls and delivers.
    publish(2);
    publish(3);
    await eventually(() => postedTitles(w.fake).length >= 2, DEADLINE_MS, () => 'items 2 and 3');
    await waitForCycles(leader, 2);
    expect(postedTitles(w.fake)).toEqual(upTo(3));
    for (const follower of bots.filter((b) => b !== leader)) expect(countLogs(follower, /poll finished/), follower.label).toBe(0);

    // A follower, which never polled, answers from the shared store; no instance reports an error.
    expect(await followerAnswersLatest(w, bots)).toContain(title(3));
    expect(bots.flatMap((b) => b.logs().split('\n')).filter((l) => /ERROR interaction failed/.test(l))).toEqual([]);

    const takeovers: number[] = [];
    let n = 3;
    for (let handover = 1; handover <= 2; handover++) {
      // News arrives, and the leader dies at some moment of the cycles that follow.
      publish(++n);
      await sleep(Math.floor(random() * 2 * POLL_INTERVAL_MS));
      const before = new Map(bots.map((b) => [b, countLogs(b, LEADER)]));
      await leader.kill();
      const killedAt = Date.now();
      const next = () => bots.filter((b) => b.running && countLogs(b, LEADER) > before.get(b)!);
      await eventually(() => next().length > 0, DEADLINE_MS, () => `a takeover after killing ${leader.label}`);
      takeovers.push(Date.now() - killedAt);
      expect(next().map((b) => b.label), 'exactly one new leader').toHaveLength(1);
      leader = next()[0]!;

      publish(++n);
      await eventually(() => postedTitles(w.fake).length >= n - 1, DEADLINE_MS, () => `items up to ${n}: ${postedTitles(w.fake).join(', ')}`);
      await waitForCycles(leader, 2);
      expect(postedTitles(w.fake)).toEqual(upTo(n));
    }

    // A graceful stop hands over at once: the lease is released, not left to expire.
    const spare = startBotProcess(env, 'D');
    await spare.waitForLog(FOLLOWER, DEADLINE_MS);
    publish(++n);
    const stopped = Date.now();
    expect(await leader.signal('SIGTERM')).toEqual({ code: 0, signal: null });
    await spare.waitForLog(LEADER, DEADLINE_MS);
    const handedOver = Date.now() - stopped;
    console.log(
      `${engine().kind}: takeover after SIGKILL ${takeovers.map((ms) => `${ms} ms`).join(', ')}; after SIGTERM ${handedOver} ms ` +
        `(promise: within two poll intervals, ${2 * POLL_INTERVAL_MS} ms, after a SIGKILL; lease 3000 ms, tried every 1000 ms)`,
    );
    await eventually(() => postedTitles(w.fake).length >= n - 1, DEADLINE_MS, () => `items up to ${n}`);
    await waitForCycles(spare, 2);
    expect(postedTitles(w.fake)).toEqual(upTo(n));
    expect(await spare.signal('SIGTERM')).toEqual({ code: 0, signal: null });
  }, 600_000);
});
