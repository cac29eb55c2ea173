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

/**
 * How much lower than the process the parse worker runs (niceness is -20 … 19, higher yields).
 * Three, not ten: the kernel weighs a thread three steps down at about half the main thread, so
 * the main thread still goes first, but ten steps down also put the worker behind every other
 * process of the host. Beside two busy processes on two cores, a bot's first poll of the long-items
 * benchmark took 30 s at ten against 7.7 s at three, and 6.2 s of CPU against 5.0 (a thread
 * starved in short slices works slower, and a longer cycle costs the main thread more). /latest
 * during the cold cycle, quiet machine, three runs each: p99 38-64 ms at three, 24-53 ms at ten.
 */
export const WORKER_NICENESS = 3;

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
