// The crash loop shared by crash-sqlite.test.ts and crash-postgres.test.ts. The bot as a real
// process, killed with SIGKILL over and over at points chosen by a seeded PRNG, restarted each
// time on the same database, while news keeps arriving on two feeds (the second one re-posts
// some stories under other links). Afterwards every on-topic item must be in #news exactly once,
// in the order it was published, and nothing may be left queued or dead in the outbox.
//
// Kill points: named steps of a cycle (ALITA_TEST_KILL_AT, src/bot/crash-points.ts), the n-th
// store write of a process (`after:write:n`: between any two writes), and random moments
// measured from start-up or from the moment the process took the leader lease.
// The seed is printed; CRASH_SEED=<seed> npx vitest run test/crash/crash-sqlite.test.ts replays a run
// (loop n of crashChains uses seed + n).
import { expect } from 'vitest';
import { sequel } from '../support/bot-harness.ts';
import { botEnv, eventually, inspectStore, postedTitles, seededRandom, startBotProcess, startBotWorld, waitForCycles, type BotProcess, type BotWorld } from '../support/bot-process.ts';
import type { TestItem } from '../support/feeds.ts';

/** Named steps; each is used once per run, the rest of the kills are store writes and random times. */
export const NAMED_POINTS = [
  'before:cycle:2',
  'before:commit:1',
  'before:commit:2',
  'after:record:1',
  'before:record:2',
  'after:record:2',
  'after:feedState:1',
  'after:lastPoll:1',
  'before:send:1',
  'after:send:1',
  'after:send:2',
  'after:markDelivered:1',
];

interface Needs {
  /** Two new stories, so two sends. */
  twoItems?: boolean;
  /** The mirror changes too, so a second record. */
  mirrorChange?: boolean;
  /**
   * This life polls main only (FEEDS changed between restarts): crash-points counts a step when
   * it starts, so `after:<step>:1` is never reached when two feeds run that step at once (the
   * count is already 2 when the first ends). With one feed, main's record is the first record,
   * and its unchanged poll in the next cycle the first feedState.
   */
  mainOnly?: boolean;
}

/** What a point needs from its life to be reached. */
const NEEDS: Record<string, Needs> = {
  'after:send:2': { twoItems: true },
  'before:record:2': { mirrorChange: true },
  'after:record:2': { mirrorChange: true },
  'after:record:1': { mainOnly: true },
  'after:feedState:1': { mainOnly: true },
};

type Plan = { kind: 'point'; spec: string } | { kind: 'time'; from: 'start' | 'leader'; afterMs: number };

const LEADER = /leader lease acquired/;

function describePlan(plan: Plan): string {
  return plan.kind === 'point' ? plan.spec : `${plan.afterMs} ms after ${plan.from === 'start' ? 'start' : 'taking the lease'}`;
}

/** `rounds` kills: every named point, then store writes and random times, shuffled. */
function planKills(random: () => number, rounds: number, named: string[]): Plan[] {
  const plans: Plan[] = named.slice(0, rounds).map((spec) => ({ kind: 'point', spec }));
  while (plans.length < rounds) {
    const pick = random();
    if (pick < 0.5) plans.push({ kind: 'point', spec: `after:write:${1 + Math.floor(random() * 20)}` });
    else plans.push({ kind: 'time', from: pick < 0.65 ? 'start' : 'leader', afterMs: Math.floor(random() * (pick < 0.65 ? 2500 : 1200)) });
  }
  for (let i = plans.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [plans[i], plans[j]] = [plans[j]!, plans[i]!];
  }
  return plans;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export interface Kill {
  plan: string;
  /** What actually happened: the crash point the process reached, or the test's SIGKILL. */
  outcome: string;
}

/** News arriving over time: on-topic items on `main`, some re-posted later on `mirror`, some off-topic noise. */
class Newsroom {
  private n = 0;
  private readonly main: TestItem[] = [];
  private readonly mirror: TestItem[] = [];
  private readonly pendingMirror: TestItem[] = [];
  readonly expected: string[] = [];

  constructor(private readonly world: BotWorld, private readonly random: () => number) {}

  /** Before the bot ever runs: what its first poll finds (announced never, BACKFILL=0). */
  seed(): void {
    this.main.push(sequel(++this.n), sequel(++this.n));
    this.flush();
  }

  publish(needs: Needs = {}): void {
    // Stories re-posted on the mirror a round after they appeared on main, under another link.
    this.mirror.push(...this.pendingMirror.splice(0));
    const count = needs.twoItems || this.random() < 0.4 ? 2 : 1;
    for (let i = 0; i < count; i++) {
      const item = sequel(++this.n);
      this.main.push(item);
      this.expected.push(item.title);
      if (this.random() < 0.5) this.pendingMirror.push({ ...item, link: `https://mirror.example.net/${this.n}` });
    }
    if (this.random() < 0.3) this.main.push(this.noise());
    if (needs.mirrorChange) this.mirror.push(this.noise());
    this.flush();
  }

  private noise(): TestItem {
    const n = ++this.n;
    return { title: `Avatar ${n} box office`, link: `https://news.example.com/avatar-${n}`, date: new Date(Date.UTC(2024, 1, 10, n)).toISOString() };
  }

  private flush(): void {
    // Feeds list newest first.
    this.world.feeds.set('main', [...this.main].reverse());
    this.world.feeds.set('mirror', [...this.mirror].reverse());
  }
}

/** One life of the bot: started, then SIGKILLed as planned. */
async function liveAndDie(env: Record<string, string>, plan: Plan, round: number): Promise<Kill> {
  let bot: BotProcess;
  if (plan.kind === 'point') {
    bot = startBotProcess({ ...env, ALITA_TEST_KILL_AT: plan.spec }, `round ${round} (${plan.spec})`);
    // Only the leader polls (on PostgreSQL a dead leader's lease must expire first). A point this
    // life never reaches (no n-th write in it, say): after a few cycles as leader, it is killed anyway.
    await Promise.race([bot.exited, bot.waitForLog(LEADER).catch(() => undefined)]);
    await Promise.race([bot.exited, waitForCycles(bot, 6).catch(() => undefined)]);
  } else {
    bot = startBotProcess(env, `round ${round} (${describePlan(plan)})`);
    if (plan.from === 'leader') await Promise.race([bot.exited, bot.waitForLog(LEADER).catch(() => undefined)]);
    await sleep(plan.afterMs);
  }
  const reached = /crash point reached: (\S+)/.exec(bot.logs())?.[1];
  const exit = await bot.kill();
  expect(exit.signal, `${bot.label}\n${bot.logs()}`).toBe('SIGKILL');
  return { plan: describePlan(plan), outcome: reached ?? (plan.kind === 'point' ? 'not reached: killed by the test' : 'killed by the test') };
}

export async function crashRun(world: BotWorld, databaseUrl: string, rounds: number, seed: number, named = NAMED_POINTS): Promise<{ kills: Kill[]; expected: string[] }> {
  const random = seededRandom(seed);
  const news = new Newsroom(world, random);
  // Up to 50 posts per channel and cycle: lives that die before recording let news pile up, and
  // this test counts single announcements (digests have tests of their own).
  const extra = { MAX_ANNOUNCEMENTS_PER_POLL: '50' };
  const env = botEnv({ fake: world.fake, feeds: [world.feeds.url('main'), world.feeds.url('mirror')], databaseUrl, extra });
  news.seed();
  // The feeds' first poll (which announces nothing), then the first kill, at rest.
  const first = startBotProcess(env, 'first poll');
  await waitForCycles(first, 1);
  await first.kill();

  const kills: Kill[] = [{ plan: 'idle, after the first poll', outcome: 'killed by the test' }];
  for (const [i, plan] of planKills(random, rounds, named).entries()) {
    const needs = (plan.kind === 'point' && NEEDS[plan.spec]) || {};
    news.publish(needs);
    kills.push(await liveAndDie(needs.mainOnly ? { ...env, FEEDS: world.feeds.url('main') } : env, plan, i + 1));
  }

  // A last clean life delivers whatever the crashes left behind, then stops gracefully.
  news.publish();
  const last = startBotProcess(env, 'final run');
  await eventually(() => postedTitles(world.fake).length >= news.expected.length, 180_000, () => `${news.expected.length} announcements, got ${postedTitles(world.fake).length}\n${last.logs()}`);
  await waitForCycles(last, 3);
  expect(await last.signal('SIGTERM')).toEqual({ code: 0, signal: null });
  expect(await inspectStore(databaseUrl, (s) => s.outbox.counts())).toEqual({ pending: 0, dead: 0, retrying: 0, publishing: 0 });
  return { kills, expected: news.expected };
}

/**
 * `rounds` kills dealt over `chains` crash loops running side by side, each with its own fake
 * Discord, feeds and database (`fresh`), each named step in one of them. A restarted bot spends
 * most of its life waiting (for a dead leader's lease, for the next poll), so loops side by side
 * take the time of one. Every loop's items must each be announced exactly once, in order.
 */
export async function crashChains(label: string, worlds: BotWorld[], fresh: (world: BotWorld) => Promise<string>, rounds: number, seed: number, chains = 2): Promise<void> {
  const runs = await Promise.all(
    Array.from({ length: chains }, async (_, chain) => {
      const world = await startBotWorld();
      worlds.push(world);
      const named = NAMED_POINTS.filter((_, i) => i % chains === chain);
      const run = await crashRun(world, await fresh(world), Math.ceil(rounds / chains), seed + chain, named);
      return { world, ...run };
    }),
  );
  report(label, seed, runs.flatMap((run) => run.kills));
  for (const run of runs) expect(postedTitles(run.world.fake)).toEqual(run.expected);
}

/** Prints the run (seed, each kill and what it hit) and checks that the named steps were hit. */
export function report(label: string, seed: number, kills: Kill[]): void {
  console.log(`${label}: CRASH_SEED=${seed}, ${kills.length} kills:\n${kills.map((k, i) => `  ${String(i).padStart(2)}. ${k.plan.padEnd(34)} → ${k.outcome}`).join('\n')}`);
  expect(kills.length).toBeGreaterThanOrEqual(20);
  // Each named step is reached in its life (its round's news guarantees the work it needs).
  const reached = new Set(kills.map((k) => k.outcome));
  expect(NAMED_POINTS.filter((spec) => !reached.has(spec)), 'named steps never reached').toEqual([]);
}
