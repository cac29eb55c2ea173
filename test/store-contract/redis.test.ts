// The store contract on a real Redis: REDIS_URL when set, else a private redis-server for this
// file, else skipped with a visible note (test/support/redis.ts). Each test works in namespaces
// of its own, so a shared server's other data is never touched.
import type Keyv from 'keyv';
import { silentLogger } from '../../src/log.ts';
import { openKeyv } from '../../src/store/open.ts';
import { describeWithRedis } from '../support/redis.ts';
import { storeContract } from './contract.ts';

describeWithRedis('store contract: Redis', (redis) => {
  storeContract(async () => {
    const target = redis();
    const namespaces = new Map<string, string>();
    const opened: Keyv[] = [];
    return {
      async open(label = 'alita') {
        const namespace = namespaces.get(label) ?? target.namespace(label);
        namespaces.set(label, namespace);
        const keyv = await openKeyv(target.url, silentLogger, namespace);
        opened.push(keyv);
        return keyv;
      },
      async cleanup() {
        // The namespaces' keys are removed after the suite (or go with the private server).
        for (const keyv of opened) await keyv.disconnect().catch(() => undefined);
      },
    };
  });
});
