import { z } from 'zod';
import { DEFAULT_KEYV_URL } from './store/open.ts';

/** A wrong setting: the bot stops with this one line, which names the key. */
export class ConfigError extends Error {}

const int = (min: number, max: number) => z.coerce.number().int().min(min).max(max);

const schema = z.object({
  KEYV_URL: z.string().regex(/^(sqlite|redis|rediss):\/\/.+/, 'must look like sqlite://path/to/file.sqlite or redis://host:6379').default(DEFAULT_KEYV_URL),
  BACKFILL: int(0, 100).default(0),
  FETCH_TIMEOUT_MS: int(100, 120_000).default(15_000),
  FETCH_MAX_BYTES: int(1024, 100 * 1024 * 1024).default(5 * 1024 * 1024),
});

export type EngineConfig = z.infer<typeof schema>;

/** Reads the engine's settings from `env`; blank values count as unset. */
export function loadEngineConfig(env: Record<string, string | undefined> = process.env): EngineConfig {
  const present = Object.fromEntries(Object.entries(env).filter(([, value]) => value !== undefined && value.trim() !== ''));
  const result = schema.safeParse(present);
  if (result.success) return result.data;
  const issue = result.error.issues[0]!;
  const key = String(issue.path[0]);
  throw new ConfigError(`${key}: ${issue.message} (got "${env[key]}")`);
}
