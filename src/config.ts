import { existsSync } from 'node:fs';
import { isIP } from 'node:net';
import cron from 'node-cron';
import { z } from 'zod';

/** The embedded default: one SQLite file in the working folder. */
export const DEFAULT_DATABASE_URL = 'sqlite://alita-army.sqlite';

/** A wrong setting: the bot stops with this one line, which names the key. */
export class ConfigError extends Error {}

const int = (min: number, max: number) => z.coerce.number().int().min(min).max(max);
const snowflake = z.string().regex(/^\d{15,25}$/, 'must be a Discord id (digits; enable Developer Mode and use "Copy ID")');
const bool = z.enum(['true', 'false', '1', '0', 'yes', 'no']).transform((v) => ['true', '1', 'yes'].includes(v));

const databaseUrl = z
  .string()
  .refine((v) => !/^rediss?:\/\//.test(v), 'Redis is no longer supported: use postgres://user:password@host/db for several instances, or sqlite://file for one')
  .refine((v) => /^(sqlite:\/\/.+|postgres(ql)?:\/\/.+)/.test(v), 'must look like sqlite://path/to/file.sqlite or postgres://user:password@host:5432/db');

const engineKeys = {
  DATABASE_URL: databaseUrl.default(DEFAULT_DATABASE_URL),
  BACKFILL: int(0, 100).default(0),
  FETCH_TIMEOUT_MS: int(100, 120_000).default(15_000),
  FETCH_MAX_BYTES: int(1024, 100 * 1024 * 1024).default(5 * 1024 * 1024),
  MAX_ITEMS_PER_FEED: int(10, 10_000).default(500),
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
  LOG_FORMAT: z.enum(['text', 'json']).default('text'),
  // Off unless set; 0 picks a free port (tests), logged at start.
  HEALTH_PORT: int(0, 65_535).optional(),
  HEALTH_HOST: z.string().refine((v) => isIP(v) !== 0 || /^[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*$/i.test(v), 'must be an IP address (127.0.0.1, 0.0.0.0, ::) or a host name').default('127.0.0.1'),
  MAX_FEEDS_PER_SERVER: int(1, 1000).default(25),
  MAX_QUOTES: int(1, 100_000).default(1000),
  MAX_ANNOUNCEMENTS_PER_POLL: int(1, 50).default(5),
});

export type EngineConfig = z.infer<typeof engineSchema>;
export type BotConfig = z.infer<typeof botSchema>;

/** KEYV_URL is DATABASE_URL's old name, still accepted; DATABASE_URL wins when both are set. */
function withDatabaseUrl(env: Record<string, string | undefined>): Record<string, string | undefined> {
  const keyv = env.KEYV_URL?.trim();
  return env.DATABASE_URL?.trim() || !keyv ? env : { ...env, DATABASE_URL: keyv };
}

/** The setting the database URL is read from, for messages: KEYV_URL when only that old name is set. */
export function databaseSetting(env: Record<string, string | undefined> = process.env): 'DATABASE_URL' | 'KEYV_URL' {
  return !env.DATABASE_URL?.trim() && env.KEYV_URL?.trim() ? 'KEYV_URL' : 'DATABASE_URL';
}

/** A line for the log at start when both names are set and disagree. */
export function databaseUrlWarning(env: Record<string, string | undefined> = process.env): string | undefined {
  const [database, keyv] = [env.DATABASE_URL?.trim(), env.KEYV_URL?.trim()];
  return database && keyv && database !== keyv ? 'both DATABASE_URL and KEYV_URL (its old name) are set and differ: using DATABASE_URL' : undefined;
}

function parse<T extends z.ZodType>(schema: T, given: Record<string, string | undefined>): z.infer<T> {
  const env = withDatabaseUrl(given);
  const present = Object.fromEntries(Object.entries(env).filter(([, value]) => value !== undefined && value.trim() !== ''));
  const result = schema.safeParse(present);
  if (result.success) return result.data;
  const issue = result.error.issues[0]!;
  const key = String(issue.path[0]);
  const named = key === 'DATABASE_URL' ? databaseSetting(given) : key;
  // Never echo a token back, even a wrong one, nor a database password.
  const shown = key === 'DISCORD_TOKEN' ? '' : ` (got "${key === 'DATABASE_URL' ? withoutPassword(String(env[key])) : env[key]}")`;
  throw new ConfigError(`${named}: ${issue.message}${shown}`);
}

/** A database URL as it may be shown: the password replaced by ***. */
export function withoutPassword(url: string): string {
  return url.replace(/^([a-z]+:\/\/[^:/@]*:)[^@/]*@/i, '$1***@');
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
