/**
 * Benchmark 2: `/latest` reply latency through the fake Discord, with the real bot (`runBot`
 * with DISCORD_TOKEN / DISCORD_API_URL, the real discord.js client and commands) and a big
 * archive: during the bot's first (cold) poll cycle over the benchmark feeds, then idle.
 */
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { PassThrough } from 'node:stream';
import { allCommands } from '../../src/app/commands.ts';
import { runBot } from '../../src/app/run.ts';
import { deployCommands } from '../../src/cli/deploy-commands.ts';
import { loadBotConfig } from '../../src/config.ts';
import type { NewsItem } from '../../src/engine/types.ts';
import { ARCHIVE_LIMIT, openStores, type NewsStore } from '../../src/store/sql/index.ts';
import { noIdentifyThrottle } from '../../test/fake-discord/client.ts';
import { precompileRoutes } from '../../test/support/discord-schema.ts';
import { startFakeDiscord } from '../../test/fake-discord/server.ts';
import { latencyStats, logSink, NEVER, profileStore, RECORD_METHODS, sleep, tempDir, type LatencyStats, type StoreProfile } from './bench-bot.ts';
import { spawnFeedServers, type FeedServers, type FeedServerSpec } from './feed-servers.ts';
import { ms, num, type Section } from './report.ts';
import { WORKLOAD_LABELS } from './workloads.ts';

export interface LatestLatencyOptions {
  spec: FeedServerSpec;
  servers?: FeedServers;
  /** Items put in the archive before the bot starts (the issue: 10,000). */
  archiveItems: number;
  /** /latest commands sent while idle. */
  idleCommands: number;
  /** Pause between two commands (a random 0…gapMs), so they do not phase-lock with the cycle. */
  gapMs: number;
}

/** Why a reply was slow: the store read /latest makes, and how late the event loop ran. */
export interface LatencyDiagnosis {
  /** Time inside `ctx.news.archive()` (the one store read /latest makes), per command. */
  archiveRead: LatencyStats;
  /** Event-loop delay (perf_hooks.monitorEventLoopDelay, 10 ms resolution): p99 and max, ms. */
  loopDelayP99Ms: number;
  loopDelayMaxMs: number;
}

export interface LatestLatencyResult {
  diagnosis: { duringCold: LatencyDiagnosis; idle: LatencyDiagnosis; coldStore: StoreProfile };
  archive: {
    requested: number;
    /** What the store kept (archivedCount() when the store has it, else archive().length). */
    kept: number;
    /** How many items /latest reads (archive().length). */
    readByLatest: number;
    limit: number;
  };
  duringCold: LatencyStats & { cycleWallMs: number; failedFeeds: number | undefined };
  idle: LatencyStats;
  /** Replies that were not a /latest embed (an apology, an error): should be 0. */
  badReplies: number;
  /** Replies the bot had to defer (over 1.5 s). */
  deferred: number;
  gapMs: number;
}

export const TARGET_P99_MS = 100;

/**
 * `count` on-topic items through NewsStore.recordPoll (archive rows only), in batches of 1,000,
 * newest first, as items of `feed` (one of the bot's operator feeds, so /latest shows them).
 */
export async function seedArchive(store: NewsStore, count: number, feed: string, now = Date.now()): Promise<void> {
  for (let start = 0; start < count; start += 1000) {
    const batch = Array.from({ length: Math.min(1000, count - start) }, (_, i) => archiveItem(start + i, now, feed));
    const input = { feedUrl: feed, itemIds: [], scopes: [], titleHashes: [] };
    await store.recordPoll(input, () => ({ result: undefined, archive: batch.map((item) => ({ item, sortKey: item.published ?? '' })) }));
  }
}


function archiveItem(n: number, now: number, feed: string): NewsItem {
  return {
    id: `bench-archive-${n}`,
    feed,
    source: 'Archive Wire',
    title: `Alita 2 news number ${n}: Rodriguez and Cameron talk about the Battle Angel sequel`,
    link: `https://archive.example.com/alita-2-${n}`,
    summary: `Update ${n} on the Alita: Battle Angel sequel, with what director Robert Rodriguez and producer James Cameron said this week.`,
    published: new Date(now - (n + 1) * 600_000).toISOString(),
  };
}

/** What the bot sends the fake while this benchmark runs: /latest's replies (and announcements, should a cycle post any). */
const FAKE_ROUTES_USED = [
  ['POST', '/interactions/1/token/callback'],
  ['POST', '/channels/1/messages'],
] as const;

export async function runLatestLatencyBench(options: LatestLatencyOptions): Promise<LatestLatencyResult> {
  const servers = options.servers ?? (await spawnFeedServers(options.spec));
  const dir = tempDir();
  const fake = await startFakeDiscord();
  // debug: the cold cycle's 'poll finished' line (its failed count) is a debug line when nothing was found.
  const logs = logSink('debug');
  let stopBot: (() => Promise<void>) | undefined;
  try {
    const config = loadBotConfig({
      DISCORD_TOKEN: 'bench-token',
      DISCORD_API_URL: fake.apiUrl,
      DISCORD_CLIENT_ID: fake.applicationId,
      DISCORD_GUILD_ID: fake.guild.id,
      ANNOUNCE_CHANNEL_ID: fake.channelId('news'),
      FEEDS: servers.urls.join(','),
      POLL_CRON: NEVER,
      DATABASE_URL: dir.sqliteUrl(),
      LOG_LEVEL: 'info',
    });
    // Registered as `npm run deploy-commands` does, so the fake types options as Discord would.
    await deployCommands(config);

    const stores = await openStores(config.DATABASE_URL, logs.logger);
    await seedArchive(stores.news, options.archiveItems, new URL(servers.urls[0]!).href);
    const kept = await stores.news.archivedCount();
    // What /latest reads: its newest page, not the whole archive.
    const readByLatest = (await stores.news.latest({ limit: 10 })).length;

    let badReplies = 0;
    let deferred = 0;
    const latest = async (): Promise<number> => {
      const t0 = performance.now();
      const handle = fake.sendCommand({ name: 'latest' });
      const reply = await handle.reply({ timeoutMs: 30_000 });
      const elapsed = performance.now() - t0;
      if (!reply.embeds[0]?.title?.startsWith('Latest')) badReplies++;
      if (handle.deferred) deferred++;
      return elapsed;
    };

    // The fake runs in this process: its schema validators are compiled here, not during the cycle.
    precompileRoutes(FAKE_ROUTES_USED);

    // runBot starts its first poll at once; with the store empty of feeds, that is the cold cycle.
    const bot = await runBot({
      config,
      stores,
      logger: logs.logger,
      commands: allCommands,
      input: new PassThrough(),
      discordClientOptions: { ws: noIdentifyThrottle },
    });
    stopBot = () => bot.stop();
    // Diagnosis only: time the store calls (the cycle's first records come after a fetch, later than this).
    const profile = profileStore([
      [bot.ctx.news, RECORD_METHODS.filter((m) => m !== 'enqueue')],
      [bot.ctx.outbox, ['enqueue']],
    ]);
    let archiveReads: number[] = [];
    const news = bot.ctx.news;
    const latestRead = news.latest.bind(news);
    news.latest = async (options) => {
      const t = performance.now();
      try {
        return await latestRead(options);
      } finally {
        archiveReads.push(performance.now() - t);
      }
    };
    const loop = monitorEventLoopDelay({ resolution: 10 });
    const diagnose = (): LatencyDiagnosis => {
      const result = { archiveRead: latencyStats(archiveReads), loopDelayP99Ms: loop.percentile(99) / 1e6, loopDelayMaxMs: loop.max / 1e6 };
      archiveReads = [];
      loop.reset();
      return result;
    };
    loop.enable();
    const t0 = performance.now();
    let cycleDone = false;
    const cycle = bot.scheduler.runNow().then(() => {
      cycleDone = true;
    });
    const during: number[] = [];
    while (!cycleDone) {
      during.push(await latest());
      await sleep(Math.random() * options.gapMs);
    }
    await cycle;
    const cycleWallMs = performance.now() - t0;
    const coldDiagnosis = diagnose();
    const coldStore = profile.take();
    const finished = logs.lines.find((l) => l.includes('poll finished'));
    const failedFeeds = finished ? Number(/failed=(\d+)/.exec(finished)?.[1]) : undefined;

    // Idle: the cycle is over and nothing else runs.
    await sleep(200);
    const idle: number[] = [];
    for (let i = 0; i < options.idleCommands; i++) {
      idle.push(await latest());
      await sleep(Math.random() * options.gapMs);
    }
    const idleDiagnosis = diagnose();
    loop.disable();
    return {
      diagnosis: { duringCold: coldDiagnosis, idle: idleDiagnosis, coldStore },
      archive: { requested: options.archiveItems, kept, readByLatest, limit: ARCHIVE_LIMIT },
      duringCold: { ...latencyStats(during), cycleWallMs, failedFeeds },
      idle: latencyStats(idle),
      badReplies,
      deferred,
      gapMs: options.gapMs,
    };
  } finally {
    await stopBot?.().catch(() => undefined);
    await fake.close().catch(() => undefined);
    dir.remove();
    if (!options.servers) await servers.close();
  }
}

export function latestLatencySection(r: LatestLatencyResult, spec: FeedServerSpec): Section {
  const notes: string[] = [];
  if (r.archive.kept < r.archive.requested) {
    notes.push(`⚠ The archive cannot hold ${num(r.archive.requested)} items: \`NewsStore\` caps it at ARCHIVE_LIMIT = ${num(r.archive.limit)} (src/store/sql/news.ts), so the store kept ${num(r.archive.kept)} and /latest was measured with those.`);
  } else {
    notes.push(`The store kept all ${num(r.archive.kept)} archived items (ARCHIVE_LIMIT = ${num(r.archive.limit)}); /latest reads ${num(r.archive.readByLatest)} of them.`);
  }
  if (r.badReplies > 0) notes.push(`⚠ ${r.badReplies} /latest replies were not the expected embed.`);
  if (r.deferred > 0) notes.push(`⚠ ${r.deferred} /latest replies took over 1.5 s and were deferred.`);
  const d = r.diagnosis;
  const cs = d.coldStore.byMethod;
  notes.push(
    `Diagnosis — during the cold cycle the one store read /latest makes (\`ctx.news.latest()\`) took p50 ${ms(d.duringCold.archiveRead.p50Ms)}, p99 ${ms(d.duringCold.archiveRead.p99Ms)}, max ${ms(d.duringCold.archiveRead.maxMs)} (idle: p99 ${ms(d.idle.archiveRead.p99Ms)}); ` +
      `the event loop ran late by p99 ${ms(d.duringCold.loopDelayP99Ms)}, max ${ms(d.duringCold.loopDelayMaxMs)} (idle: p99 ${ms(d.idle.loopDelayP99Ms)}, max ${ms(d.idle.loopDelayMaxMs)}). ` +
      `The cycle's record step spent ${ms(d.coldStore.recordMs)} in store calls (recordPoll: ${num(cs.recordPoll?.calls ?? 0)} transactions).`,
  );
  if (r.duringCold.failedFeeds) notes.push(`⚠ ${r.duringCold.failedFeeds} feeds failed during the cold cycle.`);
  const pass = (v: number) => Number.isFinite(v) && v < TARGET_P99_MS;
  return {
    title: `2. /latest reply latency — ${WORKLOAD_LABELS[spec.content ?? 'news']}`,
    rows: [
      { metric: `Idle: p50 (${r.idle.samples} commands)`, measured: ms(r.idle.p50Ms), target: '—', pass: null, ratio: `mean ${ms(r.idle.meanMs)}, max ${ms(r.idle.maxMs)}` },
      { metric: 'Idle: p99', measured: ms(r.idle.p99Ms), target: `< ${TARGET_P99_MS} ms`, pass: pass(r.idle.p99Ms), ratio: `${(r.idle.p99Ms / TARGET_P99_MS).toFixed(2)}× target` },
      { metric: `During the cold cycle: p50 (${r.duringCold.samples} commands)`, measured: ms(r.duringCold.p50Ms), target: '—', pass: null, ratio: `mean ${ms(r.duringCold.meanMs)}, max ${ms(r.duringCold.maxMs)}` },
      { metric: 'During the cold cycle: p99', measured: ms(r.duringCold.p99Ms), target: `< ${TARGET_P99_MS} ms`, pass: pass(r.duringCold.p99Ms), ratio: `${(r.duringCold.p99Ms / TARGET_P99_MS).toFixed(2)}× target`, check: { id: 'latest-p99', value: ms(r.duringCold.p99Ms) } },
      { metric: 'Cold cycle wall time (runBot’s first poll)', measured: ms(r.duringCold.cycleWallMs), target: '—', pass: null, ratio: '' },
      { metric: 'Archived items (requested → kept by the store)', measured: `${num(r.archive.requested)} → ${num(r.archive.kept)}`, target: num(r.archive.requested), pass: null, ratio: `/latest reads ${num(r.archive.readByLatest)}` },
    ],
    notes,
    how: [
      'The real bot, `runBot` from src/app/run.ts with DISCORD_TOKEN and DISCORD_API_URL pointing at the fake Discord (test/fake-discord/server.ts, in the same process), the real discord.js client and the commands of src/app/commands.ts, registered with deploy-commands first. The fake\'s JSON-schema validators for the routes the bot calls are compiled before the bot starts: compiling one takes up to 250 ms of this process\'s event loop, which Discord\'s own servers would not take from the bot.',
      `Before start the archive gets ${num(r.archive.requested)} on-topic items through \`NewsStore.recordPoll\` (batches of 1,000) on a fresh SQLite store.`,
      `runBot starts its first poll at once: the cold cycle of benchmark 1 (${spec.feeds + spec.bigFeeds} feeds of the \`${spec.content ?? 'news'}\` workload, ${spec.hosts} hosts, ${spec.latencyMs} ms latency; feed servers in another process). While it runs, /latest is sent again and again, one at a time with a random 0–${r.gapMs} ms pause;`,
      `afterwards ${r.idle.samples} more are sent with the bot idle. Latency = from \`fake.sendCommand({ name: 'latest' })\` to the moment \`handle.reply()\` resolves (the fake accepted the reply callback). Percentiles are nearest-rank.`,
      'For the diagnosis the bot’s `ctx.news` methods are wrapped with timers and the event-loop delay is monitored; nothing else changes.',
    ],
  };
}
