/**
 * Child process of profile.ts, started with --cpu-prof: one cold cycle of the bench bot (the
 * parse worker npm start runs, a fresh SQLite store) over the feeds the parent sends, then tells
 * the parent when the cycle began and ended on the monotonic clock the profiles use, and exits
 * (node writes each thread's profile as the thread ends).
 */
import { createBenchBot, tempDir } from './bench-bot.ts';

interface Request {
  feeds: string[];
}

const micros = () => Number(process.hrtime.bigint() / 1000n);

process.once('message', (request: Request) => {
  void (async () => {
    const dir = tempDir('alita-profile-store-');
    try {
      const bot = await createBenchBot({ feeds: request.feeds, databaseUrl: dir.sqliteUrl() });
      const startUs = micros();
      const result = await bot.cycle();
      const endUs = micros();
      // Closing ends the worker thread, which writes its profile.
      await bot.close();
      process.send?.({ ok: true, startUs, endUs, feeds: result.feeds, failed: result.failed });
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
