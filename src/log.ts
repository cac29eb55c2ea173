export type Level = 'debug' | 'info' | 'warn' | 'error';
const ORDER: Record<Level, number> = { debug: 10, info: 20, warn: 30, error: 40 };

export interface Logger {
  debug(message: string, context?: Record<string, unknown>): void;
  info(message: string, context?: Record<string, unknown>): void;
  warn(message: string, context?: Record<string, unknown>): void;
  error(message: string, context?: Record<string, unknown>): void;
}

export interface LoggerOptions {
  level?: Level;
  /** Where lines go; stderr by default so stdout stays for console-mode output. */
  write?: (line: string) => void;
  /** Values that must never appear in a log line (the Discord token). */
  secrets?: Array<string | undefined>;
  clock?: () => Date;
}

function show(value: unknown): string {
  if (value instanceof Error) return JSON.stringify(value.message);
  if (typeof value === 'string') return /^[\w./:@-]*$/.test(value) && value !== '' ? value : JSON.stringify(value);
  return JSON.stringify(value) ?? String(value);
}

/** Plain `time level message key=value` lines, with secrets masked wherever they appear. */
export function createLogger(options: LoggerOptions = {}): Logger {
  const threshold = ORDER[options.level ?? 'info'];
  const write = options.write ?? ((line: string) => process.stderr.write(`${line}\n`));
  const secrets = (options.secrets ?? []).filter((s): s is string => typeof s === 'string' && s.length >= 6);
  const clock = options.clock ?? (() => new Date());
  const log = (level: Level) => (message: string, context: Record<string, unknown> = {}) => {
    if (ORDER[level] < threshold) return;
    const fields = Object.entries(context)
      .filter(([, v]) => v !== undefined)
      .map(([k, v]) => `${k}=${show(v)}`);
    let line = [clock().toISOString(), level.toUpperCase().padEnd(5), message, ...fields].join(' ');
    for (const secret of secrets) line = line.split(secret).join('[redacted]');
    write(line);
  };
  return { debug: log('debug'), info: log('info'), warn: log('warn'), error: log('error') };
}

export const silentLogger: Logger = { debug() {}, info() {}, warn() {}, error() {} };
