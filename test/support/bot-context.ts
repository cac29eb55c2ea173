import { afterEach } from 'vitest';
import type { BotContext } from '../../src/bot/context.ts';
import { createBotContext } from '../../src/bot/create-context.ts';
import { loadBotConfig } from '../../src/config.ts';
import { silentLogger } from '../../src/log.ts';
import { tempSqliteStore } from './store.ts';

/** A real bot context over a fresh SQLite file per call, all removed after each test. */
export function botContextPerTest(now: Date, baseEnv: Record<string, string>): (env?: Record<string, string>) => Promise<BotContext> {
  const cleanups: Array<() => Promise<void>> = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0)) await cleanup();
  });
  return async (env = {}) => {
    const temp = await tempSqliteStore();
    cleanups.push(temp.cleanup);
    const config = loadBotConfig({ ...baseEnv, KEYV_URL: temp.url, ...env });
    return createBotContext({ config, keyv: temp.keyv, logger: silentLogger, clock: () => now });
  };
}
