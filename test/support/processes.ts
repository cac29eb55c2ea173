/** The process tree as /proc shows it: for tests that check a command leaves nothing behind. */
import { readdirSync, readFileSync } from 'node:fs';

/** The processes whose parent is `pid` (from /proc, as `ps --ppid` reads it). */
export function children(pid: number): number[] {
  return readdirSync('/proc')
    .filter((name) => /^\d+$/.test(name))
    .filter((name) => {
      try {
        return Number(readFileSync(`/proc/${name}/stat`, 'utf8').replace(/^.*\) /, '').split(' ')[1]) === pid;
      } catch {
        return false;
      }
    })
    .map(Number);
}

export function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Waits up to `timeoutMs` for `pid` to be gone; true when it is. */
export async function gone(pid: number, timeoutMs: number): Promise<boolean> {
  const started = Date.now();
  while (alive(pid) && Date.now() - started < timeoutMs) await new Promise((resolve) => setTimeout(resolve, 50));
  return !alive(pid);
}

/** A process's command line and environment, as the kernel started it. */
export function processStart(pid: number): { argv: string[]; env: Record<string, string> } {
  const split = (file: string) => readFileSync(`/proc/${pid}/${file}`, 'utf8').split('\0').filter(Boolean);
  return { argv: split('cmdline'), env: Object.fromEntries(split('environ').map((entry) => [entry.slice(0, entry.indexOf('=')), entry.slice(entry.indexOf('=') + 1)])) };
}

/** SIGKILLs `pid` and everything below it that is still there (a failing test's leftovers). */
export function killTree(pid: number): void {
  for (const child of children(pid)) killTree(child);
  if (alive(pid)) process.kill(pid, 'SIGKILL');
}
