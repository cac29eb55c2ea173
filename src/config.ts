import { existsSync } from 'node:fs';
import cron from 'node-cron';
import { z } from 'zod';
import { DEFAULT_KEYV_URL } from './store/open.ts';

/** A wrong setting: the bot stops with this one line, which names the key. */
export class ConfigError extends Error {}

const int = (min: number, max: number) => z.coerce.number().int().min(min).max(max);
const snowflake = z.string().regex(/^\d{15,25}$/, 'must be a Discord id (digits; enable Developer Mode and use "Copy ID")');
const bool = z.enum(['true', 'false', '1', '0', 'yes', 'no']).transform((v) => ['true', '1', 'yes'].includes(v));

const engineKeys = {
  KEYV_URL: z.string().regex(/^(sqlite|redis|rediss):\/\/.+/, 'must look like sqlite://path/to/file.sqlite or redis://host:6379').default(DEFAULT_KEYV_URL),
  BACKFILL: int(0, 100).default(0),
  FETCH_TIMEOUT_MS: int(100, 120_000).default(15_000),
  FETCH_MAX_BYTES: int(1024, 100 * 1024 * 1024).default(5 * 1024 * 1024),
};

const engineSchema = z.object(engineKeys);

const botSchema = z.object({
  ...engineKeys,
  // Presence only: Discord-compatible servers issue tokens of other shapes.
  DISCORD_TOKEN: z.string().optional(),
  DISCORD_CLIENT_ID: snowflake.optional(),
  DISCORD_GUILD_ID: snowflake.optional(),
  ANNOUNCE_CHANNEL_ID: snowflake.optional(),
  PING_ROLE_ID: snowflake.optional(),
  LOG_CHANNEL_ID: snowflake.optional(),
  FEEDS: z
    .string()
    .transform((v) => v.split(',').map((s) => s.trim()).filter(Boolean))
    .optional(),
  POLL_CRON: z.string().refine((v) => cron.validate(v), 'is not a cron expression (5 fields, or 6 with seconds first)').default('* * * * *'),
  ALLOW_PRIVATE_FEEDS: bool.default(false),
  FETCH_CONCURRENCY: int(1, 256).default(16),
  FETCH_PER_HOST: int(1, 64).default(2),
  DISCORD_API_URL: z.url({ protocol: /^https?$/, error: 'must be an http(s) URL such as https://discord.com/api' }).optional(),
  LOG_LEVEL: z.enum(['debug', 'info', 'warn', 'error']).default('info'),
});

export type EngineConfig = z.infer<typeof engineSchema>;
export type BotConfig = z.infer<typeof botSchema>;

function parse<T extends z.ZodType>(schema: T, env: Record<string, string | undefined>): z.infer<T> {
  const present = Object.fromEntries(Object.entries(env).filter(([, value]) => value !== undefined && value.trim() !== ''));
  const result = schema.safeParse(present);
  if (result.success) return result.data;
  const issue = result.error.issues[0]!;
  const key = String(issue.path[0]);
  // Never echo a token back, even a wrong one.
  const shown = key === 'DISCORD_TOKEN' ? '' : ` (got "${env[key]}")`;
  throw new ConfigError(`${key}: ${issue.message}${shown}`);
}

/** The settings the feed engine needs (preview). Blank values count as unset. */
export function loadEngineConfig(env: Record<string, string | undefined> = process.env): EngineConfig {
  return parse(engineSchema, env);
}

/** All of the bot's settings; call once at start. */
export function loadBotConfig(env: Record<string, string | undefined> = process.env): BotConfig {
  return parse(botSchema, env);
}

/** Reads `.env` into process.env (never overriding what is already set), when the file exists. */
export function loadDotEnv(path = '.env'): void {
  if (existsSync(path)) process.loadEnvFile(path);
}
