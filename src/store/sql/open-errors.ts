/**
 * Why the database could not be opened, in words an operator can act on, naming the setting the
 * URL came from: "fatal: EEXIST … mkdir '/etc/passwd'" or "SQLITE_NOTADB" said neither which
 * setting was wrong nor what was wrong with it.
 */
import { statSync } from 'node:fs';
import { errorCode, errorMessage, SchemaTooNewError, StoreError } from './errors.ts';

const isFolder = (path: string) => {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
};

/** What is wrong with a SQLite file the driver (or mkdir for its folder) refused, in plain words. */
export function sqliteProblem(error: unknown, file: string): string {
  const code = errorCode(error) ?? '';
  const path = (error as { path?: unknown } | null)?.path;
  const folder = typeof path === 'string' ? path : 'a folder on the way';
  if (code === 'EEXIST' || code === 'ENOTDIR') return `${folder} is a file, not a folder, so the SQLite file ${file} cannot be created in it`;
  if (code === 'EACCES' || code === 'EPERM' || code === 'EROFS') return `the folder ${folder} for the SQLite file ${file} cannot be created (${code}: no permission, or a read-only disk)`;
  if (isFolder(file)) return `${file} is a folder, not a file: name a file in it, e.g. sqlite://${file}/alita-army.sqlite`;
  if (code === 'SQLITE_NOTADB') return `${file} is not a SQLite database (it is some other kind of file): point the setting at the bot's database or at a new file`;
  if (code.startsWith('SQLITE_CORRUPT')) return `${file} is a damaged SQLite database: restore a backup, or point the setting at a new file`;
  if (code.startsWith('SQLITE_CANTOPEN')) return `the SQLite file ${file} cannot be opened or created: check that its folder exists and that the bot's user may write there`;
  if (code.startsWith('SQLITE_READONLY') || code === 'SQLITE_PERM') return `the SQLite file ${file} is read-only to the bot: let the bot's user write the file and its folder`;
  if (code === 'SQLITE_FULL') return `the disk holding the SQLite file ${file} is full`;
  if (code.startsWith('SQLITE_IOERR')) return `the SQLite file ${file} could not be read or written (${code}: a disk or file system error)`;
  return `cannot open the SQLite database ${file}: ${errorMessage(error)}${code && !errorMessage(error).includes(code) ? ` (${code})` : ''}`;
}

/** A hint for a PostgreSQL connection that failed, by the error's code (node's or PostgreSQL's SQLSTATE). */
export function postgresHint(code: string | undefined): string | undefined {
  switch (code) {
    case 'ECONNREFUSED':
      return 'nothing answers there: is PostgreSQL running, and are the host and port right?';
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return 'that host name is not known';
    case 'ETIMEDOUT':
      return 'the server did not answer in time (a firewall, or the wrong host)';
    case '28P01':
    case '28000':
      return 'the user name or password is wrong';
    case '3D000':
      return 'that database does not exist: create it first (createdb)';
    default:
      return undefined;
  }
}

/**
 * Any failure to open the store, as one error whose message starts with the setting's name. A
 * driver's own error on a SQLite file (`sqliteFile`) is put in plain words; the store's own
 * errors (busy past the deadline, PostgreSQL unreachable) already are.
 */
export function namingSetting(error: unknown, options: { setting: string; url: string; sqliteFile?: string }): StoreError {
  const { setting, url, sqliteFile } = options;
  if (error instanceof SchemaTooNewError) return new SchemaTooNewError(error.databaseVersion, error.codeVersion, setting);
  const message = error instanceof StoreError || !sqliteFile ? errorMessage(error, url) : sqliteProblem(error, sqliteFile);
  const code = errorCode(error);
  return new StoreError(`${setting}: ${message}`, { ...(error instanceof StoreError ? error.context : {}), ...(code ? { code } : {}) }, { cause: error });
}
