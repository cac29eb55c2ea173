/**
 * The benchmark's bot (its cold cycles, profiled or not) and naive loop as bundles, made as
 * `npm run build` makes the bot's own (scripts/build.mjs): each runs as one minified file on
 * plain node, as npm start runs dist/main.js, rather than from the TypeScript sources through
 * tsx. tsx's loader thread, the function names it keeps (a call per closure made) and its
 * source-mapped stack traces are not in the bot users run: measured, they were 50-70 ms of a
 * cold cycle's CPU and 25 ms of a steady one.
 */
import { bundle } from '../build.mjs';
import { PROJECT_ROOT } from './feed-content.ts';

const CHILDREN = {
  'cycle-child': 'scripts/bench/cycle-child.ts',
  'naive-child': 'scripts/bench/naive-child.ts',
  'profile-child': 'scripts/bench/profile-child.ts',
};
export type BenchChild = keyof typeof CHILDREN;

/** Two folders down, as scripts/bench/ is: the bundles find the project's files as their sources do. */
const OUT = 'dist/bench';

let built: Promise<void> | undefined;

/** Builds the children once per process (a build writes only what changed). */
export function buildBenchChildren(): Promise<void> {
  return (built ??= bundle(PROJECT_ROOT, CHILDREN, OUT));
}

export function benchChildFile(name: BenchChild): URL {
  return new URL(`${OUT}/${name}.js`, `file://${PROJECT_ROOT}`);
}
