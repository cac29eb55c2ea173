/**
 * The parse worker's young generation is its own (src/engine/worker-heap.ts): under npm start's
 * node flags, whose `--max-semi-space-size` sizes the main thread's young generation and would
 * size a worker's too whatever its resourceLimits say, the pool's worker gets the size the pool
 * asks for. This holds the V8 behaviour the pool relies on, on whichever Node runs the tests.
 */
import { describe, expect, it } from 'vitest';
import { scriptNodeArgs, spawnCommand } from './support/spawn.ts';

/** npm start's node flags, without the script they run. */
const startFlags = scriptNodeArgs('start').filter((arg) => arg.startsWith('--'));

/**
 * How many scavenges a worker made for the same garbage, in a process started with `flags`: one
 * started plainly with the pool's resourceLimits, and the pool's.
 */
async function scavenges(flags: string[]): Promise<{ plain: number; pool: number }> {
  const run = spawnCommand(process.execPath, [...flags, '--import', 'tsx', 'test/fixtures/workers/young-generations.ts']);
  // Once closed, not exited: all it wrote has been read.
  expect(await run.closed, run.stderr()).toBe(0);
  const reasons = JSON.parse(run.stdout().trim().split('\n').at(-1)!) as { plain: string; pool: string };
  const count = (reason: string) => {
    const found = /^(?:parser stopped \((?:could not start: )?)?scavenges (\d+)/.exec(reason);
    expect(found, reason).not.toBeNull();
    return Number(found![1]);
  };
  return { plain: count(reasons.plain), pool: count(reasons.pool) };
}

describe('the parse worker’s young generation', () => {
  it('is the pool’s size under npm start’s flags, which size every other worker’s by the main thread’s', async () => {
    expect(startFlags.some((flag) => flag.startsWith('--max-semi-space-size='))).toBe(true);
    const { plain, pool } = await scavenges(startFlags);
    expect(plain).toBeGreaterThan(20);
    // Sized by the flag, as the plain worker is, the pool's would scavenge as often.
    expect(pool * 1.5).toBeLessThanOrEqual(plain);
  });
});
