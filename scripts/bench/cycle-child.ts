/**
 * Child process of poll-cycle.ts: a bench bot with a fresh store in a fresh process, so its cold
 * cycle is the first thing this process's code runs, as a bot's first poll after it starts.
 * The parent resets the feed servers before each cycle and reads their counts after it:
 *   parent → { feeds }           child → { ready: true }
 *   parent → { cycle: true }     child → { run }     (as often as the parent asks)
 *   parent → { close: true }     child exits
 */
import { getHeapStatistics } from 'node:v8';
import { createBenchBot, measure, profileStore, RECORD_METHODS, tempDir } from './bench-bot.ts';
import type { ChildCycleRun } from './poll-cycle.ts';
import { threadCpuBetween, threadTimes } from './thread-cpu.ts';

type Request = { feeds: string[] } | { cycle: true } | { close: true };

const send = (message: unknown) => process.send?.(message);
const dir = tempDir();
let bot: Awaited<ReturnType<typeof createBenchBot>> | undefined;
let profile: ReturnType<typeof profileStore> | undefined;

async function cycle(): Promise<ChildCycleRun> {
  const running = bot!;
  const store = profile!;
  running.logs.lines.length = 0;
  const analyzed0 = running.stats.analyzed;
  const recorded0 = store.calls('recordPoll');
  let maxAwaitingRecord = 0;
  let peakHeapUsed = 0;
  const sampler = setInterval(() => {
    maxAwaitingRecord = Math.max(maxAwaitingRecord, running.stats.analyzed - analyzed0 - (store.calls('recordPoll') - recorded0));
    // V8's own count: process.memoryUsage() reads /proc each time, CPU that was counted as the bot's.
    peakHeapUsed = Math.max(peakHeapUsed, getHeapStatistics().used_heap_size);
  }, 20);
  const times = threadTimes();
  const { value, measure: m } = await measure(() => running.cycle()).finally(() => clearInterval(sampler));
  const threads = threadCpuBetween(times, threadTimes());
  const failures = running.logs.failures().slice(0, 5);
  return { ...m, ...(threads ? { threads } : {}), store: store.take(), maxAwaitingRecord, peakHeapUsed, feeds: value.feeds, failed: value.failed, skipped: (value as { skipped?: number }).skipped ?? 0, announced: value.announced, failures };
}

process.on('message', (request: Request) => {
  void (async () => {
    try {
      if ('feeds' in request) {
        bot = await createBenchBot({ feeds: request.feeds, databaseUrl: dir.sqliteUrl() });
        profile = profileStore([
          [bot.ctx.news, ['getFeedState', 'setFeedState', ...RECORD_METHODS.filter((m) => m !== 'enqueue')]],
          [bot.ctx.outbox, ['enqueue']],
        ]);
        send({ ready: true });
      } else if ('cycle' in request) {
        send({ run: await cycle() });
      } else {
        await bot?.close();
        dir.remove();
        process.disconnect?.();
        // Keep-alive sockets would hold the loop open.
        setTimeout(() => process.exit(0), 50);
      }
    } catch (error) {
      send({ error: error instanceof Error ? (error.stack ?? error.message) : String(error) });
    }
  })();
});
