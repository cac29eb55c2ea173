/**
 * Benchmark 3: peak memory (max RSS) of the bot with the benchmark feeds and a store that
 * already remembers many items (seen marks). The bot runs in a child process
 * (peak-memory-child.ts), under /usr/bin/time -v when the machine has it.
 */
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { NewsStore } from '../../src/store/news-store.ts';
import { openKeyv } from '../../src/store/open.ts';
import { silentLogger } from '../../src/log.ts';
import { tempDir } from './bench-bot.ts';
import { PROJECT_ROOT } from './feed-content.ts';
import { spawnFeedServers, type FeedServers, type FeedServerSpec } from './feed-servers.ts';
import type { MemoryChildInput, MemoryChildResult, ProbeStep } from './peak-memory-child.ts';
import { mb, ms, num, pct, type Section } from './report.ts';

export interface PeakMemoryOptions {
  spec: FeedServerSpec;
  servers?: FeedServers;
  /** Seen marks in the store before the bot starts (the issue: 100,000). */
  seenMarks: number;
  /** Use /usr/bin/time -v when present (default true). */
  useTime?: boolean;
  /** Also run the step-by-step memory probe (default true). */
  probe?: boolean;
}

export interface PeakMemoryResult {
  feeds: number;
  seenMarks: number;
  seedMs: number;
  child: MemoryChildResult;
  /** "Maximum resident set size" from /usr/bin/time -v, bytes; undefined without it. */
  timeMaxRss?: number;
  /** The figure judged against the target: /usr/bin/time's when there, else the child's own maxRSS. */
  peakRss: number;
  peakSource: '/usr/bin/time -v' | 'process.resourceUsage().maxRSS';
  /** Where memory goes, step by step, in a separate child (see peak-memory-child.ts --probe). */
  probe?: ProbeStep[];
  /** RSS of an empty `node` and of an empty `node --import tsx`, bytes. */
  runtime?: { node: number; nodeTsx: number };
}

/** RSS of an idle Node process, with and without the tsx loader (npm start runs under tsx). */
function runtimeRss(): { node: number; nodeTsx: number } {
  const script = 'setTimeout(() => process.stdout.write(String(process.memoryUsage.rss())), 200)';
  const run = (args: string[]) => Number(execFileSync(process.execPath, [...args, '-e', script], { cwd: PROJECT_ROOT, encoding: 'utf8', env: { ...process.env, NODE_OPTIONS: '' } }));
  return { node: run([]), nodeTsx: run(['--import', 'tsx']) };
}

export const TARGET_BYTES = 200 * 2 ** 20;
const TIME = '/usr/bin/time';

/** Writes `count` seen marks through NewsStore.markSeen, inside one SQLite transaction (fast; same rows). */
export async function seedSeenMarks(keyvUrl: string, count: number): Promise<void> {
  const keyv = await openKeyv(keyvUrl, silentLogger);
  const store = new NewsStore(keyv);
  const raw = (keyv.store as { query?: (sql: string) => Promise<unknown> }).query;
  const firstSeen = new Date(Date.now() - 30 * 86_400_000).toISOString();
  try {
    await raw?.('BEGIN');
    for (let start = 0; start < count; start += 5000) {
      const n = Math.min(5000, count - start);
      await store.markSeen(Array.from({ length: n }, (_, i) => ({ id: `https://old.example.com/news/item-${start + i}`, firstSeen, relevant: (start + i) % 20 === 0 })));
    }
    await raw?.('COMMIT');
    const seen = await store.seen([`https://old.example.com/news/item-0`, `https://old.example.com/news/item-${count - 1}`]);
    if (count > 0 && !seen.every(Boolean)) throw new Error('seeding seen marks failed');
  } finally {
    await keyv.disconnect();
  }
}

function runChild<T>(childArgs: string[], useTime: boolean): Promise<{ result: T; timeMaxRss?: number }> {
  const entry = fileURLToPath(new URL('./peak-memory-child.ts', import.meta.url));
  const node = [process.execPath, '--import', 'tsx', entry, ...childArgs];
  const [command, ...args] = useTime ? [TIME, '-v', ...node] : node;
  return new Promise((resolve, reject) => {
    const child = spawn(command!, args, { cwd: PROJECT_ROOT, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, NODE_OPTIONS: '' } });
    let out = '';
    let err = '';
    child.stdout.on('data', (c) => (out += String(c)));
    child.stderr.on('data', (c) => (err += String(c)));
    child.on('error', reject);
    child.on('exit', (code) => {
      const line = out.split('\n').find((l) => l.startsWith('RESULT '));
      if (code !== 0 || !line) return reject(new Error(`peak-memory child exited with ${code}\n${err.slice(-2000)}`));
      const kb = /Maximum resident set size \(kbytes\): (\d+)/.exec(err)?.[1];
      resolve({ result: JSON.parse(line.slice('RESULT '.length)) as T, ...(kb ? { timeMaxRss: Number(kb) * 1024 } : {}) });
    });
  });
}

export async function runPeakMemoryBench(options: PeakMemoryOptions): Promise<PeakMemoryResult> {
  const servers = options.servers ?? (await spawnFeedServers(options.spec));
  const dir = tempDir();
  try {
    const keyvUrl = dir.sqliteUrl();
    const t0 = performance.now();
    await seedSeenMarks(keyvUrl, options.seenMarks);
    const seedMs = performance.now() - t0;
    const inputFile = join(dir.path, 'input.json');
    writeFileSync(inputFile, JSON.stringify({ feeds: servers.urls, keyvUrl } satisfies MemoryChildInput));
    const useTime = options.useTime !== false && existsSync(TIME);
    const { result, timeMaxRss } = await runChild<MemoryChildResult>([inputFile], useTime);
    const probe = options.probe === false ? undefined : (await runChild<ProbeStep[]>(['--probe', String(options.spec.bigFeedBytes)], false)).result;
    return {
      ...(probe ? { probe, runtime: runtimeRss() } : {}),
      feeds: servers.urls.length,
      seenMarks: options.seenMarks,
      seedMs,
      child: result,
      ...(timeMaxRss !== undefined ? { timeMaxRss } : {}),
      peakRss: timeMaxRss ?? result.maxRss,
      peakSource: timeMaxRss !== undefined ? '/usr/bin/time -v' : 'process.resourceUsage().maxRSS',
    };
  } finally {
    dir.remove();
    if (!options.servers) await servers.close();
  }
}

export function peakMemorySection(r: PeakMemoryResult): Section {
  const notes: string[] = [];
  for (const p of r.child.phases) if (p.failedFeeds) notes.push(`⚠ ${p.failedFeeds} feeds failed in the phase "${p.name}".`);
  const rows: Section['rows'] = [
    { metric: `Max RSS (${r.peakSource})`, measured: mb(r.peakRss), target: `< ${mb(TARGET_BYTES)}`, pass: r.peakRss < TARGET_BYTES, ratio: `${pct(r.peakRss / TARGET_BYTES)} of target` },
  ];
  if (r.timeMaxRss !== undefined) rows.push({ metric: 'Max RSS (process.resourceUsage().maxRSS, the node process alone)', measured: mb(r.child.maxRss), target: '—', pass: null, ratio: '' });
  rows.push({ metric: 'RSS with everything loaded, before runBot', measured: mb(r.child.baselineRss), target: '—', pass: null, ratio: '' });
  for (const p of r.child.phases) {
    const a = p.atPeak;
    rows.push({
      metric: `Peak RSS sampled during "${p.name}" (${ms(p.wallMs)})`,
      measured: mb(p.peakRss),
      target: '—',
      pass: null,
      ratio: `at the peak: main-thread heap ${mb(a.heapTotal)} (used ${mb(a.heapUsed)}), external ${mb(a.external)}${a.threads ? `, ${a.threads} threads` : ''}; RSS at the end ${mb(p.endRss)}`,
    });
  }
  if (r.runtime) {
    rows.push({ metric: 'Probe: an empty `node` / an empty `node --import tsx`', measured: `${mb(r.runtime.node)} / ${mb(r.runtime.nodeTsx)}`, target: '—', pass: null, ratio: `the tsx loader (its own thread and isolate on Node 20) costs ${mb(r.runtime.nodeTsx - r.runtime.node)}` });
  }
  if (r.probe) {
    for (const [i, step] of r.probe.entries()) {
      rows.push({ metric: `Probe: ${step.step}`, measured: mb(step.peakRss), target: '—', pass: null, ratio: i === 0 ? 'RSS of a separate process' : `peak +${mb(Math.max(0, step.peakRss - step.startRss))} over the RSS before the step; ${mb(step.endRss)} after` });
    }
  }
  return {
    title: '3. Peak memory',
    rows,
    notes,
    how: [
      `A fresh SQLite store gets ${num(r.seenMarks)} seen marks through \`NewsStore.markSeen\` (in one transaction, so seeding takes ${ms(r.seedMs)} rather than minutes; same rows).`,
      `Then a child process runs the bot as \`npm start\` does in console mode (\`node --import tsx\`, \`runBot\` with no Discord token, the real commands) on that store with the ${num(r.feeds)} feeds of benchmark 1 (same servers, same latency): start-up and the cold first cycle, then a steady cycle, then stop.`,
      `The max RSS is ${r.timeMaxRss !== undefined ? "GNU time's \"Maximum resident set size\" for the child (/usr/bin/time -v)" : 'the child\'s `process.resourceUsage().maxRSS`'}; per phase the child also samples \`process.memoryUsage\` every 10 ms. Worker threads share the process, so their heaps are in the RSS.`,
      ...(r.probe ? ['The "Probe" lines come from a separate child (`peak-memory-child.ts --probe`) that takes the steps one at a time: it loads the same modules, starts one ParsePool worker, parses one ordinary and one big benchmark feed in it, closes the pool, then parses the big feed with analyzeDocument on the main thread.'] : []),
    ],
  };
}
