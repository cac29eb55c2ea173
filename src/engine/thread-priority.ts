/**
 * The parse worker is the bot's background work; the main thread answers members, and a
 * `/latest` waits for it. When more threads are busy than the machine has cores, Linux shares
 * the cores out evenly: in the benchmark's cold cycle (two cores, the worker always busy) the
 * main thread's busiest stretches ran for about a third of their wall time, the rest waiting
 * for a core, and `/latest` waited with them. A worker at a lower priority lets the main thread
 * go first and still has every cycle the main thread leaves.
 */
import { readlinkSync } from 'node:fs';
import { getPriority, setPriority } from 'node:os';

/** How much lower than the process the parse worker runs (niceness is -20 … 19, higher yields). */
export const WORKER_NICENESS = 10;

const LOWEST = 19;

/**
 * Lowers the calling thread's priority by `by`, and says whether it could. Linux only: there
 * /proc/thread-self names the thread, and setpriority given a thread's id changes that thread
 * alone. Elsewhere (or without /proc) the thread keeps the process's priority.
 */
export function lowerThisThread(by = WORKER_NICENESS): boolean {
  try {
    const tid = Number(readlinkSync('/proc/thread-self').split('/').at(-1));
    if (!Number.isInteger(tid) || tid <= 0) return false;
    setPriority(tid, Math.min(LOWEST, getPriority(tid) + by));
    return true;
  } catch {
    return false;
  }
}
