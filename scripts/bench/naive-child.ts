/**
 * Child process of poll-cycle.ts: the naive loop in a process of its own, started fresh like the
 * bot's (nothing of rss-parser compiled yet, as a script run from the shell would be), and kept
 * for the loop's later parts:
 *   parent → { urls }     child → { run } | { error }   (as often as the parent asks)
 *   parent → { close: true }    child exits
 */
import { measure } from './bench-bot.ts';
import { naiveLoop } from './naive-loop.ts';

type Request = { urls: string[] } | { close: true };

process.on('message', (request: Request) => {
  void (async () => {
    if ('close' in request) {
      process.disconnect?.();
      // Keep-alive sockets would hold the loop open.
      setTimeout(() => process.exit(0), 50);
      return;
    }
    try {
      const { value, measure: m } = await measure(() => naiveLoop(request.urls));
      process.send?.({ run: { ...m, ...value } });
    } catch (error) {
      process.send?.({ error: error instanceof Error ? (error.stack ?? error.message) : String(error) });
    }
  })();
});
