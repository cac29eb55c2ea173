/** What the kernel says about a benchmarked process: its memory from /proc/PID/status. */
import { readFileSync } from 'node:fs';
import { scriptCommand } from '../../test/support/spawn.ts';

/** Resident set now, its high-water mark (bytes) and the thread count. */
export function procStatus(pid: number): { rss: number; hwm: number; threads: number } {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (field: string) => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? NaN) * 1024;
  return { rss: kb('VmRSS'), hwm: kb('VmHWM'), threads: Number(/^Threads:\s+(\d+)/m.exec(status)?.[1] ?? NaN) };
}

/**
 * Samples a process's RSS every 10 ms; `stop()` ends it and gives the peak: the highest sample,
 * or the kernel's high-water mark when that is higher (a spike between two samples).
 */
export function sampleRss(pid: number): { stop(): number } {
  let peak = 0;
  const sampler = setInterval(() => {
    try {
      peak = Math.max(peak, procStatus(pid).rss);
    } catch {
      // Gone: the figure is what was sampled.
    }
  }, 10);
  return {
    stop() {
      clearInterval(sampler);
      try {
        return Math.max(peak, procStatus(pid).hwm);
      } catch {
        return peak;
      }
    },
  };
}

/**
 * The V8 heap flags this process runs with (npm run bench passes npm start's): the children that
 * run a cold cycle or the naive loop get the same, so each is measured as npm start would run it.
 */
export function heapFlags(): string[] {
  return process.execArgv.filter((a) => a.startsWith('--max-') || a.startsWith('--heap-growing-percent'));
}

/** What npm start sets in the bot's environment (MALLOC_ARENA_MAX), read from package.json. */
export function npmStartEnv(): Record<string, string> {
  return scriptCommand('start').env;
}

/**
 * This process's environment with npm start's, for the same children as heapFlags: the cold
 * cycles and the naive loop alike.
 */
export function startEnv(): NodeJS.ProcessEnv {
  return { ...process.env, ...npmStartEnv() };
}
