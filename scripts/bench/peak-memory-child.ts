/**
 * Child process of benchmark 3: the bot as `npm start` runs it in console mode (`runBot`, no
 * Discord token) on a prepared store, one cold and one steady poll cycle, then it reports its
 * memory as one `RESULT {json}` line on stdout. Argument: a JSON file with { feeds, keyvUrl }.
 *
 * With `--probe` instead, it measures where memory goes, step by step, for the report's
 * diagnosis: one parse worker, one big document in it, the same document on the main thread.
 */
import { readFileSync } from 'node:fs';
import { PassThrough, Writable } from 'node:stream';
import { allCommands } from '../../src/bot/commands.ts';
import { runBot } from '../../src/bot/run.ts';
import { loadBotConfig } from '../../src/config.ts';
import { analyzeDocument } from '../../src/engine/analyze.ts';
import { ParsePool } from '../../src/engine/parse-pool.ts';
import { loadTopic } from '../../src/engine/topic.ts';
import { openKeyv } from '../../src/store/open.ts';
import { logSink, NEVER } from './bench-bot.ts';
import { feedDocument, loadLabelledItems } from './feed-content.ts';

export interface MemoryChildInput {
  feeds: string[];
  keyvUrl: string;
}

export interface MemoryPhase {
  name: string;
  wallMs: number;
  /** Highest RSS sampled (every 10 ms) during the phase, bytes. */
  peakRss: number;
  peakHeapUsed: number;
  /** RSS at the end of the phase. */
  endRss: number;
  /** process.memoryUsage() of the main thread when the peak RSS was sampled (heapTotal, external, arrayBuffers). */
  atPeak: { heapTotal: number; heapUsed: number; external: number; arrayBuffers: number; threads?: number };
  failedFeeds?: number;
}

export interface MemoryChildResult {
  /** process.resourceUsage().maxRSS at the end, bytes. */
  maxRss: number;
  /** RSS with everything imported, before the bot starts. */
  baselineRss: number;
  phases: MemoryPhase[];
}

/** Threads of this process (main, libuv pool, V8 helpers, worker threads), from /proc on Linux. */
function threadCount(): number | undefined {
  try {
    return Number(/^Threads:\s+(\d+)/m.exec(readFileSync('/proc/self/status', 'utf8'))?.[1]) || undefined;
  } catch {
    return undefined;
  }
}

export interface ProbeStep {
  step: string;
  startRss: number;
  /** Highest RSS sampled during the step, bytes. */
  peakRss: number;
  endRss: number;
}

/** RSS step by step: imports, a parse worker, a big document in it, then on the main thread. */
async function probe(bigBytes: number): Promise<ProbeStep[]> {
  const steps: ProbeStep[] = [];
  let peak = 0;
  const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage.rss())), 5);
  const step = async (name: string, work: () => Promise<unknown>) => {
    const startRss = process.memoryUsage.rss();
    peak = startRss;
    await work();
    peak = Math.max(peak, process.memoryUsage.rss());
    steps.push({ step: name, startRss, peakRss: peak, endRss: process.memoryUsage.rss() });
  };
  await step('everything imported (tsx, discord.js, the bot)', async () => undefined);
  const topic = loadTopic();
  const { items: labelled } = loadLabelledItems();
  const now = new Date();
  let small = '';
  let big = '';
  await step('two benchmark feeds generated (60 KB and the big one)', async () => {
    small = feedDocument({ index: 1, targetBytes: 60_000, labelled, now }).xml;
    big = feedDocument({ index: 2, targetBytes: bigBytes, labelled, now, contentBytes: 6000 }).xml;
  });
  const pool = new ParsePool({ topic, size: 1 });
  await step('one parse worker started, one 60 KB feed parsed in it', () => pool.analyze(small, { feed: 'small', now, topic }));
  await step(`one ${(bigBytes / 2 ** 20).toFixed(1)} MiB feed parsed in the worker`, () => pool.analyze(big, { feed: 'big', now, topic }));
  await pool.close();
  await step('the same big feed parsed on the main thread', () => analyzeDocument(big, { feed: 'big', now, topic }));
  clearInterval(sampler);
  return steps;
}

async function main(): Promise<void> {
  if (process.argv[2] === '--probe') {
    const steps = await probe(Number(process.argv[3] ?? 4_000_000));
    process.stdout.write(`RESULT ${JSON.stringify(steps)}\n`);
    process.exit(0);
  }
  const input = JSON.parse(readFileSync(process.argv[2]!, 'utf8')) as MemoryChildInput;
  const config = loadBotConfig({ FEEDS: input.feeds.join(','), KEYV_URL: input.keyvUrl, POLL_CRON: NEVER, LOG_LEVEL: 'info' });
  const logs = logSink('info');
  const baselineRss = process.memoryUsage.rss();
  let peakRss = 0;
  let peakHeap = 0;
  let atPeak: MemoryPhase['atPeak'] = { heapTotal: 0, heapUsed: 0, external: 0, arrayBuffers: 0 };
  const sample = () => {
    const usage = process.memoryUsage();
    peakHeap = Math.max(peakHeap, usage.heapUsed);
    if (usage.rss > peakRss) {
      peakRss = usage.rss;
      const threads = threadCount();
      atPeak = { heapTotal: usage.heapTotal, heapUsed: usage.heapUsed, external: usage.external, arrayBuffers: usage.arrayBuffers, ...(threads ? { threads } : {}) };
    }
  };
  const sampler = setInterval(sample, 10);
  const phases: MemoryPhase[] = [];
  const phase = async (name: string, work: () => Promise<void>) => {
    peakRss = 0;
    peakHeap = 0;
    sample();
    const before = logs.lines.length;
    const t0 = performance.now();
    await work();
    const finished = logs.lines.slice(before).find((l) => l.includes('poll finished'));
    sample();
    phases.push({
      name,
      wallMs: performance.now() - t0,
      peakRss,
      peakHeapUsed: peakHeap,
      atPeak,
      endRss: process.memoryUsage.rss(),
      ...(finished ? { failedFeeds: Number(/failed=(\d+)/.exec(finished)?.[1]) } : {}),
    });
  };

  const keyv = await openKeyv(config.KEYV_URL, logs.logger);
  const sink = new Writable({ write: (_chunk, _encoding, done) => done() });
  const input$ = new PassThrough();
  let bot: Awaited<ReturnType<typeof runBot>> | undefined;
  // runBot polls at once: the first phase is start-up plus the cold cycle.
  await phase('start + cold cycle', async () => {
    bot = await runBot({ config, keyv, logger: logs.logger, commands: allCommands, input: input$, output: sink });
    await bot.scheduler.runNow();
  });
  await phase('steady cycle', async () => {
    await bot!.scheduler.runNow();
  });
  clearInterval(sampler);
  await bot!.stop();
  input$.end();
  const result: MemoryChildResult = { maxRss: process.resourceUsage().maxRSS * 1024, baselineRss, phases };
  process.stdout.write(`RESULT ${JSON.stringify(result)}\n`);
  process.exit(0);
}

main().catch((error: unknown) => {
  process.stderr.write(`peak-memory child failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
