/**
 * What V8's optimising compilers (TurboFan; Maglev too from Node 24) did during a cold cycle, read from its own trace
 * (`--trace-opt --trace-deopt`, switched on just for the cycle). A JavaScript profile does not see
 * this work: it runs on V8's helper threads, among "the process's other threads". Read from a run
 * with `--no-concurrent-recompilation`, each compile's time is spent on the thread that asked.
 */

export interface CompileStats {
  compiles: number;
  /** Distinct functions compiled. */
  functions: number;
  /** Wall time of every compile's three phases (prepare, execute, finalize). */
  ms: number;
  /** Per compiler, as V8 names it (TURBOFAN on Node 20 and 22, TURBOFAN_JS and MAGLEV on 24). */
  byTier: Record<string, { compiles: number; ms: number }>;
  /** Compiles of a function compiled before by the same compiler: after V8 dropped its optimised code. */
  recompiles: number;
  recompileMs: number;
  /** Optimised code dropped (V8's "bailout" lines). */
  deopts: number;
  /** The functions whose compiles took longest, by name (anonymous ones as "(anonymous)"). */
  top: Array<{ name: string; compiles: number; ms: number }>;
}

// [completed compiling 0x… <JSFunction name (sfi = 0x…)> (target TURBOFAN) - took 0.012, 8.201, 0.144 ms]
const COMPILED = /completed compiling 0x[0-9a-f]+ <JSFunction ([^\s>]*) ?\(sfi = (0x[0-9a-f]+)\)> \(target ([A-Z_]+)\) - took ([\d.]+), ([\d.]+), ([\d.]+) ms/;
const DEOPT = /^\[bailout \(kind: deopt-/;

export function compileStats(trace: string, topCount = 5): CompileStats {
  const seen = new Set<string>();
  const byName = new Map<string, { compiles: number; ms: number }>();
  const functions = new Set<string>();
  const stats: CompileStats = { compiles: 0, functions: 0, ms: 0, byTier: {}, recompiles: 0, recompileMs: 0, deopts: 0, top: [] };
  for (const line of trace.split('\n')) {
    if (DEOPT.test(line)) {
      stats.deopts++;
      continue;
    }
    const m = COMPILED.exec(line);
    if (!m) continue;
    const [, , sfi, tier] = m as unknown as [string, string, string, string];
    const took = Number(m[4]) + Number(m[5]) + Number(m[6]);
    stats.compiles++;
    stats.ms += took;
    const byTier = (stats.byTier[tier] ??= { compiles: 0, ms: 0 });
    byTier.compiles++;
    byTier.ms += took;
    functions.add(sfi);
    // Functions made by one expression share their code (sfi): one function, compiled again.
    const key = `${tier} ${sfi}`;
    if (seen.has(key)) {
      stats.recompiles++;
      stats.recompileMs += took;
    } else seen.add(key);
    const name = m[1] || '(anonymous)';
    const entry = byName.get(name) ?? { compiles: 0, ms: 0 };
    entry.compiles++;
    entry.ms += took;
    byName.set(name, entry);
  }
  stats.functions = functions.size;
  stats.top = [...byName].map(([name, e]) => ({ name, ...e })).sort((a, b) => b.ms - a.ms).slice(0, topCount);
  return stats;
}
