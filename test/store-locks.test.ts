/**
 * inProcess (src/store/sql/locks.ts) runs one piece of work at a time per name, in order, and
 * gives the event loop a turn before each: SQLite transactions run synchronously, and a queue of
 * them must not hold an interaction until the last one is done.
 */
import { describe, expect, it } from 'vitest';
import type { Database } from '../src/store/sql/database.ts';
import { inProcess } from '../src/store/sql/locks.ts';

describe('inProcess', () => {
  it('runs queued work one at a time, in order, with a turn of the event loop before each', async () => {
    const database = { kind: 'sqlite' } as unknown as Database;
    const events: string[] = [];
    let running = 0;
    const work = (name: string) => async () => {
      running++;
      expect(running).toBe(1);
      events.push(`start ${name}`);
      // What arrives while the first one runs (an interaction) is handled before the next starts.
      if (name === 'a') setImmediate(() => events.push('turn'));
      await Promise.resolve();
      events.push(`end ${name}`);
      running--;
      return name;
    };
    const done = Promise.all(['a', 'b', 'c'].map((name) => inProcess(database, 'record', work(name))));
    expect(await done).toEqual(['a', 'b', 'c']);
    expect(events).toEqual(['start a', 'end a', 'turn', 'start b', 'end b', 'start c', 'end c']);
  });

  it('goes on with the next after one that fails', async () => {
    const database = { kind: 'sqlite' } as unknown as Database;
    const failed = inProcess(database, 'record', async () => {
      throw new Error('store down');
    });
    const next = inProcess(database, 'record', async () => 'next');
    await expect(failed).rejects.toThrow('store down');
    expect(await next).toBe('next');
  });
});
