/**
 * Child process of profile.ts, started with --cpu-prof: one cold cycle of the bench bot (the
 * parse worker npm start runs, a fresh SQLite store) over the feeds the parent sends, then tells
 * the parent when the cycle began and ended on the monotonic clock the profiles use, and exits
 * (node writes each thread's profile as the thread ends).
 *
 * With `traceCompiles` (started without --cpu-prof, with --no-concurrent-recompilation), V8
 * traces its optimising compiler to stdout during the cycle only (compile-trace.ts reads it), and
 * the reply says the cycle's CPU.
 */
import { setFlagsFromString } from 'node:v8';
import { createBenchBot, tempDir } from './bench-bot.ts';

interface Request {
  feeds: string[];
  traceCompiles?: boolean;
}

/** V8's trace flags are read as each compile happens (the worker's too): on for the cycle alone. */
function traceCompiles(on: boolean): void {
  for (const flag of ['trace-opt', 'trace-deopt']) setFlagsFromString(`--${on ? '' : 'no-'}${flag}`);
}

const micros = () => Number(process.hrtime.bigint() / 1000n);

process.once('message', (request: Request) => {
  void (async () => {
    const dir = tempDir('alita-profile-store-');
    try {
      const bot = await createBenchBot({ feeds: request.feeds, databaseUrl: dir.sqliteUrl() });
      if (request.traceCompiles) traceCompiles(true);
      const cpu = process.cpuUsage();
      const startUs = micros();
      const result = await bot.cycle();
      const endUs = micros();
      const { user, system } = process.cpuUsage(cpu);
      if (request.traceCompiles) traceCompiles(false);
      // Closing ends the worker thread, which writes its profile.
      await bot.close();
      process.send?.({ ok: true, startUs, endUs, cpuMs: (user + system) / 1000, feeds: result.feeds, failed: result.failed });
    } catch (error) {
      process.send?.({ ok: false, error: error instanceof Error ? (error.stack ?? error.message) : String(error) });
    } finally {
      dir.remove();
      process.disconnect?.();
      // Keep-alive sockets would hold the loop open; exiting still writes the main thread's profile.
      setTimeout(() => process.exit(0), 50);
    }
  })();
});
