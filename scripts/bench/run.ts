/**
 * `npm run bench`: runs the benchmarks and writes BENCHMARKS.md. Benchmarks 1-3 (and 7) run on
 * each workload (workloads.ts: film news, and long items naming anchors), side by side.
 *
 *   npm run bench              the full configuration (about ten minutes; each naive baseline alone is ≥ 50 s)
 *   npm run bench -- --quick   a small configuration, to try the scripts (report on stdout only)
 *   npm run bench -- --only=1,3   some benchmarks only (1 poll cycle, 2 /latest, 3 memory, 4 filter, 5 heavy feed, 6 scale, 7 profile)
 *   npm run bench -- --workload=long-anchors   one workload only
 *   npm run bench -- --profile    add benchmark 7 (the cold cycle under --cpu-prof) to an --only or --quick run
 *   npm run bench -- --out=FILE   write the report there instead (default BENCHMARKS.md; none with --quick or --only)
 */
import { writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { PROJECT_ROOT } from './feed-content.ts';
import { spawnFeedServers, type FeedServerSpec } from './feed-servers.ts';
import { heavyFeedSection, runHeavyFeedBench } from './heavy-feed.ts';
import { latestLatencySection, runLatestLatencyBench } from './latest-latency.ts';
import { peakMemorySection, runPeakMemoryBench } from './peak-memory.ts';
import { pollCycleSection, runPollCycleBench } from './poll-cycle.ts';
import { profileSection, runProfileBench } from './profile.ts';
import { machine, mb, renderComparison, renderReport, type Section } from './report.ts';
import { heapFlags, npmStartEnv } from './proc.ts';
import { runScaleBench, scaleSection } from './scale.ts';
import { runTopicFilterBench, topicFilterSection } from './topic-filter.ts';
import { WORKLOAD_LABELS, WORKLOADS, type Workload } from './workloads.ts';
import { build } from '../../test/support/build.ts';

export interface BenchConfig {
  /** Benchmarks 1-3 and 7, on each workload (spec.content set per run). */
  spec: FeedServerSpec;
  archiveItems: number;
  idleCommands: number;
  seenMarks: number;
  topic: { repeat: number; rounds: number; feedDocs: number };
  /** Benchmark 6. */
  scale: FeedServerSpec;
}

/** The issue's configuration. */
export const FULL: BenchConfig = {
  spec: { feeds: 500, feedBytes: 60_000, bigFeeds: 5, bigFeedBytes: 4_000_000, hosts: 50, latencyMs: 100 },
  archiveItems: 10_000,
  idleCommands: 300,
  seenMarks: 100_000,
  topic: { repeat: 40, rounds: 5, feedDocs: 40 },
  scale: { feeds: 5000, feedBytes: 20_000, bigFeeds: 0, bigFeedBytes: 0, hosts: 500, latencyMs: 100 },
};

export const QUICK: BenchConfig = {
  spec: { feeds: 40, feedBytes: 60_000, bigFeeds: 1, bigFeedBytes: 4_000_000, hosts: 8, latencyMs: 100 },
  archiveItems: 10_000,
  idleCommands: 50,
  seenMarks: 10_000,
  topic: { repeat: 5, rounds: 3, feedDocs: 5 },
  scale: { feeds: 1000, feedBytes: 20_000, bigFeeds: 0, bigFeedBytes: 0, hosts: 300, latencyMs: 100 },
};

const log = (line: string) => process.stderr.write(`[bench] ${line}\n`);

/** The sections of one workload, by benchmark number; and how many items its feeds hold. */
interface WorkloadRun {
  sections: Map<number, Section>;
  items: number;
}

async function runWorkload(config: BenchConfig, content: Workload, wanted: (n: number) => boolean): Promise<WorkloadRun> {
  const spec = { ...config.spec, content };
  const sections = new Map<number, Section>();
  log(`[${content}] starting ${spec.hosts} feed servers (${spec.feeds} × ~${mb(spec.feedBytes)} + ${spec.bigFeeds} × ~${mb(spec.bigFeedBytes)}, ${spec.latencyMs} ms latency)`);
  const servers = await spawnFeedServers(spec);
  try {
    log(`[${content}] feeds ready: ${servers.urls.length} documents, ${mb(servers.documentBytes)}, ${servers.items} items`);
    if (wanted(1)) {
      log(`[${content}] 1. poll cycle: cold, steady, then the naive loop (≥ 50 s with the full configuration)`);
      const r = await runPollCycleBench({ spec, servers });
      log(`   cold ${r.colds.map((c) => `${Math.round(c.wallMs)} ms (CPU ${Math.round(c.cpuMs)} ms)`).join(", ")}, median ${Math.round(r.cold.wallMs)} ms, steady CPU ${r.steadies.map((c) => Math.round(c.cpuMs)).join(", ")} ms, naive ${Math.round(r.naive?.wallMs ?? NaN)} ms (CPU ${Math.round(r.naive?.cpuMs ?? NaN)} ms)`);
      sections.set(1, pollCycleSection(r));
    }
    if (wanted(2)) {
      log(`[${content}] 2. /latest latency through the fake Discord, during the cold cycle and idle`);
      const r = await runLatestLatencyBench({ spec, servers, archiveItems: config.archiveItems, idleCommands: config.idleCommands, gapMs: 20 });
      log(`   during cold p99 ${Math.round(r.duringCold.p99Ms)} ms (${r.duringCold.samples}), idle p99 ${Math.round(r.idle.p99Ms)} ms`);
      sections.set(2, latestLatencySection(r, spec));
    }
    if (wanted(3)) {
      log(`[${content}] 3. peak memory: ${config.seenMarks} seen marks, ${servers.urls.length} feeds, bot in a child process`);
      const r = await runPeakMemoryBench({ spec, servers, seenMarks: config.seenMarks, archiveItems: config.archiveItems });
      log(`   max RSS ${mb(r.peakRss)}`);
      sections.set(3, peakMemorySection(r));
    }
    if (wanted(7)) {
      log(`[${content}] 7. the cold cycle again, under --cpu-prof`);
      const r = await runProfileBench({ spec, servers });
      log(`   ${r.threads.map((t) => `${t.thread} ${Math.round(t.busyUs / 1000)} ms`).join(', ')} in a ${Math.round(r.windowMs)} ms cycle`);
      sections.set(7, profileSection(r));
    }
    return { sections, items: servers.items };
  } finally {
    await servers.close();
  }
}

async function main(): Promise<void> {
  const quick = process.argv.includes('--quick');
  const only = process.argv.find((a) => a.startsWith('--only='))?.slice('--only='.length).split(',').map(Number);
  const profile = process.argv.includes('--profile');
  const wanted = (n: number) => !only || only.includes(n) || (n === 7 && profile);
  const chosen = process.argv.find((a) => a.startsWith('--workload='))?.slice('--workload='.length);
  if (chosen && !WORKLOADS.includes(chosen as Workload)) throw new Error(`--workload must be one of ${WORKLOADS.join(', ')}`);
  const workloads = chosen ? [chosen as Workload] : WORKLOADS;
  const config = quick ? QUICK : FULL;
  const started = performance.now();
  const date = new Date();

  const { spec } = config;
  // dist/ as npm start builds it: benchmarks 1, 2 and 7 run its parse worker, 3, 5 and 6 the whole bot.
  build();
  const runs = new Map<Workload, WorkloadRun>();
  // Benchmarks 1-3 and 7 share each workload's 505 feed documents; 4, 5 and 6 bring their own.
  if ([1, 2, 3, 7].some(wanted)) for (const content of workloads) runs.set(content, await runWorkload(config, content, wanted));
  let topicSection: Section | undefined;
  if (wanted(4)) {
    log('4. topic filter throughput');
    const items = Object.fromEntries([...runs].map(([w, run]) => [w, run.items]));
    topicSection = topicFilterSection(await runTopicFilterBench(config.topic), items);
  }
  let heavySection: Section | undefined;
  if (wanted(5)) {
    log('5. one heavy feed: 110,000 tiny items, the bot as npm start runs it, /latest every 250 ms');
    const r = await runHeavyFeedBench({ items: 110_000, polls: quick ? 2 : 5, everyMs: 250 });
    log(`   /latest ack p99 ${Math.round(r.ack.p99Ms)} ms (${r.ack.samples} of ${r.sent}), late ${r.late}, max RSS ${mb(r.peakRss)}`);
    heavySection = heavyFeedSection(r);
  }
  let scale: Section | undefined;
  if (wanted(6)) {
    log(`6. scale: ${config.scale.feeds} feeds on ${config.scale.hosts} hosts, the bot as npm start runs it`);
    const r = await runScaleBench({ spec: config.scale });
    log(`   cycle ${Math.round(r.logged.ms)} ms, ${r.logged.failed} failed, max RSS ${mb(r.peakRss)}`);
    scale = scaleSection(r);
  }
  const of = (n: number) => workloads.flatMap((w) => runs.get(w)?.sections.get(n) ?? []);
  const sections = [...of(1), ...of(2), ...of(3), ...(topicSection ? [topicSection] : []), ...(heavySection ? [heavySection] : []), ...(scale ? [scale] : []), ...of(7)];
  const overview = [1, 2, 3].some(wanted) && runs.size > 0
    ? renderComparison(`Issue 16 targets on ${workloads.length > 1 ? 'both workloads, side by side' : 'one workload'}`, workloads.map((w) => ({ label: WORKLOAD_LABELS[w], sections: [...(runs.get(w)?.sections.values() ?? [])] })))
    : undefined;

  const report = renderReport({
    date,
    machine: machine(),
    preface: [
      `**Node flags:** \`${heapFlags().join(' ') || 'none'}\` for benchmarks 1, 2 and 4, which run in this process, and 7 (a child process with the same flags); the children of benchmarks 1 and 7 (the cold cycles and the naive loop) also get npm start's environment, \`${Object.entries(npmStartEnv()).map(([k, v]) => `${k}=${v}`).join(' ')}\`; benchmarks 3, 5 and 6 run the bot with npm start's own.`,
      `**Configuration:** ${quick ? 'QUICK (not the issue’s sizes)' : 'full'} — ${spec.feeds} feeds of ~${mb(spec.feedBytes)} + ${spec.bigFeeds} of ~${mb(spec.bigFeedBytes)} on ${spec.hosts} loopback hosts, ${spec.latencyMs} ms per response, for each workload (${workloads.map((w) => `\`${w}\``).join(', ')}); ${config.archiveItems.toLocaleString('en-US')} archived items; ${config.seenMarks.toLocaleString('en-US')} seen marks; scale: ${config.scale.feeds.toLocaleString('en-US')} feeds of ~${mb(config.scale.feedBytes)} on ${config.scale.hosts} hosts.`,
    ],
    ...(overview ? { overview } : {}),
    sections,
    durationMs: performance.now() - started,
  });
  process.stdout.write(report);
  const out = process.argv.find((a) => a.startsWith('--out='))?.slice('--out='.length);
  const file = out ? resolve(out) : quick || only || chosen ? undefined : join(PROJECT_ROOT, 'BENCHMARKS.md');
  if (file) {
    writeFileSync(file, report);
    log(`written to ${file}`);
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`bench failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
