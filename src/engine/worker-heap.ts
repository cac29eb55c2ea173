import { setFlagsFromString } from 'node:v8';

/**
 * The parse worker's young generation, sized apart from the main thread's.
 *
 * npm start runs node with `--max-semi-space-size=2` to keep the main thread's heap small. V8
 * reads that flag whenever it configures an isolate's heap, and it wins over a worker's
 * resourceLimits: under it the worker scavenged every 2 MiB, some 570 times over the 505
 * documents of the long-items benchmark. The worker allocates fast (every document is parsed,
 * folded and judged there) and keeps little, so a larger young generation collects the same
 * garbage in fewer, hardly longer scavenges. Judging those documents on one thread (8 alternated
 * runs each): semi-spaces of 2 MiB took a median 5.1 s of CPU, 4 MiB 4.0 s, 6 and 8 MiB 3.8 s;
 * scavenge pauses 615–742 ms, 375–419 ms, and 284–293 ms at 8. Two 4 MiB semi-spaces take the
 * most of that for the least memory: the bot's peak grew by a few MiB, 8 MiB ones by about 15.
 */
export const WORKER_YOUNG_GENERATION_MB = 12; // on Node 20, V8 gives a third to each semi-space

/**
 * Lets isolates made from now on (workers) size their young generation from their own
 * resourceLimits. The main thread's heap was configured when the process started and keeps its
 * flag's size (test/worker-heap.test.ts holds both on the Node that runs the tests).
 */
export function letWorkersSizeTheirYoungGeneration(): void {
  setFlagsFromString('--max-semi-space-size=0');
}
