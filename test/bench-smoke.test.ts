// The benchmark modules (scripts/bench/) on a tiny configuration: they run end to end and
// produce well-formed results. Structure only — never times, which depend on the machine.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { latestLatencySection, runLatestLatencyBench } from '../scripts/bench/latest-latency.ts';
import { peakMemorySection, runPeakMemoryBench } from '../scripts/bench/peak-memory.ts';
import { COLD_RUNS, pollCycleSection, runPollCycleBench } from '../scripts/bench/poll-cycle.ts';
import { CHECKS, machine, renderComparison, renderReport, renderSection, type Section } from '../scripts/bench/report.ts';
import { runScaleBench, scaleSection } from '../scripts/bench/scale.ts';
import { profileSection, runProfileBench } from '../scripts/bench/profile.ts';
import { summarizeProfile, type CpuProfile } from '../scripts/bench/cpu-profile.ts';
import { loadBotConfig } from '../src/config.ts';
import { runTopicFilterBench, topicFilterSection } from '../scripts/bench/topic-filter.ts';
import { spawnFeedServers, startFeedServers, type FeedServers, type FeedServerSpec } from '../scripts/bench/feed-servers.ts';
import { latencyStats, percentile } from '../scripts/bench/bench-bot.ts';
import { startEnv } from '../scripts/bench/proc.ts';
import { ARTICLE_WORDS, longAnchorsDocument, NEAR_MISS_KINDS, readTopicTerms, wordCount } from '../scripts/bench/long-anchors.ts';
import { normalizeFeed } from '../src/engine/normalize.ts';
import { parseFeed } from '../src/engine/parse.ts';
import { judge } from '../src/engine/relevance.ts';
import { loadTopic } from '../src/engine/topic.ts';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

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

  it("runs the cold cycles' and the naive loop's children with npm start's environment, as with its heap flags", () => {
    const start = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')).scripts.start as string;
    expect(start).toMatch(/MALLOC_ARENA_MAX=2 exec node /);
    expect(startEnv()).toMatchObject({ MALLOC_ARENA_MAX: '2', PATH: process.env.PATH });
  });

  it('computes nearest-rank percentiles', () => {
    expect(percentile([5, 1, 3, 2, 4], 50)).toBe(3);
    expect(percentile([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 99)).toBe(10);
    expect(latencyStats([])).toMatchObject({ samples: 0 });
  });

  it('renders the issue targets side by side, one column per workload, "not run" where a benchmark was left out', () => {
    const section = (speedup: string, pass: boolean): Section => ({
      title: '1. x',
      rows: [{ metric: 'cold', measured: '1 s', target: '≥ 10×', pass, ratio: '', check: { id: 'speedup', value: speedup } }],
      how: ['x'],
      notes: [],
    });
    const table = renderComparison('Targets', [
      { label: 'film news', sections: [section('12.0×', true)] },
      { label: 'long items', sections: [section('4.5×', false)] },
    ]);
    const lines = table.split('\n').filter((l) => l.startsWith('| '));
    expect(lines[0]).toBe('| Target | film news | long items |');
    expect(lines).toHaveLength(2 + CHECKS.length);
    expect(lines[2]).toMatch(/^\| Cold cycle ≥ 10× faster .*\| 12\.0× ✅ pass \| 4\.5× ❌ fail \|$/);
    expect(lines.slice(3).every((l) => l.endsWith('| not run | not run |'))).toBe(true);
  });

  it('sums a CPU profile by file within the window: idle left out, SQLite apart, natives with their caller', () => {
    const frame = (id: number, functionName: string, url: string, children: number[] = []) => ({ id, callFrame: { functionName, url, lineNumber: 4, columnNumber: 0 }, children });
    const profile: CpuProfile = {
      nodes: [
        frame(1, '(root)', '', [2, 3, 4, 7]),
        frame(2, '(idle)', ''),
        frame(3, 'judge', 'file:///p/src/engine/relevance.ts', [5]),
        frame(4, 'run', 'file:///p/src/store/sql/sqlite-driver.ts', [6]),
        frame(5, 'exec', ''),
        frame(6, 'all', ''),
        frame(7, '(garbage collector)', ''),
      ],
      startTime: 1000,
      endTime: 9000,
      // One sample per ms from 2000 µs on; the window [2500, 7500] keeps the samples at 3000 … 7000.
      samples: [3, 3, 5, 6, 2, 7, 3],
      timeDeltas: [1000, 1000, 1000, 1000, 1000, 1000, 1000],
    };
    const locate = (url: string, line: number) => ({ file: url.replace('file:///p/', ''), line });
    const summary = summarizeProfile(profile, { startUs: 2500, endUs: 7500 }, locate);
    expect(summary).toMatchObject({ samples: 5, busyUs: 4000, idleUs: 1000 });
    const by = Object.fromEntries(summary.groups.map((g) => [g.where, g]));
    expect(by['src/engine/relevance.ts']).toMatchObject({ kind: 'engine', selfUs: 2000 });
    expect(by['src/engine/relevance.ts']!.top.map((t) => t.fn)).toEqual(['judge relevance.ts:5', 'exec (native, from judge)']);
    expect(by['SQLite (better-sqlite3 native calls)']).toMatchObject({ kind: 'sqlite', selfUs: 1000 });
    expect(by['garbage collection']).toMatchObject({ kind: 'gc', selfUs: 1000 });
  });
});

describe('the long-anchors workload', () => {
  const now = new Date('2026-03-01T12:00:00Z');
  const topicTerms = readTopicTerms();

  it('is deterministic: the same feed number gives the same bytes, another number other items', () => {
    const a = longAnchorsDocument({ index: 3, targetBytes: 20_000, now, topic: topicTerms });
    const b = longAnchorsDocument({ index: 3, targetBytes: 20_000, now, topic: topicTerms });
    const c = longAnchorsDocument({ index: 10, targetBytes: 20_000, now, topic: topicTerms });
    expect(a.xml).toBe(b.xml);
    expect(c.xml).not.toBe(a.xml);
    expect(Buffer.byteLength(a.xml)).toBeGreaterThanOrEqual(20_000);
    expect(Buffer.byteLength(a.xml)).toBeLessThan(25_000);
  });

  it('writes long items in seven languages that mostly name the film and a sequel word, a few on topic, as the real filter sees them', async () => {
    const topic = loadTopic();
    const languages = new Set<string>();
    let items = 0;
    let reachMatcher = 0;
    let onTopic = 0;
    let nearMiss = 0;
    for (let index = 0; index < 14; index++) {
      const doc = longAnchorsDocument({ index, targetBytes: 30_000, now, topic: topicTerms });
      const language = /<language>([a-z]{2})-/.exec(doc.xml)![1]!;
      languages.add(language);
      const parsed = normalizeFeed(await parseFeed(doc.xml), { feed: `https://feed${index}.example/rss`, now });
      expect(parsed).toHaveLength(doc.items);
      expect(Object.values(doc.kinds).reduce((x, y) => x + y, 0)).toBe(doc.items);
      nearMiss += NEAR_MISS_KINDS.reduce((sum, kind) => sum + doc.kinds[kind], 0);
      for (const item of parsed) {
        // About 150 words: the lede and the article, as the poll cycle judges them.
        const words = wordCount(item.fullText ?? '', language);
        expect(words).toBeGreaterThanOrEqual(ARTICLE_WORDS - 10);
        expect(words).toBeLessThanOrEqual(ARTICLE_WORDS + 60);
        const verdict = judge({ title: item.title, summary: item.summary, ...(item.fullText ? { fullText: item.fullText } : {}) }, topic);
        items++;
        if (verdict.relevant) onTopic++;
        // Past the cheap look for an anchor: the filter ran its full matcher on this item.
        if (verdict.reasons.join() !== 'no mention of Alita') reachMatcher++;
      }
    }
    expect([...languages].sort()).toEqual(['de', 'en', 'es', 'fr', 'it', 'ja', 'pt']);
    expect(nearMiss / items).toBeGreaterThan(0.5);
    expect(reachMatcher / items).toBeGreaterThan(0.5);
    expect(onTopic / items).toBeGreaterThan(0);
    expect(onTopic / items).toBeLessThan(0.1);
  });

  it('takes its anchors and sequel words from data/topic.json: a term the file drops is no longer written', () => {
    const dir = mkdtempSync(join(tmpdir(), 'alita-topic-'));
    try {
      const raw = readFileSync(new URL('../data/topic.json', import.meta.url), 'utf8');
      const dropped = new Set(['trilogy', 'trilogie', 'trilogía', 'trilogia', 'battle angel']);
      const edited = JSON.parse(raw, (_key, value: unknown) => (Array.isArray(value) ? value.filter((v) => !dropped.has(v as string)) : value)) as unknown;
      writeFileSync(join(dir, 'topic.json'), JSON.stringify(edited));
      const edit = readTopicTerms(pathToFileURL(join(dir, 'topic.json')));
      const before = [0, 1, 2, 3, 4, 5].map((index) => longAnchorsDocument({ index, targetBytes: 40_000, now, topic: topicTerms }).xml).join('');
      const after = [0, 1, 2, 3, 4, 5].map((index) => longAnchorsDocument({ index, targetBytes: 40_000, now, topic: edit }).xml).join('');
      expect(before).toMatch(/trilog/i);
      expect(before).toMatch(/Battle Angel/);
      expect(after).not.toMatch(/trilog/i);
      expect(after).not.toMatch(/Battle Angel/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('is served by the feed servers when the spec asks for it, across more than one /24 of loopback', async () => {
    const local = await startFeedServers({ feeds: 7, feedBytes: 10_000, bigFeeds: 0, bigFeedBytes: 0, hosts: 5, latencyMs: 0, firstHost: 252, content: 'long-anchors' });
    try {
      expect(local.hosts.map((h) => h.split(':')[0])).toEqual(['127.0.0.252', '127.0.0.253', '127.0.0.254', '127.0.1.1', '127.0.1.2']);
      const body = await (await fetch(local.urls[4]!)).text();
      expect(body).toMatch(/<language>(en|es|fr|de|it|pt|ja)-[a-z]{2}<\/language>/);
      expect(Object.values(local.kinds!).reduce((x, y) => x + y, 0)).toBe(local.items);
    } finally {
      await local.close();
    }
  });
});

describe('benchmark modules on a tiny configuration', () => {
  it('1. poll cycle: cold, steady (all 304) and the naive loop', SLOW, async () => {
    const r = await runPollCycleBench({ spec, servers });
    // Every cold run is a whole cold cycle of its own fresh bot; the median one is compared.
    expect(r.colds).toHaveLength(COLD_RUNS);
    for (const run of r.colds) expect(run).toMatchObject({ feeds: FEEDS, failed: 0, skipped: 0, server: { requests: FEEDS, ok: FEEDS } });
    expect(r.colds).toContain(r.cold);
    expect(r.colds.filter((run) => run.wallMs < r.cold.wallMs)).toHaveLength(Math.floor(COLD_RUNS / 2));
    // The CPU targets read the run of median CPU, which need not be the run of median wall time.
    expect(r.colds).toContain(r.coldCpu);
    expect(r.colds.filter((run) => run.cpuMs < r.coldCpu.cpuMs)).toHaveLength(Math.floor(COLD_RUNS / 2));
    expect(r.cpuRatio).toBe(r.coldCpu.cpuMs / r.naive!.cpuMs);
    expect(r.steadyCpuRatio).toBe(r.steady.cpuMs / r.coldCpu.cpuMs);
    expect(r.cold).toMatchObject({ feeds: FEEDS, failed: 0, skipped: 0 });
    expect(r.cold.server).toMatchObject({ requests: FEEDS, ok: FEEDS });
    expect(r.steadies).toHaveLength(COLD_RUNS);
    expect(r.steadies).toContain(r.steady);
    for (const run of r.steadies) expect(run.server).toMatchObject({ requests: FEEDS, notModified: FEEDS });
    expect(r.steady).toMatchObject({ feeds: FEEDS, failed: 0, skipped: 0 });
    expect(r.steady.server).toMatchObject({ requests: FEEDS, notModified: FEEDS, conditional: FEEDS });
    expect(r.cold.server.bytesSent).toBeGreaterThanOrEqual(servers.documentBytes);
    expect(r.steady.server.bytesSent).toBeLessThan(r.cold.server.bytesSent);
    expect(r.naive).toMatchObject({ feeds: FEEDS, failed: 0, items: servers.items });
    expect(r.cold.store.byMethod.recordPoll?.calls).toBe(FEEDS);
    // Linux's per-thread times: the main thread and the (lower-priority) parse worker both worked.
    const threads = r.coldCpu.threads!;
    expect(threads.mainMs).toBeGreaterThan(0);
    expect(threads.workerMs).toBeGreaterThan(0);
    expect(threads.otherMs).toBeGreaterThanOrEqual(0);
    for (const n of [r.cold.wallMs, r.cold.cpuMs, r.steady.wallMs, r.steady.cpuMs, r.naive!.wallMs, r.speedup!, r.steadyCpuRatio, r.steadyBytesRatio]) finite(n);
    const section = pollCycleSection(r);
    expectWellFormed(section);
    expect(section.notes.join(' ')).toMatch(/CPU goes \(the run of median CPU\), by thread: the main thread .+, the parse worker .+, the process's other threads/);
    expect(section.rows.filter((row) => row.pass !== null)).toHaveLength(4);
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

  it('1. poll cycle on the long-anchors workload, with the cold cycle’s CPU against the naive loop’s', SLOW, async () => {
    const longSpec: FeedServerSpec = { ...spec, content: 'long-anchors' };
    const long = await spawnFeedServers(longSpec);
    try {
      const r = await runPollCycleBench({ spec: longSpec, servers: long });
      expect(r.cold).toMatchObject({ feeds: FEEDS, failed: 0, skipped: 0 });
      expect(r.naive).toMatchObject({ feeds: FEEDS, failed: 0, items: long.items });
      expect(r.kinds).toEqual(long.kinds);
      finite(r.cpuRatio!);
      const section = pollCycleSection(r);
      expectWellFormed(section);
      expect(section.title).toContain('long items naming anchors');
      expect(section.how.join(' ')).toContain('data/topic.json');
      expect(section.rows.map((row) => row.check?.id).filter(Boolean)).toEqual(['speedup', 'cold-cpu', 'steady-cpu', 'steady-bytes']);
    } finally {
      await long.close();
    }
  });

  it('6. scale: one cycle of the bot as npm start runs it, its FEEDS from a .env file, hosts past 127.0.0.254', SLOW, async () => {
    const scaleSpec: FeedServerSpec = { feeds: 12, feedBytes: 4_000, bigFeeds: 0, bigFeedBytes: 0, hosts: 6, firstHost: 252, latencyMs: 0 };
    const r = await runScaleBench({ spec: scaleSpec, timeoutMs: 100_000 });
    // Without FEEDS in its environment the bot would poll data/feeds.json: these are the .env's.
    expect(r.logged).toMatchObject({ feeds: 12, failed: 0 });
    expect(r.server).toMatchObject({ requests: 12, ok: 12 });
    const defaults = loadBotConfig({});
    expect(r.limits).toEqual({ concurrency: defaults.FETCH_CONCURRENCY, perHost: defaults.FETCH_PER_HOST, timeoutMs: defaults.FETCH_TIMEOUT_MS, pollCron: defaults.POLL_CRON });
    expect(r.server.maxInFlightPerHost).toBeLessThanOrEqual(defaults.FETCH_PER_HOST);
    expect(r.peakRss).toBeGreaterThan(0);
    for (const n of [r.logged.ms, r.wallMs, r.cpuMs]) finite(n);
    expect(r.stop.code).toBe(0);
    const section = scaleSection(r);
    expectWellFormed(section);
    expect(section.how.join(' ')).toContain('127.0.0.252–127.0.1.3');
    expect(section.rows.filter((row) => row.pass !== null)).toHaveLength(2);
  });

  it('7. profile: the cold cycle under --cpu-prof, the worker mapped back to its sources', SLOW, async () => {
    const r = await runProfileBench({ spec, servers });
    expect(r).toMatchObject({ feeds: FEEDS, failed: 0 });
    expect(r.threads.map((t) => t.thread).sort()).toEqual(['main thread', 'parse worker']);
    const worker = r.threads.find((t) => t.thread === 'parse worker')!;
    // The bundle's frames are named by the sources they were built from.
    expect(worker.groups.some((g) => g.kind === 'engine' && g.where.startsWith('src/engine/'))).toBe(true);
    expect(worker.groups.every((g) => g.where === 'dist/parse-worker.js (bundle glue)' || !g.where.startsWith('dist/'))).toBe(true);
    // The second cycle's compiler trace was read (a tiny cycle may compile little or nothing).
    expect(r.compiler.cycleCpuMs).toBeGreaterThan(0);
    expect(r.compiler.compiles).toBeGreaterThanOrEqual(r.compiler.recompiles);
    expect(Number.isFinite(r.compiler.ms)).toBe(true);
    const section = profileSection(r);
    expectWellFormed(section);
    expect(section.rows.filter((row) => row.pass !== null)).toHaveLength(0);
    expect(section.rows.some((row) => row.metric.startsWith("V8's optimising compilers"))).toBe(true);
  });

  it('4. topic filter throughput, and the whole report', SLOW, async () => {
    const r = await runTopicFilterBench({ repeat: 1, rounds: 1, feedDocs: 1 });
    expect(r.labelled.setSize).toBeGreaterThan(100);
    expect(r.labelled.relevant).toBeGreaterThan(0);
    expect(r.labelled.agreement).toBeGreaterThan(0.5);
    expect(r.labelled.agreement).toBeLessThanOrEqual(1);
    expect(r.feedItems.setSize).toBeGreaterThan(0);
    expect(r.longItems.setSize).toBeGreaterThan(0);
    finite(r.labelled.itemsPerSecond);
    finite(r.feedItems.itemsPerSecond);
    finite(r.longItems.itemsPerSecond);
    const section = topicFilterSection(r, { news: 1000, 'long-anchors': 1000 });
    expectWellFormed(section);
    const report = renderReport({ date: new Date(), machine: machine(), preface: ['x'], sections: [section], durationMs: 1 });
    expect(report).toMatch(/^# Benchmarks\n/);
    expect(report).toMatch(/\*\*Machine:\*\* .+, \d+ cores, [\d.]+ GiB/);
    expect(report).toContain(`**Node:** ${process.version}`);
    expect(report).toContain('0 of 0 targets met');
  });
});
