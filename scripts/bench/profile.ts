/**
 * Benchmark 7: where the CPU goes. The cold cycle of benchmark 1 once more, in a child process
 * under `node --cpu-prof` (every thread: the main thread and the parse worker), summarised by
 * cpu-profile.ts as self time per file or package during the cycle.
 */
import { fork } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { benchChildFile, buildBenchChildren } from './bench-build.ts';
import { tempDir } from './bench-bot.ts';
import { compileStats, type CompileStats } from './compile-trace.ts';
import { sourceMapLocator, summarizeProfile, type CpuProfile, type GroupKind, type ThreadSummary } from './cpu-profile.ts';
import { PROJECT_ROOT } from './feed-content.ts';
import type { FeedServers, FeedServerSpec } from './feed-servers.ts';
import { ms, num, pct, type Section } from './report.ts';
import { heapFlags, startEnv } from './proc.ts';
import { WORKLOAD_LABELS } from './workloads.ts';

export interface ProfileOptions {
  spec: FeedServerSpec;
  servers: FeedServers;
  /** Rows of the table (the groups with the most self time). Default 12. */
  rows?: number;
}

export interface ProfileResult {
  spec: FeedServerSpec;
  windowMs: number;
  feeds: number;
  failed: number;
  threads: Array<ThreadSummary & { thread: string }>;
  /** V8's optimising compiler in a second cold cycle, traced (compile-trace.ts), and that cycle's CPU. */
  compiler: CompileStats & { cycleCpuMs: number };
  rows: number;
}

type Reply = { ok: true; startUs: number; endUs: number; cpuMs: number; feeds: number; failed: number } | { ok: false; error: string };

/** One cold cycle in a fresh child (profile-child.ts) with these Node flags and npm start's environment; its reply, and its stdout when piped. */
async function profiledCycle(execArgv: string[], request: { feeds: string[]; traceCompiles?: boolean }): Promise<{ reply: Reply & { ok: true }; stdout: string }> {
  const child = fork(benchChildFile('profile-child'), [], { cwd: PROJECT_ROOT, execArgv, env: startEnv(), stdio: ['ignore', request.traceCompiles ? 'pipe' : 'inherit', 'inherit', 'ipc'], serialization: 'json' });
  const out: Buffer[] = [];
  child.stdout?.on('data', (chunk: Buffer) => out.push(chunk));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const reply = await new Promise<Reply>((resolve, reject) => {
    child.once('message', (message: Reply) => resolve(message));
    void exited.then((code) => reject(new Error(`the profiled cycle's process exited (${code}) before it reported`)));
    child.send(request);
  });
  await exited;
  if (!reply.ok) throw new Error(`the profiled cycle failed: ${reply.error}`);
  return { reply, stdout: Buffer.concat(out).toString('utf8') };
}

export async function runProfileBench(options: ProfileOptions): Promise<ProfileResult> {
  const dir = tempDir('alita-cpuprof-');
  try {
    // The bench process's heap flags too, so the profiled cycle runs as benchmark 1's does.
    // Bundled, as benchmark 1's bot is (bench-build.ts); the profiles map it back to its sources.
    await buildBenchChildren();
    const { reply } = await profiledCycle(['--cpu-prof', `--cpu-prof-dir=${dir.path}`, ...heapFlags()], { feeds: options.servers.urls });
    const locate = sourceMapLocator(PROJECT_ROOT);
    const window = { startUs: reply.startUs, endUs: reply.endUs };
    // CPU.<date>.<time>.<pid>.<thread id>.<seq>.cpuprofile: thread 0 is the main thread.
    const files = readdirSync(dir.path).filter((f) => f.endsWith('.cpuprofile')).sort();
    const threads = files
      .map((file) => {
        const profile = JSON.parse(readFileSync(join(dir.path, file), 'utf8')) as CpuProfile;
        const thread = file.split('.').at(-3) === '0' ? 'main thread' : profile.nodes.some((n) => n.callFrame.url.endsWith('/parse-worker.js')) ? 'parse worker' : 'another thread';
        return { thread, ...summarizeProfile(profile, window, locate) };
      })
      // A thread idle all along has nothing to say.
      .filter((t) => t.busyUs >= 10_000);
    // Once more, without the profiler, for the compiler's share: each compile on the thread that asked for it.
    const traced = await profiledCycle(['--no-concurrent-recompilation', ...heapFlags()], { feeds: options.servers.urls, traceCompiles: true });
    const compiler = { ...compileStats(traced.stdout), cycleCpuMs: traced.reply.cpuMs };
    return { spec: options.spec, windowMs: (reply.endUs - reply.startUs) / 1000, feeds: reply.feeds, failed: reply.failed + traced.reply.failed, threads, compiler, rows: options.rows ?? 12 };
  } finally {
    dir.remove();
  }
}

const KIND_NAMES: Record<GroupKind, string> = {
  engine: 'our engine (src/engine)',
  bot: 'our bot (src/bot, src/app)',
  store: 'our store (src/store)',
  library: 'libraries',
  sqlite: 'SQLite',
  gc: 'garbage collection',
  node: 'Node.js internals',
  vm: 'V8/Node outside JS',
  harness: 'the benchmark',
  other: 'other',
};

/** V8's names for its compilers, as the report names them. */
const tierName = (tier: string) => (tier.startsWith('TURBOFAN') ? 'TurboFan' : tier === 'MAGLEV' ? 'Maglev' : tier);

export function profileSection(r: ProfileResult): Section {
  const totalUs = r.threads.reduce((sum, t) => sum + t.busyUs, 0);
  const all = r.threads.flatMap((t) => t.groups.map((g) => ({ ...g, thread: t.thread }))).sort((a, b) => b.selfUs - a.selfUs);
  const shown = all.slice(0, r.rows);
  const rest = all.slice(r.rows).reduce((sum, g) => sum + g.selfUs, 0);
  const rows: Section['rows'] = r.threads.map((t) => ({
    metric: `${t.thread}: CPU sampled during the cycle`,
    measured: ms(t.busyUs / 1000),
    target: '—',
    pass: null,
    ratio: `${pct(t.busyUs / 1000 / r.windowMs)} of the cycle's ${ms(r.windowMs)}; ${num(t.samples)} samples`,
  }));
  for (const g of shown) {
    rows.push({
      metric: `${g.thread} · ${g.where}`,
      measured: ms(g.selfUs / 1000),
      target: '—',
      pass: null,
      ratio: `${pct(g.selfUs / totalUs)} of all CPU sampled; ${g.top.map((s) => `${s.fn} ${ms(s.selfUs / 1000)}`).join(', ')}`,
    });
  }
  if (rest > 0) rows.push({ metric: `everything else (${all.length - shown.length} groups)`, measured: ms(rest / 1000), target: '—', pass: null, ratio: `${pct(rest / totalUs)} of all CPU sampled` });
  const c = r.compiler;
  rows.push({
    metric: "V8's optimising compilers, in a second cold cycle",
    measured: ms(c.ms),
    target: '—',
    pass: null,
    ratio:
      `${pct(c.ms / c.cycleCpuMs)} of that cycle's CPU (${ms(c.cycleCpuMs)}); ${Object.entries(c.byTier).map(([tier, t]) => `${tierName(tier)} ${ms(t.ms)}`).join(', ') || 'nothing compiled'}; ${num(c.compiles)} compiles of ${num(c.functions)} functions, ` +
      `${num(c.recompiles)} of them again after V8 dropped optimised code (${num(c.deopts)} times), ${ms(c.recompileMs)}; longest: ${c.top.map((t) => `${t.name} ${ms(t.ms)}${t.compiles > 1 ? ` (${t.compiles})` : ''}`).join(', ')}`,
  });
  const byKind = new Map<string, number>();
  for (const g of all) {
    // Parsing is the worker's libraries: named apart from the main thread's (Kysely, Keyv, discord.js).
    const name = g.kind === 'library' ? `${g.thread === 'parse worker' ? 'libraries in the worker' : 'libraries on the main thread'}` : KIND_NAMES[g.kind];
    byKind.set(name, (byKind.get(name) ?? 0) + g.selfUs);
  }
  const kinds = [...byKind].sort((a, b) => b[1] - a[1]).map(([name, us]) => `${name} ${pct(us / totalUs)}`);
  const notes = [`By kind, over both threads: ${kinds.join(', ')}.`];
  if (r.failed > 0) notes.push(`⚠ ${r.failed} feed(s) failed in the profiled cycle.`);
  return {
    title: `7. Where the CPU goes: the cold cycle, profiled — ${WORKLOAD_LABELS[r.spec.content ?? 'news']}`,
    rows,
    notes,
    how: [
      `One more cold cycle like benchmark 1's (the bench bot with the built parse worker, a fresh SQLite store, the same ${num(r.feeds)} feeds and servers, workload \`${r.spec.content ?? 'news'}\`), in a child process (scripts/bench/profile-child.ts, bundled as benchmark 1's bot is, its frames mapped back to src/ through the bundle's source map) started with \`node --cpu-prof\`: V8's sampling profiler on every thread (the main thread and the parse worker), a sample every millisecond.`,
      'Only samples inside the cycle count (its start and end taken on the monotonic clock the profiles use). Self time = time a function was on top of the stack, grouped by source file (ours) or package (libraries); builtins and native bindings (RegExp, JSON, C++) count with the JavaScript that called them, except better-sqlite3’s, which count as SQLite.',
      'The worker runs the bundle dist/parse-worker.js; its frames are mapped back to src/ and node_modules/ through dist/parse-worker.js.map. Profiling slows the cycle down: the shares, not the times, are the finding.',
      "The compilers' row: a second cold cycle (no profiler) with `--no-concurrent-recompilation`, so each compile runs on the thread that asked for it (in benchmark 1 it runs on V8's helper threads, among \"the process's other threads\"), and V8's `--trace-opt --trace-deopt` switched on for the cycle only; its time is the sum of the compiles' phases as V8 reports them, compared with that cycle's CPU (process.cpuUsage, all threads).",
    ],
  };
}
