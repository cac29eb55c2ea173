import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import Keyv from 'keyv';
import KeyvSqlite from '@keyv/sqlite';

export const DEFAULT_KEYV_URL = 'sqlite://alita-army.sqlite';

export interface StoreLogger {
  error(message: string, context?: Record<string, unknown>): void;
}

/** `sqlite://relative/or/absolute/path` → the file path it names. */
export function sqlitePath(url: string): string {
  const path = url.replace(/^sqlite:\/\//, '');
  if (!path) throw new Error(`KEYV_URL "${url}" names no file`);
  return resolve(path);
}

async function adapterFor(url: string): Promise<ConstructorParameters<typeof Keyv>[0]> {
  if (url.startsWith('sqlite://')) {
    const file = sqlitePath(url);
    mkdirSync(dirname(file), { recursive: true });
    // busyTimeout: a second process (or a backup tool) holding the file briefly is not an outage.
    return new KeyvSqlite({ uri: `sqlite://${file}`, busyTimeout: 5000 });
  }
  if (url.startsWith('redis://') || url.startsWith('rediss://')) {
    // Loaded only when asked for, so SQLite users need no Redis client.
    const moduleName = '@keyv/redis';
    const { default: KeyvRedis } = (await import(moduleName)) as { default: new (url: string) => never };
    return new KeyvRedis(url);
  }
  throw new Error(`KEYV_URL "${url}" is not supported (use sqlite://path or redis://host:port)`);
}

/**
 * Opens the Keyv store the bot keeps its memory in. Errors throw (`throwOnErrors`) instead of
 * reading as "missing": an unreadable store must never make an old item look new.
 */
export async function openKeyv(url: string, logger: StoreLogger, namespace = 'alita'): Promise<Keyv> {
  const keyv = new Keyv({ store: await adapterFor(url), namespace, throwOnErrors: true });
  keyv.on('error', (error: unknown) => logger.error('store error', { error: error instanceof Error ? error.message : String(error) }));
  return keyv;
}
