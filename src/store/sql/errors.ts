/** Errors of the SQL store: typed, with context for the log, and never a password in them. */

/** A store failure the caller can report as such (busy past the deadline, unreachable server…). */
export class StoreError extends Error {
  constructor(
    message: string,
    readonly context: Record<string, unknown> = {},
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'StoreError';
  }
}

/** The database was migrated by a newer bot: this one must not touch it. */
export class SchemaTooNewError extends StoreError {
  constructor(
    readonly databaseVersion: number,
    readonly codeVersion: number,
    /** The setting that named the database (DATABASE_URL, or KEYV_URL, its old name). */
    setting = 'DATABASE_URL',
  ) {
    super(
      `${setting}: the database is at schema version ${databaseVersion}, newer than this bot's ${codeVersion}; run a newer version of the bot or restore a backup`,
      { databaseVersion, codeVersion },
    );
    this.name = 'SchemaTooNewError';
  }
}

/** `postgres://user:secret@host:5432/db?x` → `postgres://user@host:5432/db`, for messages and logs. */
export function redactUrl(url: string): string {
  try {
    const parsed = new URL(url);
    const user = parsed.username ? `${parsed.username}@` : '';
    return `${parsed.protocol}//${user}${parsed.host}${parsed.pathname === '/' ? '' : parsed.pathname}`;
  } catch {
    // Not a URL we can take apart: say only which kind it is.
    return url.split(':')[0] ?? 'database';
  }
}

/** An error's message with the URL's password (if any) masked, wherever a driver echoed it. */
export function errorMessage(error: unknown, url?: string): string {
  let message = error instanceof Error ? error.message : String(error);
  if (url) {
    try {
      const password = decodeURIComponent(new URL(url).password);
      if (password) message = message.split(password).join('[redacted]');
    } catch {
      // no password to hide
    }
  }
  return message;
}

/** The driver's error code: better-sqlite3's 'SQLITE_BUSY', pg's SQLSTATE '40001', node's 'ECONNREFUSED'. */
export function errorCode(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : undefined;
}

/** SQLite: another connection holds the lock (retry later). Extended codes included (SQLITE_BUSY_SNAPSHOT…). */
export function isSqliteBusy(error: unknown): boolean {
  return /^SQLITE_(BUSY|LOCKED)/.test(errorCode(error) ?? '');
}

/** PostgreSQL: serialization failure or deadlock; the transaction is safe to run again. */
export function isPostgresRetryable(error: unknown): boolean {
  const code = errorCode(error);
  return code === '40001' || code === '40P01';
}
