import { afterEach } from 'vitest';
import { fetchFeed, type FetchOptions } from '../../src/engine/fetch.ts';
import { startHttpServer, type Handler, type TestServer } from './http-server.ts';

/**
 * A local server per test, closed after it, and a fetch against it. The default timeout is far
 * above any local answer, so a busy machine never turns another outcome into "timed out"; tests
 * of the timeout itself pass a short one (SHORT_TIMEOUT_MS) against a server that never finishes.
 */
export const SHORT_TIMEOUT_MS = 1_000;

export function feedServerPerTest() {
  let current: TestServer | undefined;
  afterEach(async () => {
    await current?.close();
    current = undefined;
  });
  const start = async (handler: Handler): Promise<TestServer> => {
    current = await startHttpServer(handler);
    return current;
  };
  return {
    get server(): TestServer | undefined {
      return current;
    },
    start,
    async fetchFrom(handler: Handler, options: FetchOptions = {}, path = '/feed.xml') {
      const server = await start(handler);
      return fetchFeed(`${server.url}${path}`, { timeoutMs: 30_000, ...options });
    },
  };
}
