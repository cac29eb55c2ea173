// The benchmark modules (scripts/bench/) on a tiny configuration: they run end to end and
// produce well-formed results. Structure only — never times, which depend on the machine.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { latestLatencySection, runLatestLatencyBench } from '../scripts/bench/latest-latency.ts';
import { peakMemorySection, runPeakMemoryBench } from '../scripts/bench/peak-memory.ts';
import { pollCycleSection, runPollCycleBench } from '../scripts/bench/poll-cycle.ts';
import { machine, renderReport, renderSection, type Section } from '../scripts/bench/report.ts';
import { runTopicFilterBench, topicFilterSection } from '../scripts/bench/topic-filter.ts';
import { spawnFeedServers, startFeedServers, type FeedServers, type FeedServerSpec } from '../scripts/bench/feed-servers.ts';
import { latencyStats, percentile } from '../scripts/bench/bench-bot.ts';

const spec: FeedServerSpec = { feeds: 10, feedBytes: 8_000, bigFeeds: 1, bigFeedBytes: 40_000, hosts: 2, latencyMs: 0 };
const FEEDS = spec.feeds + spec.bigFeeds;
const SLOW = { timeout: 120_000 };

let servers: FeedServers;
beforeAll(async () => {
  servers = await spawnFeedServers(spec);
}, 60_000);
afterAll(async () => {
  await servers?.close();
});

function expectWellFormed(section: Section): void {
  expect(section.title).toMatch(/^\d\. /);
  expect(section.rows.length).toBeGreaterThan(0);
  for (const row of section.rows) {
    expect(row.metric).not.toBe('');
    expect(row.measured).not.toBe('');
    expect(row.measured).not.toMatch(/NaN|undefined/);
    expect([true, false, null]).toContain(row.pass);
  }
  expect(section.how.join(' ')).not.toBe('');
  const markdown = renderSection(section);
  expect(markdown).toContain('| Metric | Measured | Target | Result | Ratio |');
  expect(markdown.split('\n').filter((l) => l.startsWith('| ') && !l.startsWith('| Metric') && !l.startsWith('| ---'))).toHaveLength(section.rows.length);
}

const finite = (n: number) => expect(Number.isFinite(n) && n >= 0).toBe(true);

describe('bench feed servers', () => {
  it('serve every feed on its own loopback host, answer 304 to a matching validator and count bytes', async () => {
    const local = await startFeedServers({ ...spec, feeds: 3, bigFeeds: 0, firstHost: 200 });
    try {
      expect(local.urls).toHaveLength(3);
      expect(new Set(local.urls.map((u) => new URL(u).hostname))).toEqual(new Set(['127.0.0.200', '127.0.0.201']));
      const first = await fetch(local.urls[0]!);
      const body = await first.text();
      expect(first.status).toBe(200);
      expect(body).toMatch(/^<\?xml[\s\S]*<item>[\s\S]*<\/rss>\n$/);
      const etag = first.headers.get('etag')!;
      const lastModified = first.headers.get('last-modified')!;
      const afterFirst = await local.stats();
      expect(afterFirst.bytesSent).toBeGreaterThan(Buffer.byteLength(body));
      await local.reset();
      expect((await fetch(local.urls[0]!, { headers: { 'If-None-Match': etag } })).status).toBe(304);
      expect((await fetch(local.urls[0]!, { headers: { 'If-Modified-Since': lastModified } })).status).toBe(304);
      expect((await fetch(local.urls[0]!, { headers: { 'If-None-Match': '"other"' } })).status).toBe(200);
      const stats = await local.stats();
      expect(stats).toMatchObject({ requests: 3, notModified: 2, ok: 1, conditional: 3 });
    } finally {
      await local.close();
    }
  });

  it('computes nearest-rank percentiles', () => {
    expect(percentile([5, 1, 3, 2, 4], 50)).toBe(3);
    expect(percentile([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 99)).toBe(10);
    expect(latencyStats([])).toMatchObject({ samples: 0 });
  });
});

describe('benchmark modules on a tiny configuration', () => {
  it('1. poll cycle: cold, steady (all 304) and the naive loop', SLOW, async () => {
    const r = await runPollCycleBench({ spec, servers });
    expect(r.cold).toMatchObject({ feeds: FEEDS, failed: 0, skipped: 0 });
    expect(r.cold.server).toMatchObject({ requests: FEEDS, ok: FEEDS });
    expect(r.steady).toMatchObject({ feeds: FEEDS, failed: 0, skipped: 0 });
    expect(r.steady.server).toMatchObject({ requests: FEEDS, notModified: FEEDS, conditional: FEEDS });
    expect(r.cold.server.bytesSent).toBeGreaterThanOrEqual(servers.documentBytes);
    expect(r.steady.server.bytesSent).toBeLessThan(r.cold.server.bytesSent);
    expect(r.naive).toMatchObject({ feeds: FEEDS, failed: 0, items: servers.items });
    expect(r.cold.store.byMethod.recordPoll?.calls).toBe(FEEDS);
    for (const n of [r.cold.wallMs, r.cold.cpuMs, r.steady.wallMs, r.steady.cpuMs, r.naive!.wallMs, r.speedup!, r.steadyCpuRatio, r.steadyBytesRatio]) finite(n);
    const section = pollCycleSection(r);
    expectWellFormed(section);
    expect(section.rows.filter((row) => row.pass !== null)).toHaveLength(3);
  });

  it('2. /latest latency through the fake Discord, during the cold cycle and idle', SLOW, async () => {
    const r = await runLatestLatencyBench({ spec, servers, archiveItems: 30, idleCommands: 3, gapMs: 0 });
    expect(r.archive).toMatchObject({ requested: 30, kept: 30 });
    expect(r.duringCold.samples).toBeGreaterThanOrEqual(1);
    expect(r.duringCold.failedFeeds).toBe(0);
    expect(r.idle.samples).toBe(3);
    expect(r.badReplies).toBe(0);
    for (const stats of [r.idle, r.duringCold]) {
      expect(stats.p50Ms).toBeLessThanOrEqual(stats.p99Ms);
      expect(stats.p99Ms).toBeLessThanOrEqual(stats.maxMs);
    }
    const section = latestLatencySection(r, spec);
    expectWellFormed(section);
    expect(section.rows.filter((row) => row.pass !== null)).toHaveLength(2);
  });

  it('3. peak memory of the bot process, as npm start runs it', SLOW, async () => {
    const r = await runPeakMemoryBench({ spec, servers, seenMarks: 200, archiveItems: 50, pollCron: '*/2 * * * * *' });
    expect(r.feeds).toBe(FEEDS);
    expect(r.peakRss).toBeGreaterThan(r.emptyNode);
    expect(r.phases.map((p) => p.name)).toEqual(['start-up and the cold cycle', 'waiting, then the steady cycle']);
    for (const phase of r.phases) {
      expect(phase.failedFeeds).toBe(0);
      expect(phase.loggedRssMiB).toBeGreaterThan(0);
      expect(phase.peakRss).toBeGreaterThan(0);
      expect(phase.peakRss).toBeLessThanOrEqual(r.peakRss);
    }
    expect(r.commands.sent).toBeGreaterThan(0);
    expect(r.commands.failed).toBe(0);
    expect(r.stop.code).toBe(0);
    const section = peakMemorySection(r);
    expectWellFormed(section);
    expect(section.rows.filter((row) => row.pass !== null)).toHaveLength(1);
  });

  it('4. topic filter throughput, and the whole report', SLOW, async () => {
    const r = await runTopicFilterBench({ repeat: 1, rounds: 1, feedDocs: 1 });
    expect(r.labelled.setSize).toBeGreaterThan(100);
    expect(r.labelled.relevant).toBeGreaterThan(0);
    expect(r.labelled.agreement).toBeGreaterThan(0.5);
    expect(r.labelled.agreement).toBeLessThanOrEqual(1);
    expect(r.feedItems.setSize).toBeGreaterThan(0);
    finite(r.labelled.itemsPerSecond);
    finite(r.feedItems.itemsPerSecond);
    const section = topicFilterSection(r, 1000);
    expectWellFormed(section);
    const report = renderReport({ date: new Date(), machine: machine(), preface: ['x'], sections: [section], durationMs: 1 });
    expect(report).toMatch(/^# Benchmarks\n/);
    expect(report).toMatch(/\*\*Machine:\*\* .+, \d+ cores, [\d.]+ GiB/);
    expect(report).toContain(`**Node:** ${process.version}`);
    expect(report).toContain('0 of 0 targets met');
  });
});
