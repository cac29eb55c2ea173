/**
 * Reading rows defensively, and writing many rows cheaply. A row that does not parse (bad JSON,
 * a field of the wrong type) is skipped and reported once per table and key: one broken row
 * must never stop the bot, nor fill the log on every poll.
 */
import type { z } from 'zod';
import type { DatabaseLogger } from './database.ts';

/** Bind parameters per statement: well under SQLite's 32766 and PostgreSQL's 65535. */
const PARAMETER_BUDGET = 8_000;

/** `rows` in slices small enough for one statement of `columns` parameters per row. */
export function chunks<T>(rows: readonly T[], columns = 1): T[][] {
  const size = Math.max(1, Math.floor(PARAMETER_BUDGET / columns));
  const out: T[][] = [];
  for (let i = 0; i < rows.length; i += size) out.push(rows.slice(i, i + size));
  return out;
}

/** Remembered malformed keys before the memory is reset (a warning may then repeat, once). */
const REMEMBERED = 10_000;

export class RowReader {
  private readonly reported = new Set<string>();

  constructor(private readonly logger: DatabaseLogger) {}

  /** Parses `raw` as JSON and checks it against `schema`; undefined (reported once) when it does not fit. */
  json<S extends z.ZodType>(table: string, key: string, raw: unknown, schema: S): z.output<S> | undefined {
    if (typeof raw !== 'string') return this.bad(table, key, 'not text');
    let value: unknown;
    try {
      value = JSON.parse(raw);
    } catch (error) {
      return this.bad(table, key, `not JSON (${(error as Error).message})`);
    }
    return this.check(table, key, value, schema);
  }

  /** Checks an already-decoded value (a whole row, a column) against `schema`. */
  check<S extends z.ZodType>(table: string, key: string, value: unknown, schema: S): z.output<S> | undefined {
    const parsed = schema.safeParse(value);
    if (parsed.success) return parsed.data;
    const issue = parsed.error.issues[0];
    return this.bad(table, key, issue ? `${issue.path.join('.') || 'value'}: ${issue.message}` : 'invalid');
  }

  /** Reports a malformed row once, and gives undefined for the caller to skip it. */
  bad(table: string, key: string, problem: string): undefined {
    const id = `${table}\u0000${key}`;
    if (this.reported.has(id)) return undefined;
    if (this.reported.size >= REMEMBERED) this.reported.clear();
    this.reported.add(id);
    this.logger.warn('skipping a malformed row in the database', { table, key, problem });
    return undefined;
  }
}

/** Missing or NULL column → absent property (the domain types use optional fields, not null). */
export function orUndefined<T>(value: T | null | undefined): T | undefined {
  return value ?? undefined;
}

/** JSON for a text column: the store never writes undefined. */
export function toJson(value: unknown): string {
  return JSON.stringify(value ?? null);
}
