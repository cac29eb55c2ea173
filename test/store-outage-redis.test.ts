// Redis stopped for a while under a running bot, then started again on the same port with its
// data (as a Redis with persistence restarts). Needs redis-server on PATH: a server given by
// REDIS_URL cannot be stopped from here, so without one this is skipped with a visible note.
import { describeWithRedis } from './support/redis.ts';
import { storeOutageScenarios } from './store-outage.shared.ts';

describeWithRedis(
  'store outage: Redis stopped',
  (redis) => {
    // A database of its own per test (redis://host:port/N), so tests never see each other's keys.
    let db = 0;
    storeOutageScenarios(() => {
      const server = redis().server!;
      return {
        freshUrl: () => `${server.url}/${++db % 16}`,
        begin: () => server.stop(),
        end: () => server.start(),
        failure: /offline|ECONNREFUSED|Socket closed|connection/i,
        recovered: /INFO  store reconnected/,
      };
    });
  },
  { ownServer: true },
);
