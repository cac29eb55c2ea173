// Benchmark 7's reading of V8's compiler trace (scripts/bench/compile-trace.ts), on lines as
// Node 20's V8 prints them.
import { describe, expect, it } from 'vitest';
import { compileStats } from '../scripts/bench/compile-trace.ts';

const trace = [
  '[marking 0x021078ddcdb1 <JSFunction probeWords (sfi = 0x22b7d5f35829)> for optimization to TURBOFAN, ConcurrencyMode::kConcurrent, reason: hot and stable]',
  '[compiling method 0x021078ddcdb1 <JSFunction probeWords (sfi = 0x22b7d5f35829)> (target TURBOFAN), mode: ConcurrencyMode::kSynchronous]',
  '[completed compiling 0x021078ddcdb1 <JSFunction probeWords (sfi = 0x22b7d5f35829)> (target TURBOFAN) - took 0.005, 7.367, 0.080 ms]',
  '[completed optimizing 0x021078ddcdb1 <JSFunction probeWords (sfi = 0x22b7d5f35829)> (target TURBOFAN)]',
  '[completed compiling 0x22b8c835edc9 <JSFunction (sfi = 0xa94ebc491b1)> (target TURBOFAN) - took 0.004, 0.830, 0.016 ms]',
  '[bailout (kind: deopt-eager, reason: wrong map): begin. deoptimizing 0x021078ddcdb1 <JSFunction probeWords (sfi = 0x22b7d5f35829)>, 0x24fcafc95319 <Code TURBOFAN>, opt id 9, bytecode offset 15, deopt exit 94]',
  '[bailout (kind: deopt-lazy, reason: (unknown)): begin. deoptimizing 0x3d4c0a9d2d71 <JSFunction normalize.lean (sfi = 0x11e596436991)>, 0x24fcafc95319 <Code TURBOFAN>]',
  // The same function made again by its expression (another closure): the same code, compiled again.
  '[completed compiling 0x0a1 <JSFunction probeWords (sfi = 0x22b7d5f35829)> (target TURBOFAN) - took 0.010, 5.000, 0.090 ms]',
  '[completed compiling 0x0b2 <JSFunction normalize.lean (sfi = 0x11e596436991)> (target TURBOFAN) - took 0.100, 2.000, 0.100 ms]',
  'some line the bot printed',
].join('\n');

describe('compileStats', () => {
  it('counts compiles, the functions compiled again and the optimised code V8 dropped', () => {
    const stats = compileStats(trace);
    expect(stats).toMatchObject({ compiles: 4, functions: 3, recompiles: 1, deopts: 2 });
    expect(stats.byTier).toEqual({ TURBOFAN: { compiles: 4, ms: stats.ms } });
    expect(stats.ms).toBeCloseTo(7.452 + 0.85 + 5.1 + 2.2, 6);
    expect(stats.recompileMs).toBeCloseTo(5.1, 6);
  });

  it('names the longest by function, an anonymous one as such', () => {
    const { top } = compileStats(trace, 2);
    expect(top).toHaveLength(2);
    expect(top[0]).toMatchObject({ name: 'probeWords', compiles: 2 });
    expect(top[0]!.ms).toBeCloseTo(12.552, 6);
    expect(top[1]).toMatchObject({ name: 'normalize.lean', compiles: 1 });
    expect(compileStats(trace).top.map((t) => t.name)).toContain('(anonymous)');
  });

  it("reads Node 24's two compilers apart: Maglev first, then TurboFan, is no recompile", () => {
    const node24 = [
      '[completed compiling 0x3e182bf233b1 <JSFunction hot (sfi = 0x31df391753e1)> (target MAGLEV) - took 0.002, 1.234, 0.007 ms]',
      '[completed compiling 0x3e182bf233b1 <JSFunction hot (sfi = 0x31df391753e1)> (target TURBOFAN_JS) - took 0.032, 4.786, 0.020 ms]',
      '[completed compiling 0x3e182bf233b1 <JSFunction hot (sfi = 0x31df391753e1)> (target TURBOFAN_JS) - took 0.010, 1.000, 0.010 ms]',
    ].join('\n');
    const stats = compileStats(node24);
    expect(stats).toMatchObject({ compiles: 3, functions: 1, recompiles: 1 });
    expect(stats.byTier.MAGLEV!.compiles).toBe(1);
    expect(stats.byTier.TURBOFAN_JS!.ms).toBeCloseTo(4.838 + 1.02, 6);
  });

  it('reads nothing from text without a trace', () => {
    expect(compileStats('')).toEqual({ compiles: 0, functions: 0, ms: 0, byTier: {}, recompiles: 0, recompileMs: 0, deopts: 0, top: [] });
  });
});
