/**
 * `alita-news backup FILE` (or `npm run -s backup -- FILE`): a consistent copy of the SQLite store
 * named by DATABASE_URL (from the environment or .env), also while the bot runs. One line on
 * stdout when done; one line on stderr and exit 1 when not. PostgreSQL is refused: pg_dump does
 * that job (README, "Backups and upgrades").
 */
import { ConfigError, loadDotEnv, loadEngineConfig } from '../config.ts';
import { describeError } from '../engine/errors.ts';
import { backupSqlite } from '../store/sql/backup.ts';
import { sqliteFile } from '../store/sql/database.ts';

const USAGE = 'usage: alita-news backup <file>  (a consistent copy of the SQLite store in DATABASE_URL, also while the bot runs)';

async function main(argv: string[]): Promise<number> {
  if (argv.some((arg) => arg === '--help' || arg === '-h')) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  if (argv.length !== 1 || argv[0]!.startsWith('-')) {
    process.stderr.write(`${USAGE}\n`);
    return 2;
  }
  loadDotEnv();
  const { DATABASE_URL: url } = loadEngineConfig();
  if (!url.startsWith('sqlite://')) {
    throw new ConfigError('DATABASE_URL is a PostgreSQL database: back it up with pg_dump, not this command (README, "Backups and upgrades")');
  }
  const source = sqliteFile(url);
  if (source === ':memory:') throw new ConfigError('DATABASE_URL is sqlite://:memory:, which keeps nothing to back up');
  const result = await backupSqlite(source, argv[0]!);
  process.stdout.write(`backed up ${source} (schema version ${result.schemaVersion}, ${(result.bytes / 1024 / 1024).toFixed(1)} MiB) to ${result.file}\n`);
  return 0;
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`backup: ${describeError(error)}\n`);
    process.exitCode = 1;
  },
);
