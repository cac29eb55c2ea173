/**
 * `npm run bench`: runs the benchmarks (the four, and 5: one heavy feed) and writes BENCHMARKS.md.
 *
 *   npm run bench              the full configuration (a few minutes; the naive baseline alone is ≥ 50 s)
 *   npm run bench -- --quick   a small configuration, to try the scripts (report on stdout only)
 *   npm run bench -- --only=1,3   some benchmarks only
 *   npm run bench -- --out=FILE   write the report there instead (default BENCHMARKS.md; none with --quick)
 */
import { writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { PROJECT_ROOT } from './feed-content.ts';
import { spawnFeedServers, type FeedServerSpec } from './feed-servers.ts';
import { heavyFeedSection, runHeavyFeedBench } from './heavy-feed.ts';
import { latestLatencySection, runLatestLatencyBench } from './latest-latency.ts';
import { peakMemorySection, runPeakMemoryBench } from './peak-memory.ts';
import { pollCycleSection, runPollCycleBench } from './poll-cycle.ts';
import { machine, mb, renderReport, type Section } from './report.ts';
import { runTopicFilterBench, topicFilterSection } from './topic-filter.ts';
import { build } from '../../test/support/build.ts';

export interface BenchConfig {
  spec: FeedServerSpec;
  archiveItems: number;
  idleCommands: number;
  seenMarks: number;
  topic: { repeat: number; rounds: number; feedDocs: number };
}

/** The configuration. */
export const FULL: BenchConfig = {
  spec: { feeds: 500, feedBytes: 60_000, bigFeeds: 5, bigFeedBytes: 4_000_000, hosts: 50, latencyMs: 100 },
  archiveItems: 10_000,
  idleCommands: 300,
  seenMarks: 100_000,
  topic: { repeat: 40, rounds: 5, feedDocs: 40 },
};

export const QUICK: BenchConfig = {
  spec: { feeds: 40, feedBytes: 60_000, bigFeeds: 1, bigFeedBytes: 4_000_000, hosts: 8, latencyMs: 100 },
  archiveItems: 10_000,
  idleCommands: 50,
  seenMarks: 10_000,
  topic: { repeat: 5, rounds: 3, feedDocs: 5 },
};

const log = (line: string) => process.stderr.write(`[bench] ${line}\n`);

async function runFeedBenchmarks(config: BenchConfig, wanted: (n: number) => boolean, sections: Section[]): Promise<void> {
  const { spec } = config;
  log(`starting ${spec.hosts} feed servers (${spec.feeds} × ~${mb(spec.feedBytes)} + ${spec.bigFeeds} × ~${mb(spec.bigFeedBytes)}, ${spec.latencyMs} ms latency)`);
  const servers = await spawnFeedServers(spec);
  try {
    log(`feeds ready: ${servers.urls.length} documents, ${mb(servers.documentBytes)}, ${servers.items} items`);
    let topicSection: Section | undefined;
    if (wanted(4)) {
      log('4. topic filter throughput');
      topicSection = topicFilterSection(await runTopicFilterBench(config.topic), servers.items);
    }
    if (wanted(1)) {
      log('1. poll cycle: cold, steady, then the naive loop (≥ 50 s with the full configuration)');
      const r = await runPollCycleBench({ spec, servers });
      log(`   cold ${Math.round(r.cold.wallMs)} ms, steady ${Math.round(r.steady.wallMs)} ms, naive ${Math.round(r.naive?.wallMs ?? NaN)} ms`);
      sections.push(pollCycleSection(r));
    }
    if (wanted(2)) {
      log('2. /latest latency through the fake Discord, during the cold cycle and idle');
      const r = await runLatestLatencyBench({ spec, servers, archiveItems: config.archiveItems, idleCommands: config.idleCommands, gapMs: 20 });
      log(`   during cold p99 ${Math.round(r.duringCold.p99Ms)} ms (${r.duringCold.samples}), idle p99 ${Math.round(r.idle.p99Ms)} ms`);
      sections.push(latestLatencySection(r, spec));
    }
    if (wanted(3)) {
      log(`3. peak memory: ${config.seenMarks} seen marks, ${servers.urls.length} feeds, bot in a child process`);
      const r = await runPeakMemoryBench({ spec, servers, seenMarks: config.seenMarks, archiveItems: config.archiveItems });
      log(`   max RSS ${mb(r.peakRss)}`);
      sections.push(peakMemorySection(r));
    }
    if (topicSection) sections.push(topicSection);
  } finally {
    await servers.close();
  }
}

async function main(): Promise<void> {
  const quick = process.argv.includes('--quick');
  const only = process.argv.find((a) => a.startsWith('--only='))?.slice('--only='.length).split(',').map(Number);
  const wanted = (n: number) => !only || only.includes(n);
  const config = quick ? QUICK : FULL;
  const started = performance.now();
  const date = new Date();
  const sections: Section[] = [];

  const { spec } = config;
  // dist/ as npm start builds it: benchmarks 1 and 2 run its parse worker, 3 and 5 the whole bot.
  build();
  // Benchmarks 1-4 share the 505 feed documents; 5 brings its own feed.
  if ([1, 2, 3, 4].some(wanted)) await runFeedBenchmarks(config, wanted, sections);
  if (wanted(5)) {
    log('5. one heavy feed: 110,000 tiny items, the bot as npm start runs it, /latest every 250 ms');
    const r = await runHeavyFeedBench({ items: 110_000, polls: quick ? 2 : 5, everyMs: 250 });
    log(`   /latest ack p99 ${Math.round(r.ack.p99Ms)} ms (${r.ack.samples} of ${r.sent}), late ${r.late}, max RSS ${mb(r.peakRss)}`);
    sections.push(heavyFeedSection(r));
  }

  const report = renderReport({
    date,
    machine: machine(),
    preface: [
      `**Node flags:** \`${process.execArgv.filter((a) => a.startsWith('--max-')).join(' ') || 'none'}\` for benchmarks 1, 2 and 4, which run in this process; benchmarks 3 and 5 run the bot with npm start's own.`,
      `**Configuration:** ${quick ? 'QUICK (not the issue’s sizes)' : 'full'} — ${spec.feeds} feeds of ~${mb(spec.feedBytes)} + ${spec.bigFeeds} of ~${mb(spec.bigFeedBytes)} on ${spec.hosts} loopback hosts, ${spec.latencyMs} ms per response; ${config.archiveItems.toLocaleString('en-US')} archived items; ${config.seenMarks.toLocaleString('en-US')} seen marks.`,
    ],
    sections,
    durationMs: performance.now() - started,
  });
  process.stdout.write(report);
  const out = process.argv.find((a) => a.startsWith('--out='))?.slice('--out='.length);
  const file = out ? resolve(out) : quick || only ? undefined : join(PROJECT_ROOT, 'BENCHMARKS.md');
  if (file) {
    writeFileSync(file, report);
    log(`written to ${file}`);
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`bench failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
