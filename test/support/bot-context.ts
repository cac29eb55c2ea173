import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach } from 'vitest';
import type { BotContext } from '../../src/bot/context.ts';
import { createBotContext } from '../../src/bot/create-context.ts';
import { loadBotConfig } from '../../src/config.ts';
import { silentLogger } from '../../src/log.ts';
import { openStores } from '../../src/store/sql/index.ts';

/**
 * A real bot context over a fresh SQLite database per call (the same store the bot runs on, so
 * commands are tested against real per-server scoping, not a fake), closed and removed after
 * each test. `env` overrides the base settings, e.g. a small MAX_FEEDS_PER_SERVER.
 */
export function botContextPerTest(now: Date, baseEnv: Record<string, string>): (env?: Record<string, string>) => Promise<BotContext> {
  const cleanups: Array<() => Promise<void>> = [];
  afterEach(async () => {
    // Newest first: a store is closed before its folder goes.
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });
  return async (env = {}) => {
    const dir = mkdtempSync(join(tmpdir(), 'alita-commands-'));
    cleanups.push(async () => rmSync(dir, { recursive: true, force: true }));
    const url = `sqlite://${join(dir, 'bot.sqlite')}`;
    const stores = await openStores(url, silentLogger);
    cleanups.push(() => stores.close());
    const config = loadBotConfig({ ...baseEnv, DATABASE_URL: url, ...env });
    return createBotContext({ config, stores, logger: silentLogger, clock: () => now });
  };
}
