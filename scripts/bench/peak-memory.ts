/**
 * Benchmark 3: peak memory of the bot as users run it. `npm start`'s own process
 * (`node … dist/main.js` with its flags, bundled by the build) connected to the fake Discord, on a store
 * that already remembers 100,000 items, polling the benchmark feeds: start-up, the cold cycle,
 * then a steady cycle, with /latest answered throughout. The kernel's high-water mark of the
 * process (VmHWM, what `/usr/bin/time -v` calls "Maximum resident set size") is the figure.
 */
import { execFileSync } from 'node:child_process';
import { deployCommands } from '../../src/cli/deploy-commands.ts';
import { loadBotConfig } from '../../src/config.ts';
import { silentLogger } from '../../src/log.ts';
import { openStores } from '../../src/store/sql/index.ts';
import { startFakeDiscord } from '../../test/fake-discord/server.ts';
import { botEnv, startBotProcess, type BotProcess } from '../../test/support/bot-process.ts';
import { scriptCommand } from '../../test/support/spawn.ts';
import { build } from '../../test/support/build.ts';
import { sleep, tempDir } from './bench-bot.ts';
import { PROJECT_ROOT } from './feed-content.ts';
import { spawnFeedServers, type FeedServers, type FeedServerSpec } from './feed-servers.ts';
import { seedArchive } from './latest-latency.ts';
import { procStatus } from './proc.ts';
import { mb, ms, num, pct, type Section } from './report.ts';
import { WORKLOAD_LABELS, type Workload } from './workloads.ts';

export interface PeakMemoryOptions {
  spec: FeedServerSpec;
  servers?: FeedServers;
  /** Seen marks in the store before the bot starts (the issue: 100,000). */
  seenMarks: number;
  /** Archived items too, so /latest reads a full archive (benchmark 2's 10,000). */
  archiveItems: number;
  /** Default every 15 s: the cold cycle runs at start, the next tick is the steady cycle. */
  pollCron?: string;
  /** More environment for the bot process (a setting or NODE_OPTIONS to compare). */
  env?: Record<string, string>;
}

export interface MemoryPhase {
  name: string;
  wallMs: number;
  /** Highest RSS sampled (every 10 ms, /proc/PID/status) during the phase, bytes. */
  peakRss: number;
  /** Threads of the process when that peak was sampled (main, libuv, V8, the parse worker). */
  threadsAtPeak: number;
  /** What the bot itself logged at the end of its cycle ("poll finished … rssMiB="). */
  loggedRssMiB?: number;
  failedFeeds?: number;
}

export interface PeakMemoryResult {
  content: Workload;
  feeds: number;
  seenMarks: number;
  archiveItems: number;
  seedMs: number;
  /** VmHWM of the bot process just before it was stopped, bytes: the figure judged. */
  peakRss: number;
  phases: MemoryPhase[];
  /** /latest commands answered while the bot ran, and replies that did not come. */
  commands: { sent: number; failed: number };
  stop: { code: number | null; signal: NodeJS.Signals | null; ms: number };
  /** RSS of an empty `node` process, bytes, for scale. */
  emptyNode: number;
  pollCron: string;
}

export const TARGET_BYTES = 200 * 2 ** 20;

function emptyNodeRss(): number {
  const script = 'setTimeout(() => process.stdout.write(String(process.memoryUsage.rss())), 200)';
  return Number(execFileSync(process.execPath, ['-e', script], { cwd: PROJECT_ROOT, encoding: 'utf8', env: { PATH: process.env.PATH ?? '' } }));
}

/** Seen marks and the archive through NewsStore.recordPoll (one transaction per 5,000 marks). */
export async function seedStore(databaseUrl: string, seenMarks: number, archiveItems: number, archiveFeed: string): Promise<void> {
  const stores = await openStores(databaseUrl, silentLogger);
  const now = Date.now();
  const firstSeen = new Date(now - 30 * 86_400_000).toISOString();
  try {
    for (let start = 0; start < seenMarks; start += 5000) {
      const n = Math.min(5000, seenMarks - start);
      const seen = Array.from({ length: n }, (_, i) => ({ itemId: `https://old.example.com/news/item-${start + i}`, firstSeen, relevant: (start + i) % 20 === 0 }));
      await stores.news.recordPoll({ feedUrl: 'https://old.example.com/feed', itemIds: [], scopes: [], titleHashes: [] }, () => ({ result: undefined, seen }));
    }
    await seedArchive(stores.news, archiveItems, archiveFeed, now);
  } finally {
    await stores.close();
  }
}

const pollsFinished = (bot: BotProcess) => bot.logs().match(/poll finished[^\n]*/g) ?? [];

export async function runPeakMemoryBench(options: PeakMemoryOptions): Promise<PeakMemoryResult> {
  build();
  const servers = options.servers ?? (await spawnFeedServers(options.spec));
  const dir = tempDir();
  const fake = await startFakeDiscord();
  let bot: BotProcess | undefined;
  try {
    const databaseUrl = dir.sqliteUrl();
    const t0 = performance.now();
    await seedStore(databaseUrl, options.seenMarks, options.archiveItems, new URL(servers.urls[0]!).href);
    const seedMs = performance.now() - t0;
    const pollCron = options.pollCron ?? '*/15 * * * * *';
    const env = botEnv({ fake, feeds: servers.urls, databaseUrl, pollCron, extra: { LOG_LEVEL: 'debug', DISCORD_GUILD_ID: fake.guild.id, FETCH_TIMEOUT_MS: '30000', ...options.env } });
    await deployCommands(loadBotConfig(env));

    bot = startBotProcess(env, 'bench bot');
    const pid = bot.pid;
    const phases: MemoryPhase[] = [];
    let peak = { rss: 0, threads: 0 };
    const sampler = setInterval(() => {
      try {
        const s = procStatus(pid);
        if (s.rss > peak.rss) peak = { rss: s.rss, threads: s.threads };
      } catch {
        // The process is gone; the phase ends with what was sampled.
      }
    }, 10);
    const commands = { sent: 0, failed: 0 };
    let asking = false;
    // /latest every ~250 ms once the gateway is up, as a busy server's members would.
    const askLoop = (async () => {
      await bot.waitForLog(/connected to Discord/, 60_000);
      asking = true;
      while (asking && bot.running) {
        commands.sent++;
        await fake.sendCommand({ name: 'latest' }).reply({ timeoutMs: 10_000 }).catch(() => commands.failed++);
        await sleep(250);
      }
    })();
    const phase = async (name: string, polls: number) => {
      const started = performance.now();
      peak = { rss: 0, threads: 0 };
      while (pollsFinished(bot!).length < polls) {
        if (!bot!.running) throw new Error(`the bot exited during "${name}"\n${bot!.logs().slice(-3000)}`);
        if (performance.now() - started > 180_000) throw new Error(`"${name}" took over 3 minutes\n${bot!.logs().slice(-3000)}`);
        await sleep(20);
      }
      const line = pollsFinished(bot!)[polls - 1]!;
      const logged = /rssMiB=(\d+)/.exec(line)?.[1];
      const failed = /failed=(\d+)/.exec(line)?.[1];
      phases.push({ name, wallMs: performance.now() - started, peakRss: peak.rss, threadsAtPeak: peak.threads, ...(logged ? { loggedRssMiB: Number(logged) } : {}), ...(failed ? { failedFeeds: Number(failed) } : {}) });
    };
    await phase('start-up and the cold cycle', 1);
    await phase('waiting, then the steady cycle', 2);
    asking = false;
    await askLoop;
    // The kernel updates VmHWM lazily, so a 10 ms sample of VmRSS can be a little above it: the
    // peak is the higher of the two, and no phase can exceed the whole.
    const peakRss = Math.max(procStatus(pid).hwm, ...phases.map((p) => p.peakRss));
    clearInterval(sampler);
    const stopStarted = performance.now();
    const exit = await bot.signal('SIGTERM');
    return {
      content: options.spec.content ?? 'news',
      feeds: servers.urls.length,
      seenMarks: options.seenMarks,
      archiveItems: options.archiveItems,
      seedMs,
      peakRss,
      phases,
      commands,
      stop: { ...exit, ms: performance.now() - stopStarted },
      emptyNode: emptyNodeRss(),
      pollCron,
    };
  } finally {
    await bot?.kill();
    await fake.close().catch(() => undefined);
    dir.remove();
    if (!options.servers) await servers.close();
  }
}

function startCommand(): string {
  const { env, args } = scriptCommand('start');
  return [...Object.entries(env).map(([k, v]) => `${k}=${v}`), 'node', ...args].join(' ');
}

export function peakMemorySection(r: PeakMemoryResult): Section {
  const notes: string[] = [];
  for (const p of r.phases) if (p.failedFeeds) notes.push(`⚠ ${p.failedFeeds} feeds failed in "${p.name}".`);
  if (r.commands.failed) notes.push(`⚠ ${r.commands.failed} of ${r.commands.sent} /latest commands got no reply.`);
  if (r.stop.code !== 0) notes.push(`⚠ The bot did not exit 0 on SIGTERM (code ${r.stop.code}, signal ${r.stop.signal}).`);
  const rows: Section['rows'] = [
    { metric: 'Max RSS of the bot process (VmHWM)', measured: mb(r.peakRss), target: `< ${mb(TARGET_BYTES)}`, pass: r.peakRss < TARGET_BYTES, ratio: `${pct(r.peakRss / TARGET_BYTES)} of target`, check: { id: 'peak-rss', value: mb(r.peakRss) } },
  ];
  for (const p of r.phases) {
    rows.push({
      metric: `Peak RSS sampled during "${p.name}" (${ms(p.wallMs)})`,
      measured: mb(p.peakRss),
      target: '—',
      pass: null,
      ratio: `${p.threadsAtPeak} threads at the peak${p.loggedRssMiB !== undefined ? `; the bot logged rssMiB=${p.loggedRssMiB} when its cycle finished` : ''}`,
    });
  }
  rows.push({ metric: '/latest answered while it ran', measured: `${num(r.commands.sent - r.commands.failed)} of ${num(r.commands.sent)}`, target: '—', pass: null, ratio: '' });
  rows.push({ metric: 'An empty `node` process, for scale', measured: mb(r.emptyNode), target: '—', pass: null, ratio: `${pct(r.emptyNode / r.peakRss)} of the bot's peak` });
  return {
    title: `3. Peak memory — ${WORKLOAD_LABELS[r.content]}`,
    rows,
    notes,
    how: [
      `A fresh SQLite store gets ${num(r.seenMarks)} seen marks through \`NewsStore.recordPoll\` (5,000 per transaction, so seeding takes ${ms(r.seedMs)} rather than minutes; same rows) and ${num(r.archiveItems)} archived items.`,
      `Then the bot runs as \`npm start\` runs it: \`${startCommand()}\` (bundled by \`npm run build\`; the V8 flags and the glibc arena cap are npm start's, see README "Memory"), in its own process, with DISCORD_TOKEN and DISCORD_API_URL pointing at the fake Discord (commands deployed first), on that store, with the ${num(r.feeds)} feeds of benchmark 1 (workload \`${r.content}\`, same servers, same latency) and POLL_CRON=\`${r.pollCron}\`. It polls at once (the cold cycle), then on the next tick (the steady cycle); /latest is sent every 250 ms throughout. Then SIGTERM (exit ${r.stop.code ?? r.stop.signal} after ${ms(r.stop.ms)}).`,
      'The figure is the kernel\'s high-water mark of the process\'s resident set (VmHWM in /proc/PID/status, the same number `/usr/bin/time -v` reports), read just before the stop. It covers every thread, the parse worker included. Per phase the bench samples VmRSS every 10 ms.',
    ],
  };
}
