import cron from 'node-cron';
import type { Logger } from '../log.ts';

export interface Scheduler {
  /** Runs a cycle now unless one is already running (then waits for that one). */
  runNow(): Promise<void>;
  /** Stops the schedule and waits for the cycle in flight. */
  stop(): Promise<void>;
}

/**
 * Runs `cycle` on the cron schedule, never two at once: node-cron's noOverlap covers its own
 * ticks, and the in-flight promise also covers the immediate first run and manual runs.
 */
export function startScheduler(expression: string, cycle: () => Promise<void>, logger: Logger): Scheduler {
  let running: Promise<void> | undefined;
  const tick = (): Promise<void> => {
    if (running) {
      logger.debug('previous cycle still running; skipping this tick');
      return running;
    }
    running = cycle()
      .catch((error: unknown) => logger.error('cycle failed', { error: error instanceof Error ? error.message : String(error) }))
      .finally(() => {
        running = undefined;
      });
    return running;
  };
  const task = cron.schedule(expression, () => tick(), { noOverlap: true, name: 'poll' });
  return {
    runNow: tick,
    async stop() {
      await task.stop();
      await task.destroy();
      await running;
    },
  };
}
