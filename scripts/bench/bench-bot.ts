/**
 * The bot as the benchmarks run it: a temporary SQLite store (openStores), a context from
 * createBotContext, and runCycle with a recording AnnouncePort — wired the way runBot wires
 * them (see `cycleDeps`). Also the small measuring helpers the benchmarks share.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BotContext } from '../../src/bot/context.ts';
import { createBotContext } from '../../src/bot/create-context.ts';
import { runCycle, type CycleResult } from '../../src/bot/cycle.ts';
import type { AnnouncePort } from '../../src/bot/delivery.ts';
import { loadBotConfig, type BotConfig } from '../../src/config.ts';
import { FetchLimiter } from '../../src/engine/fetch-limiter.ts';
import { ParsePool } from '../../src/engine/parse-pool.ts';
import { createLogger, type Logger } from '../../src/log.ts';
import { openStores, type Stores } from '../../src/store/sql/index.ts';
import { PROJECT_ROOT } from '../../test/support/spawn.ts';

/** Built by run.ts (npm run build) before any benchmark starts. */
const BUILT_WORKER = new URL('dist/parse-worker.js', `file://${PROJECT_ROOT}`);

/** A cron that never fires during a benchmark: cycles run only when asked. */
export const NEVER = '0 0 1 1 *';
export const BENCH_CHANNEL = 'bench';

export interface LogSink {
  logger: Logger;
  lines: string[];
  /** "feed failed" lines, the reason of each. */
  failures(): string[];
}

export function logSink(level: 'debug' | 'info' | 'warn' | 'error' = 'warn'): LogSink {
  const lines: string[] = [];
  return {
    logger: createLogger({ level, write: (line) => lines.push(line) }),
    lines,
    failures: () => lines.filter((l) => l.includes('feed failed')).map((l) => /reason=(.*)$/.exec(l)?.[1] ?? l),
  };
}

export interface TempDir {
  path: string;
  sqliteUrl(name?: string): string;
  remove(): void;
}

export function tempDir(prefix = 'alita-bench-'): TempDir {
  const path = mkdtempSync(join(tmpdir(), prefix));
  return {
    path,
    sqliteUrl: (name = 'bench.sqlite') => `sqlite://${join(path, name)}`,
    remove: () => rmSync(path, { recursive: true, force: true }),
  };
}

/** Records what delivery sends instead of posting it anywhere. */
export function recordingPort(): AnnouncePort & { sent: number } {
  const port = {
    sent: 0,
    async send() {
      port.sent++;
    },
  };
  return port;
}

export interface BenchBot {
  ctx: BotContext;
  stores: Stores;
  config: BotConfig;
  port: ReturnType<typeof recordingPort>;
  logs: LogSink;
  /** Documents the parse pool finished (parse → normalise → judge), since the start. */
  stats: { analyzed: number };
  /** One poll-and-deliver cycle, as the scheduler runs it. */
  cycle(): Promise<CycleResult>;
  close(): Promise<void>;
}

/**
 * The bot's cycle as runBot runs it (src/app/run.ts): one ParsePool and one FetchLimiter that
 * live as long as the bot, passed to every runCycle; console mode's defaultChannel. Keep in step
 * with runBot. (runBot's leader lease and crash points only gate and wrap the cycle; a single
 * instance is always the leader.)
 */
export async function createBenchBot(options: { feeds: string[]; databaseUrl: string; env?: Record<string, string> }): Promise<BenchBot> {
  const config = loadBotConfig({ FEEDS: options.feeds.join(','), DATABASE_URL: options.databaseUrl, POLL_CRON: NEVER, LOG_LEVEL: 'warn', ...options.env });
  const logs = logSink('warn');
  const stores = await openStores(config.DATABASE_URL, logs.logger);
  const ctx = createBotContext({ config, stores, logger: logs.logger });
  // The worker npm start runs (the build's dist/parse-worker.js), not the sources through tsx.
  // People too, as runBot passes them: the worker looks for quotations in on-topic items.
  const parsePool = new ParsePool({ topic: ctx.topic, people: ctx.people, workerFile: BUILT_WORKER });
  // As runBot's: started at once and ready before the first poll, while runBot logs in to Discord.
  await parsePool.warm();
  const limiter = new FetchLimiter({ concurrency: config.FETCH_CONCURRENCY, perHost: config.FETCH_PER_HOST, clock: ctx.clock, budget: parsePool.budget });
  const port = recordingPort();
  const stats = { analyzed: 0 };
  // Counted on the way back only: the pool's analyze is what runBot passes.
  const analyze: typeof parsePool.analyze = (text, context) => parsePool.analyze(text, context).finally(() => stats.analyzed++);
  return {
    ctx,
    stores,
    config,
    port,
    logs,
    stats,
    cycle: () => runCycle({ ctx, port, limiter, analyze, defaultChannel: BENCH_CHANNEL }),
    async close() {
      await parsePool.close();
      await stores.close();
    },
  };
}

export interface StoreCall {
  calls: number;
  /** Keys read or written (array arguments counted by length). */
  keys: number;
  /** Summed wall time of the calls. */
  ms: number;
}

/** Time in NewsStore / Outbox calls. The record step (recordPoll: one transaction per feed) runs one feed at a time, so its sum is wall time. */
export interface StoreProfile {
  byMethod: Record<string, StoreCall>;
  /** Sum over the record step's methods. */
  recordMs: number;
}

export const RECORD_METHODS = ['recordPoll', 'enqueue'];

/**
 * Wraps the store's methods to time them (a performance.now() pair per call; nothing else
 * changes). `calls(method)` counts calls since the start, live.
 */
export function profileStore(targets: Array<[object, string[]]>): { take(): StoreProfile; calls(method: string): number } {
  const live = new Map<string, number>();
  let byMethod: Record<string, StoreCall> = {};
  for (const [target, methods] of targets) {
    const obj = target as Record<string, (...args: unknown[]) => Promise<unknown>>;
    for (const method of methods) {
      const original = obj[method]!.bind(target);
      obj[method] = async (...args: unknown[]) => {
        const t0 = performance.now();
        try {
          return await original(...args);
        } finally {
          const call = (byMethod[method] ??= { calls: 0, keys: 0, ms: 0 });
          call.calls++;
          call.keys += Array.isArray(args[0]) ? args[0].length : 1;
          call.ms += performance.now() - t0;
          live.set(method, (live.get(method) ?? 0) + 1);
        }
      };
    }
  }
  return {
    calls: (method) => live.get(method) ?? 0,
    take() {
      const taken = byMethod;
      byMethod = {};
      return { byMethod: taken, recordMs: RECORD_METHODS.reduce((sum, m) => sum + (taken[m]?.ms ?? 0), 0) };
    },
  };
}

export interface Measure {
  wallMs: number;
  /** User + system CPU of the whole process (every thread), ms. */
  cpuMs: number;
  cpuUserMs: number;
  cpuSystemMs: number;
}

/** Wall and CPU time of `work` (CPU from process.cpuUsage, which covers worker threads too). */
export async function measure<T>(work: () => Promise<T>): Promise<{ value: T; measure: Measure }> {
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  const value = await work();
  const wallMs = performance.now() - t0;
  const cpu = process.cpuUsage(cpu0);
  return { value, measure: { wallMs, cpuMs: (cpu.user + cpu.system) / 1000, cpuUserMs: cpu.user / 1000, cpuSystemMs: cpu.system / 1000 } };
}

export interface LatencyStats {
  samples: number;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
  meanMs: number;
}

/** Nearest-rank percentile of an unsorted sample. */
export function percentile(values: number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1]!;
}

export function latencyStats(values: number[]): LatencyStats {
  return {
    samples: values.length,
    p50Ms: percentile(values, 50),
    p99Ms: percentile(values, 99),
    maxMs: values.length ? Math.max(...values) : Number.NaN,
    meanMs: values.length ? values.reduce((a, b) => a + b, 0) / values.length : Number.NaN,
  };
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
