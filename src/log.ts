/**
 * The bot's logger: `time LEVEL message key=value` lines, or one JSON object per line
 * (LOG_FORMAT=json) for a log collector. Kept by hand rather than pino: the one thing it must
 * guarantee, that the token never appears, is a value-level rule (a secret inside a message,
 * a context value or an error's message), which pino's path-based redaction does not give.
 */
export type Level = 'debug' | 'info' | 'warn' | 'error';
export type LogFormat = 'text' | 'json';
const ORDER: Record<Level, number> = { debug: 10, info: 20, warn: 30, error: 40 };

export interface Logger {
  debug(message: string, context?: Record<string, unknown>): void;
  info(message: string, context?: Record<string, unknown>): void;
  warn(message: string, context?: Record<string, unknown>): void;
  error(message: string, context?: Record<string, unknown>): void;
}

export interface LoggerOptions {
  level?: Level;
  /** `text` (default) or `json`: one object per line with time, level, msg and the context's fields. */
  format?: LogFormat;
  /** Where lines go; stderr by default so stdout stays for console-mode output. */
  write?: (line: string) => void;
  /** Values that must never appear in a log line (the Discord token). */
  secrets?: Array<string | undefined>;
  clock?: () => Date;
}

const REDACTED = '[redacted]';
const RESERVED = new Set(['time', 'level', 'msg']);

/**
 * A context value as JSON would hold it, every string in it with the secrets masked: an Error as
 * its message, a bigint as digits. Masking before serialising means no escaping can split a secret.
 */
function scrubbed(value: unknown, mask: (text: string) => string): unknown {
  return JSON.parse(
    JSON.stringify(value, (_key, v: unknown) => {
      if (v instanceof Error) return mask(v.message);
      if (typeof v === 'string') return mask(v);
      if (typeof v === 'bigint') return v.toString();
      return v;
    }) ?? 'null',
  );
}

function show(value: unknown): string {
  if (typeof value === 'string') return /^[\w./:@-]*$/.test(value) && value !== '' ? value : JSON.stringify(value);
  return JSON.stringify(value);
}

/** `text` with every secret replaced by [redacted]. */
export function maskSecrets(text: string, secrets: Array<string | undefined>): string {
  return secrets.filter((s): s is string => typeof s === 'string' && s.length >= 6).reduce((masked, secret) => masked.split(secret).join(REDACTED), text);
}

/** A logger whose lines never hold a secret, in either format. */
export function createLogger(options: LoggerOptions = {}): Logger {
  const threshold = ORDER[options.level ?? 'info'];
  const write = options.write ?? ((line: string) => process.stderr.write(`${line}\n`));
  const secrets = options.secrets ?? [];
  const mask = (text: string) => maskSecrets(text, secrets);
  const clock = options.clock ?? (() => new Date());
  const json = options.format === 'json';
  const log = (level: Level) => (message: string, context: Record<string, unknown> = {}) => {
    if (ORDER[level] < threshold) return;
    const fields = Object.entries(context).filter(([, v]) => v !== undefined).map(([k, v]) => [mask(k), scrubbed(v, mask)] as const);
    const time = clock().toISOString();
    const line = json
      ? // A context field called "time", "level" or "msg" is kept as "time_"…, never hiding the real ones.
        JSON.stringify(Object.fromEntries([['time', time], ['level', level], ['msg', mask(message)], ...fields.map(([k, v]) => [RESERVED.has(k) ? `${k}_` : k, v])]))
      : [time, level.toUpperCase().padEnd(5), mask(message), ...fields.map(([k, v]) => `${k}=${show(v)}`)].join(' ');
    // Belt and braces: whatever the formatting did, the finished line is masked again.
    write(mask(line));
  };
  return { debug: log('debug'), info: log('info'), warn: log('warn'), error: log('error') };
}

export const silentLogger: Logger = { debug() {}, info() {}, warn() {}, error() {} };
