/** Child process entry of `spawnFeedServers`: runs the loopback feed servers and answers over IPC. */
import { startFeedServers, type FeedServers, type FeedServerSpec } from './feed-servers.ts';

let servers: FeedServers | undefined;

interface Request {
  id: number;
  op: 'start' | 'stats' | 'reset' | 'close';
  arg?: unknown;
}

async function handle(request: Request): Promise<unknown> {
  switch (request.op) {
    case 'start': {
      servers = await startFeedServers(request.arg as FeedServerSpec);
      const { urls, documentBytes, items, kinds, hosts } = servers;
      return { urls, documentBytes, items, kinds, hosts };
    }
    case 'stats':
      return servers?.stats();
    case 'reset':
      return servers?.reset();
    case 'close':
      await servers?.close();
      servers = undefined;
      return undefined;
  }
}

process.on('message', (request: Request) => {
  handle(request).then(
    (value) => process.send?.({ id: request.id, ok: true, value: value ?? null }),
    (error: unknown) => process.send?.({ id: request.id, ok: false, error: error instanceof Error ? error.message : String(error) }),
  );
});
// The parent went away: nothing left to serve.
process.on('disconnect', () => {
  void (servers?.close() ?? Promise.resolve()).finally(() => process.exit(0));
});
