/** Shared helpers for the SQL store's contract suite: engines, a recording logger, sample rows. */
import { spawn } from 'node:child_process';
import { afterEach, beforeEach } from 'vitest';
import type { MessageBody } from '../../src/engine/format.ts';
import type { NewsItem } from '../../src/engine/types.ts';
import type { DatabaseLogger } from '../../src/store/sql/database.ts';
import { openStores, type Stores } from '../../src/store/sql/index.ts';
import type { NewEntry } from '../../src/store/sql/outbox.ts';
import { PROJECT_ROOT } from '../support/spawn.ts';

export interface Engine {
  kind: 'sqlite' | 'postgres';
  /** The URL of a new, empty database of its own. */
  freshUrl(label?: string): Promise<string>;
}

export interface RecordingLogger extends DatabaseLogger {
  warnings: Array<{ message: string; context?: Record<string, unknown> }>;
  errors: Array<{ message: string; context?: Record<string, unknown> }>;
}

export function recordingLogger(): RecordingLogger {
  const warnings: RecordingLogger['warnings'] = [];
  const errors: RecordingLogger['errors'] = [];
  return { warnings, errors, warn: (message, context) => warnings.push({ message, context }), error: (message, context) => errors.push({ message, context }) };
}

/** Fresh stores (own database) for every test of the enclosing describe; `current()` inside tests. */
export function freshStores(engine: () => Engine): () => { stores: Stores; log: RecordingLogger; url: string } {
  let state: { stores: Stores; log: RecordingLogger; url: string } | undefined;
  beforeEach(async () => {
    const log = recordingLogger();
    const url = await engine().freshUrl();
    state = { stores: await openStores(url, log), log, url };
  });
  afterEach(async () => {
    await state?.stores.close();
    state = undefined;
  });
  return () => {
    if (!state) throw new Error('stores are opened in beforeEach');
    return state;
  };
}

export function newsItem(id: string, overrides: Partial<NewsItem> = {}): NewsItem {
  return { id, feed: 'https://feeds.example/a.xml', source: 'Example', title: `Title ${id}`, summary: `About ${id}`, ...overrides };
}

export function body(text: string): MessageBody {
  return { embeds: [{ title: text, color: 1, footer: { text: 'Example' } }], allowed_mentions: { parse: [] } };
}

export function entry(channelId: string, itemId: string, extra: Partial<NewEntry> = {}): NewEntry {
  return { channelId, itemId, title: `Title ${itemId}`, body: body(itemId), batch: '2025-01-01T00:00:00.000Z', at: '2025-01-01T00:00:00.000Z', ...extra };
}

export const at = (minutes: number) => new Date(Date.UTC(2025, 0, 1, 0, minutes)).toISOString();

/** Polls `check` until it holds; fails after a generous deadline (machines are shared and busy). */
export async function until(check: () => Promise<boolean>, deadlineMs = 20_000): Promise<void> {
  const end = Date.now() + deadlineMs;
  while (!(await check())) {
    if (Date.now() > end) throw new Error('condition not reached before the deadline');
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

export interface Child {
  ready: Promise<void>;
  go(): void;
  /** The child's JSON result (its last stdout line). */
  result: Promise<unknown>;
}

/**
 * Runs test/store-sql/child.ts in its own Node process. It opens the database, says "ready",
 * and starts its task only on "go", so two children really run at the same time.
 */
export function spawnChild(args: string[]): Child {
  const child = spawn(process.execPath, ['--import', 'tsx', 'test/store-sql/child.ts', ...args], { cwd: PROJECT_ROOT, stdio: ['pipe', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  let markReady: () => void = () => undefined;
  const ready = new Promise<void>((resolve) => (markReady = resolve));
  child.stdout.on('data', (chunk) => {
    out += String(chunk);
    if (out.includes('ready\n')) markReady();
  });
  child.stderr.on('data', (chunk) => (err += String(chunk)));
  const result = new Promise<unknown>((resolve, reject) => {
    child.on('exit', (code) => {
      if (code !== 0) return reject(new Error(`child ${args.join(' ')} exited with ${code}: ${err.trim()}`));
      resolve(JSON.parse(out.trim().split('\n').at(-1) ?? 'null'));
    });
  });
  return {
    ready: Promise.race([ready, result.then(() => undefined)]),
    go: () => child.stdin.end('go\n'),
    result,
  };
}

/** Starts children, waits until all have opened the database, then lets them all go at once. */
export async function runTogether(argsList: string[][]): Promise<unknown[]> {
  const children = argsList.map(spawnChild);
  await Promise.all(children.map((c) => c.ready));
  for (const child of children) child.go();
  return Promise.all(children.map((c) => c.result));
}
