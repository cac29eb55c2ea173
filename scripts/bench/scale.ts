/**
 * Benchmark 6: scale. One cold poll cycle over 5,000 feeds on 500 loopback hosts (100 ms answers,
 * ~20 KB each) by the bot as `npm start` runs it: its own process with npm start's flags, the fake
 * Discord, a fresh SQLite store, FETCH_CONCURRENCY, FETCH_PER_HOST and FETCH_TIMEOUT_MS at their
 * defaults. Reports the cycle's time against one default poll interval and the process's peak RSS.
 *
 * 5,000 URLs (~200 KB) do not fit in one environment variable (Linux caps each at 128 KiB: the
 * spawn fails with E2BIG), so FEEDS goes in a .env file in the bot's working folder, which main.ts
 * reads as an operator's .env.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { deployCommands } from '../../src/cli/deploy-commands.ts';
import { loadBotConfig } from '../../src/config.ts';
import { startFakeDiscord } from '../../test/fake-discord/server.ts';
import { botEnv, startBotProcess, type BotExit, type BotProcess } from '../../test/support/bot-process.ts';
import { build } from '../../test/support/build.ts';
import { NEVER, sleep, tempDir } from './bench-bot.ts';
import { hostRange, spawnFeedServers, type FeedServers, type FeedServerSpec, type ServerStats } from './feed-servers.ts';
import { sampleRss } from './proc.ts';
import { mb, ms, num, pct, type Section } from './report.ts';
import { describeWorkload } from './workloads.ts';

export interface ScaleOptions {
  spec: FeedServerSpec;
  servers?: FeedServers;
  /** Longest wait for the cycle to finish (default 10 minutes). */
  timeoutMs?: number;
}

export interface ScaleResult {
  spec: FeedServerSpec;
  documentBytes: number;
  items: number;
  /** What the bot logged when the cycle finished ("poll finished feeds= failed= ms= rssMiB="). */
  logged: { feeds: number; failed: number; ms: number; rssMiB: number };
  /** From spawning the process to that log line: start-up (build excluded) and the cycle. */
  wallMs: number;
  /** CPU of the bot process (every thread) from its start to the end of the cycle, ms. */
  cpuMs: number;
  /** VmHWM of the bot process, or the highest VmRSS sampled every 10 ms if higher. */
  peakRss: number;
  server: ServerStats;
  /** The settings that bound the cycle, as the bot loaded them (defaults). */
  limits: { concurrency: number; perHost: number; timeoutMs: number; pollCron: string };
  /** Size of the FEEDS line in the bot's .env. */
  feedsBytes: number;
  failures: string[];
  stop: BotExit;
}

export const TARGET_CYCLE_MS = 60_000;
export const TARGET_RSS_BYTES = 300 * 2 ** 20;

/** User + system CPU of a process (all its threads), ms, from /proc/PID/stat. */
function processCpuMs(pid: number, ticksPerSecond: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  // Fields after the command name (which may hold spaces): state is field 3, utime 14, stime 15.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return ((Number(fields[11]) + Number(fields[12])) / ticksPerSecond) * 1000;
}

function clockTicks(): number {
  try {
    return Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
  } catch {
    return 100;
  }
}

export async function runScaleBench(options: ScaleOptions): Promise<ScaleResult> {
  build();
  const servers = options.servers ?? (await spawnFeedServers(options.spec));
  const dir = tempDir('alita-scale-');
  const fake = await startFakeDiscord();
  let bot: BotProcess | undefined;
  try {
    // The bot's own defaults for everything that bounds a cycle: blank is unset.
    const env = botEnv({ fake, feeds: [], databaseUrl: dir.sqliteUrl(), pollCron: NEVER, extra: { LOG_LEVEL: 'debug', DISCORD_GUILD_ID: fake.guild.id, FETCH_TIMEOUT_MS: '', FETCH_CONCURRENCY: '', FETCH_PER_HOST: '' } });
    // FEEDS from the .env file, not the environment: a variable set (even blank) would win over it.
    delete env.FEEDS;
    const feedsLine = `FEEDS=${servers.urls.join(',')}\n`;
    writeFileSync(join(dir.path, '.env'), feedsLine);
    const config = loadBotConfig({ ...env, FEEDS: servers.urls.join(',') });
    await deployCommands(config);
    await servers.reset();
    const ticks = clockTicks();
    const started = performance.now();
    bot = startBotProcess(env, 'scale bot', { cwd: dir.path });
    const pid = bot.pid;
    const rss = sampleRss(pid);
    let line: string | undefined;
    const deadline = started + (options.timeoutMs ?? 600_000);
    while (!(line = /poll finished[^\n]*/.exec(bot.logs())?.[0])) {
      if (!bot.running) throw new Error(`the bot exited before its first poll finished\n${bot.logs().slice(-3000)}`);
      if (performance.now() > deadline) throw new Error(`the cycle did not finish within ${options.timeoutMs ?? 600_000} ms\n${bot.logs().slice(-3000)}`);
      await sleep(20);
    }
    const wallMs = performance.now() - started;
    const cpuMs = processCpuMs(pid, ticks);
    const peakRss = rss.stop();
    const field = (name: string) => Number(new RegExp(`\\b${name}=(\\d+)`).exec(line!)?.[1] ?? NaN);
    const failures = (bot.logs().match(/feed failed[^\n]*/g) ?? []).slice(0, 5);
    const server = await servers.stats();
    const stop = await bot.signal('SIGTERM');
    return {
      spec: options.spec,
      documentBytes: servers.documentBytes,
      items: servers.items,
      logged: { feeds: field('feeds'), failed: field('failed'), ms: field('ms'), rssMiB: field('rssMiB') },
      wallMs,
      cpuMs,
      peakRss,
      server,
      limits: { concurrency: config.FETCH_CONCURRENCY, perHost: config.FETCH_PER_HOST, timeoutMs: config.FETCH_TIMEOUT_MS, pollCron: loadBotConfig({}).POLL_CRON },
      feedsBytes: Buffer.byteLength(feedsLine),
      failures,
      stop,
    };
  } finally {
    await bot?.kill();
    await fake.close().catch(() => undefined);
    dir.remove();
    if (!options.servers) await servers.close();
  }
}

export function scaleSection(r: ScaleResult): Section {
  const { spec, limits } = r;
  const feeds = spec.feeds + spec.bigFeeds;
  const notes: string[] = [];
  if (r.logged.failed > 0) notes.push(`⚠ ${r.logged.failed} feed(s) failed, e.g. ${r.failures.join('; ')}`);
  if (r.logged.feeds !== feeds) notes.push(`⚠ the bot polled ${r.logged.feeds} of the ${feeds} feeds.`);
  if (r.stop.code !== 0) notes.push(`⚠ The bot did not exit 0 on SIGTERM (code ${r.stop.code}, signal ${r.stop.signal}).`);
  const floor = Math.ceil(feeds / limits.concurrency) * spec.latencyMs;
  notes.push(
    `With FETCH_CONCURRENCY=${limits.concurrency} and FETCH_PER_HOST=${limits.perHost} (the defaults) and ${spec.latencyMs} ms per answer, fetching alone takes at least ⌈${num(feeds)} / ${limits.concurrency}⌉ × ${spec.latencyMs} ms ≈ ${ms(floor)}: ${pct(floor / TARGET_CYCLE_MS)} of the interval before any parsing.`,
  );
  return {
    title: `6. Scale: ${num(feeds)} feeds on ${num(spec.hosts)} hosts`,
    rows: [
      { metric: 'Cold cycle (the bot’s “poll finished” ms)', measured: ms(r.logged.ms), target: `≤ ${ms(TARGET_CYCLE_MS)} (one default poll interval, \`${limits.pollCron}\`)`, pass: r.logged.ms <= TARGET_CYCLE_MS, ratio: `${pct(r.logged.ms / TARGET_CYCLE_MS)} of the interval` },
      { metric: 'Max RSS of the bot process (VmHWM), start-up included', measured: mb(r.peakRss), target: `< ${mb(TARGET_RSS_BYTES)}`, pass: r.peakRss < TARGET_RSS_BYTES, ratio: `${pct(r.peakRss / TARGET_RSS_BYTES)} of target; the bot logged rssMiB=${r.logged.rssMiB} at the end of the cycle` },
      { metric: 'Start of the process to the end of the cycle, wall', measured: ms(r.wallMs), target: '—', pass: null, ratio: `CPU ${ms(r.cpuMs)} (${pct(r.cpuMs / r.wallMs)} of wall, every thread)` },
      { metric: 'Feeds polled / failed', measured: `${num(r.logged.feeds)} / ${num(r.logged.failed)}`, target: '—', pass: null, ratio: `${num(r.server.requests)} requests, ${num(r.server.ok)} × 200` },
      { metric: 'Most requests in flight (all hosts / one host)', measured: `${r.server.maxInFlight} / ${r.server.maxInFlightPerHost}`, target: '—', pass: null, ratio: `FETCH_CONCURRENCY=${limits.concurrency}, FETCH_PER_HOST=${limits.perHost}, FETCH_TIMEOUT_MS=${num(limits.timeoutMs)} (defaults)` },
      { metric: 'Bytes sent by the servers', measured: mb(r.server.bytesSent), target: '—', pass: null, ratio: `documents ${mb(r.documentBytes)}, ${num(r.items)} items` },
    ],
    notes,
    how: [
      `${num(feeds)} RSS 2.0 feeds of about ${mb(spec.feedBytes)} (workload \`${spec.content ?? 'news'}\`: ${describeWorkload(spec.content ?? 'news')}), ${feeds % spec.hosts ? `about ${(feeds / spec.hosts).toFixed(1)}` : num(feeds / spec.hosts)} per host, served by ${num(spec.hosts)} HTTP servers on ${hostRange(spec)} (one address and port each) in a separate process, every answer started ${spec.latencyMs} ms after the request.`,
      'The bot runs as `npm start` runs it (dist/main.js after `npm run build`, npm start’s V8 flags and MALLOC_ARENA_MAX) in its own process, with DISCORD_TOKEN and DISCORD_API_URL pointing at the fake Discord (commands deployed first), on a fresh SQLite store, every fetch setting at its default;',
      `the ${num(feeds)} URLs (${mb(r.feedsBytes)}) are its FEEDS in a .env file in its working folder, since one environment variable holds at most 128 KiB. It polls at once on start; POLL_CRON never fires during the run.`,
      'Cycle time = the `ms` of the bot’s “poll finished” log line (runCycle’s duration as the bot measures it). Peak RSS = the kernel’s high-water mark of the process (VmHWM, every thread including the parse worker) read when that line appears, or the highest VmRSS sampled every 10 ms if higher. CPU from /proc/PID/stat (utime + stime).',
    ],
  };
}
