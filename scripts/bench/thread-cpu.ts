/**
 * CPU time per thread of this process, from /proc/self/task (Linux): what `process.cpuUsage()`
 * adds up, split into the main thread, the parse worker and the rest (V8's background compiler
 * and garbage-collector threads, libuv's pool). A JavaScript profile shows only the first two.
 */
import { readdirSync, readFileSync } from 'node:fs';

export interface ThreadCpu {
  mainMs: number;
  /** The parse worker's thread: it runs at a lower priority than the rest (thread-priority.ts). */
  workerMs: number;
  /** Every other thread: V8's compiler and garbage collector working beside the two, libuv's pool. */
  otherMs: number;
}

interface Task {
  cpuMs: number;
  nice: number;
}

/** Clock ticks per second of /proc's times (USER_HZ, 100 on Linux). */
const TICKS_PER_SECOND = 100;

/** Each thread's CPU so far and its niceness; undefined where /proc/self/task is not there. */
export function threadTimes(): Map<string, Task> | undefined {
  let tids: string[];
  try {
    tids = readdirSync('/proc/self/task');
  } catch {
    return undefined;
  }
  const tasks = new Map<string, Task>();
  for (const tid of tids) {
    try {
      const stat = readFileSync(`/proc/self/task/${tid}/stat`, 'utf8');
      // Fields after the command name (which may hold spaces): state is the first; utime, stime 12th and 13th; nice 17th.
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      tasks.set(tid, { cpuMs: ((Number(fields[11]) + Number(fields[12])) * 1000) / TICKS_PER_SECOND, nice: Number(fields[16]) });
    } catch {
      // The thread ended between the listing and the read.
    }
  }
  return tasks;
}

/** CPU each kind of thread spent between two snapshots (threads that ended meanwhile are not counted). */
export function threadCpuBetween(before: Map<string, Task> | undefined, after: Map<string, Task> | undefined): ThreadCpu | undefined {
  const main = after?.get(String(process.pid));
  if (!before || !after || !main) return undefined;
  const split: ThreadCpu = { mainMs: 0, workerMs: 0, otherMs: 0 };
  for (const [tid, task] of after) {
    const spent = task.cpuMs - (before.get(tid)?.cpuMs ?? 0);
    if (tid === String(process.pid)) split.mainMs += spent;
    else if (task.nice > main.nice) split.workerMs += spent;
    else split.otherMs += spent;
  }
  return split;
}
