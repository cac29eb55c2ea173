/**
 * A few worker threads that run analyzeDocument (parse → normalise → judge), so parsing five
 * 5 MB feeds never keeps the main thread from answering interactions. Workers start on first
 * use, are reused, and are replaced when one dies; a job on a dead worker fails with a typed
 * FeedError instead of hanging.
 */
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import type { Analyze, AnalyzeNote } from './analyze.ts';
import { ByteBudget } from './byte-budget.ts';
import { documentSize, freeBytes, ownsBuffer, type FeedDocument } from './charset.ts';
import type { Judged } from './dedupe.ts';
import * as feedErrors from './errors.ts';
import { FeedError, type FeedErrorCode } from './errors.ts';
import type { Topic } from './topic.ts';
import type { People } from './quotes/people.ts';
import { letWorkersSizeTheirYoungGeneration, WORKER_YOUNG_GENERATION_MB } from './worker-heap.ts';

/**
 * The parser died (out of memory, crashed) or ran past its deadline on a document. Coded
 * `malformed-xml` because, as far as a moderator can act on it, the document is unreadable.
 */
export class ParserStoppedError extends FeedError {
  constructor(detail: string) {
    super('parser-stopped', `parser stopped (${detail})`);
  }
}

/** The bot is stopping: a document still queued or parsing is dropped, through no fault of its feed. */
export class ParsePoolClosedError extends Error {
  constructor() {
    super('the parse pool is closed');
    this.name = 'ParsePoolClosedError';
  }
}

export interface ParsePoolOptions {
  /** The compiled rule; plain data, cloned into each worker once when it starts. */
  topic: Topic;
  /** data/people.json: when given, workers find known people's quotations in on-topic items. */
  people?: People;
  /** Worker threads; default defaultPoolSize(). */
  size?: number;
  /** One document's limit before its worker is replaced. Default 60 s. */
  jobTimeoutMs?: number;
  /** Where job deadlines are scheduled; tests pass their own to decide when a deadline passes. */
  timers?: JobTimers;
  /**
   * Heap cap per worker (MB): a hostile document kills its worker, not the bot. Default 256,
   * several times what a 5 MB feed needs; a lower cap also makes V8 grow the heap less eagerly.
   */
  maxHeapMb?: number;
  /**
   * Bytes (or characters) of documents held, downloading or handed over and not yet parsed, above
   * which room() and the budget's reservations wait. Default 8 Mi: enough queued work that the
   * workers never idle while fetches are in flight, without letting a whole cold cycle's bodies
   * pile up in memory behind them.
   */
  maxBacklog?: number;
  /**
   * The worker's script, when not the one beside this module: a benchmark running the sources
   * under tsx passes the built dist/parse-worker.js, so it measures the worker `npm start` runs.
   */
  workerFile?: URL;
}

/**
 * One worker per spare core, at most two: on a 2-core machine one core stays with the main
 * thread (gateway heartbeats, interactions), and polls are rarely parse-bound for long enough
 * that a third worker's memory would pay for itself.
 */
export function defaultPoolSize(): number {
  return Math.max(1, Math.min(2, availableParallelism() - 1));
}

// ---- The protocol, shared with parse-worker.ts ------------------------------------------------

export interface ParseJob {
  id: number;
  /** Bytes arrive transferred (their buffer moves to the worker), text arrives copied. */
  document: FeedDocument;
  feed: string;
  documentUrl?: string;
  now: Date;
  maxItems?: number;
  /** Only when a caller judges by another rule than the one the worker started with. */
  topic?: Topic;
  /** The feed is declared about Alita (AnalyzeContext.aboutAlita). */
  aboutAlita?: boolean;
  /** Items off topic by their markup go lean (AnalyzeContext.lean). */
  lean?: boolean;
}

/** Structured clone keeps neither an Error's class nor its own fields, so errors cross as data. */
export interface SerializedError {
  name: string;
  message: string;
  code?: string;
  /** Primitive own fields, such as `status` or `maxBytes`. */
  fields: Record<string, string | number | boolean>;
}

/**
 * A job's judged items come in batches, the last with `ok`: each message is a short task on the
 * main thread, however many items the feed has. Notes (a cut, a skipped item) come as they happen.
 */
export type ParseReply =
  | { ready: true }
  | { id: number; batch: Judged[] }
  | { id: number; note: AnalyzeNote }
  | { id: number; ok: true; batch?: Judged[] }
  | { id: number; ok: false; error: SerializedError };

export interface ParseWorkerData {
  alitaParseWorker: true;
  topic: Topic;
  people?: People;
  /** Only when the worker starts from TypeScript sources, through tsx. */
  tsxApi?: string;
  entry?: string;
}

export function serializeError(error: unknown): SerializedError {
  if (!(error instanceof Error)) return { name: 'Error', message: String(error), fields: {} };
  const fields: Record<string, string | number | boolean> = {};
  for (const [key, value] of Object.entries(error)) {
    if (!['code', 'name', 'message', 'stack'].includes(key) && (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean')) fields[key] = value;
  }
  const code = (error as { code?: unknown }).code;
  return { name: error.name, message: error.message, ...(typeof code === 'string' ? { code } : {}), fields };
}

type FeedErrorClass = abstract new (...args: never[]) => FeedError;
const FEED_ERROR_CLASSES = new Map<string, FeedErrorClass>(
  (Object.values(feedErrors) as unknown[])
    .filter((value): value is FeedErrorClass => typeof value === 'function' && (value === FeedError || value.prototype instanceof FeedError))
    .map((cls) => [cls.name, cls]),
);

/** The same class, code and message as thrown in the worker: users read these in /status. */
export function reviveError(serialized: SerializedError): Error {
  const cls = FEED_ERROR_CLASSES.get(serialized.name);
  if (cls && serialized.code) {
    // The subclasses' constructors build their message from a detail we no longer have, so
    // the instance is made by the base class and given the subclass's prototype.
    const error = new FeedError(serialized.code as FeedErrorCode, serialized.message);
    Object.setPrototypeOf(error, cls.prototype);
    error.name = serialized.name;
    return Object.assign(error, serialized.fields);
  }
  const error = new Error(serialized.message);
  error.name = serialized.name;
  return Object.assign(error, serialized.fields);
}

// ---- The pool ----------------------------------------------------------------------------------

/**
 * Bundled (`npm start` runs dist/main.js), the worker is dist/parse-worker.js beside it. From
 * TypeScript sources (tests, scripts) Node 20 does not apply `--import tsx` loader hooks inside worker threads, so
 * the worker loads its entry through tsx's API. That bootstrap works under `node --import tsx`
 * and under vitest, which runs tests without tsx. Only dynamic imports: an inherited
 * `--input-type=module` makes eval'd code ESM, where `require` does not exist.
 */
const BOOTSTRAP = `
import('node:worker_threads')
  .then(({ workerData }) => import(workerData.tsxApi).then((tsx) => tsx.tsImport(workerData.entry, workerData.entry)));
`;

const COMPILED = import.meta.url.endsWith('.js');

interface Pending {
  resolve: (judged: Judged[]) => void;
  reject: (error: Error) => void;
  report?: (note: AnalyzeNote) => void;
}

interface Waiting extends Pending {
  job: Omit<ParseJob, 'id'>;
}

interface Slot {
  worker: Worker;
  ready: boolean;
  /** Without the document: posting hands it to the worker, so this thread lets go of it at once. */
  current?: Pending & { id: number; timer?: unknown; received: Judged[] };
  /**
   * The job posted behind the current one, so the worker goes on to it without waiting for this
   * thread to hear that the current one ended (between a SQLite write and a fetch, that wait
   * left the worker idle for some 8 % of a cold cycle). Posted as a copy: its document stays
   * here until it becomes current, to go to another worker if this one dies first.
   */
  next?: Waiting & { id: number };
}

/**
 * Documents up to this size are posted ahead of their turn (copied, so a small copy): a 4 MB
 * feed waits for its worker to be free and then moves there without one.
 */
const POST_AHEAD_MAX_BYTES = 256 * 1024;

/** The two timer functions the pool's job deadlines use. */
export interface JobTimers {
  setTimeout(callback: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

const realTimers: JobTimers = {
  setTimeout: (callback, ms) => setTimeout(callback, ms),
  clearTimeout: (handle) => clearTimeout(handle as NodeJS.Timeout),
};

export class ParsePool {
  readonly size: number;
  private readonly topic: Topic;
  private readonly people: People | undefined;
  private readonly jobTimeoutMs: number;
  private readonly timers: JobTimers;
  private readonly maxHeapMb: number;
  private readonly workerFile: URL | undefined;
  /** Counts the documents this pool holds; FetchLimiter counts downloads against the same one. */
  readonly budget: ByteBudget;
  private readonly slots = new Set<Slot>();
  private readonly queue: Waiting[] = [];
  private nextId = 1;
  private closed = false;

  constructor(options: ParsePoolOptions) {
    this.topic = options.topic;
    this.people = options.people;
    this.size = Math.max(1, options.size ?? defaultPoolSize());
    this.jobTimeoutMs = options.jobTimeoutMs ?? 60_000;
    this.timers = options.timers ?? realTimers;
    this.maxHeapMb = options.maxHeapMb ?? 256;
    this.workerFile = options.workerFile ?? (COMPILED ? new URL('./parse-worker.js', import.meta.url) : undefined);
    this.budget = new ByteBudget(options.maxBacklog ?? 8 * 2 ** 20);
  }

  /** analyzeDocument, off the main thread; same results, same typed errors. */
  readonly analyze: Analyze = (document, ctx) =>
    new Promise<Judged[]>((resolve, reject) => {
      if (this.closed) return reject(new ParsePoolClosedError());
      const job: Omit<ParseJob, 'id'> = { document: ownBuffer(document), feed: ctx.feed, now: ctx.now, ...(ctx.documentUrl ? { documentUrl: ctx.documentUrl } : {}), ...(ctx.maxItems !== undefined ? { maxItems: ctx.maxItems } : {}) };
      if (ctx.topic !== this.topic) job.topic = ctx.topic;
      if (ctx.aboutAlita) job.aboutAlita = true;
      if (ctx.lean) job.lean = true;
      // Counted without waiting: the bytes are in memory already (the fetch reserved them).
      const hold = this.budget.take(documentSize(document));
      const done = (settle: () => void) => {
        hold.release();
        settle();
      };
      this.queue.push({ job, resolve: (judged) => done(() => resolve(judged)), reject: (error) => done(() => reject(error)), ...(ctx.report ? { report: ctx.report } : {}) });
      this.pump();
    });

  /**
   * Resolves when the budget is not full: call it before fetching another document, so fetches
   * wait rather than bodies (a bounded memory).
   */
  readonly room = (): Promise<void> => this.budget.room();

  /** Bytes (or characters) counted against the budget: documents not yet settled, downloads. */
  get backlog(): number {
    return this.budget.inUse;
  }

  /** Workers currently running (started lazily, so 0 before the first document or warm()). */
  get workers(): number {
    return this.slots.size;
  }

  /**
   * Starts a worker now instead of with the first document, so the bot's first poll does not wait
   * for one (loading the parser, the rule and the people takes about a fifth of a second).
   * Resolves once it is ready (or gone); an idle worker never keeps the process alive.
   */
  warm(): Promise<void> {
    if (this.closed) return Promise.resolve();
    const slot = [...this.slots][0] ?? this.spawn();
    if (slot.ready) return Promise.resolve();
    return new Promise((resolve) => {
      const done = () => {
        slot.worker.off('message', ready);
        slot.worker.off('exit', done);
        // The port to a starting worker is referenced again once it talks; idle, it must not be.
        if (!slot.current) slot.worker.unref();
        resolve();
      };
      const ready = (reply: ParseReply) => {
        if ('ready' in reply) done();
      };
      slot.worker.on('message', ready);
      slot.worker.on('exit', done);
    });
  }

  /** Terminates every worker; jobs still waiting or running are rejected. */
  async close(): Promise<void> {
    this.closed = true;
    const stopped = new ParsePoolClosedError();
    for (const waiting of this.queue.splice(0)) waiting.reject(stopped);
    this.budget.open();
    const slots = [...this.slots];
    this.slots.clear();
    await Promise.all(
      slots.map((slot) => {
        slot.next?.reject(stopped);
        slot.next = undefined;
        this.settle(slot)?.reject(stopped);
        return slot.worker.terminate();
      }),
    );
  }

  private pump(): void {
    for (const slot of this.slots) {
      if (this.queue.length === 0) return;
      if (!slot.current) this.assign(slot, this.queue.shift()!);
    }
    while (this.queue.length > 0 && this.slots.size < this.size) this.assign(this.spawn(), this.queue.shift()!);
    for (const slot of this.slots) {
      const waiting = this.queue[0];
      if (!waiting || documentSize(waiting.job.document) > POST_AHEAD_MAX_BYTES) return;
      if (slot.current && !slot.next) this.postAhead(slot, this.queue.shift()!);
    }
  }

  private postAhead(slot: Slot, waiting: Waiting): void {
    const id = this.nextId++;
    slot.next = { ...waiting, id };
    slot.worker.postMessage({ ...waiting.job, id } satisfies ParseJob);
  }

  private assign(slot: Slot, { job, ...pending }: Waiting): void {
    const id = this.nextId++;
    slot.current = { ...pending, id, received: [] };
    if (slot.ready) this.startClock(slot);
    // A worker busy with a job keeps the process alive; an idle one must not.
    slot.worker.ref();
    // Messages to a worker still starting wait in its port until it listens.
    const { document } = job;
    slot.worker.postMessage({ ...job, id } satisfies ParseJob, typeof document === 'string' ? [] : [document.bytes.buffer as ArrayBuffer]);
  }

  /** The deadline is the document's, so a fresh worker's start-up does not count against it. */
  private startClock(slot: Slot): void {
    const current = slot.current;
    if (!current || current.timer) return;
    current.timer = this.timers.setTimeout(() => this.retire(slot, new ParserStoppedError(`took longer than ${formatSeconds(this.jobTimeoutMs)}`)), this.jobTimeoutMs);
  }

  /**
   * Clears the slot's job and hands it back, so it is settled exactly once; the job posted
   * behind it, if any, becomes current (the worker starts it as soon as this one ends).
   */
  private settle(slot: Slot): Slot['current'] {
    const current = slot.current;
    if (!current) return undefined;
    if (current.timer !== undefined) this.timers.clearTimeout(current.timer);
    slot.current = undefined;
    const next = slot.next;
    slot.next = undefined;
    if (next) {
      const { job: posted, id, ...pending } = next;
      // Its copy is in the worker now: these bytes were only kept in case the worker died first.
      freeBytes(posted.document);
      slot.current = { ...pending, id, received: [] };
      if (slot.ready) this.startClock(slot);
    } else slot.worker.unref();
    return current;
  }

  private spawn(): Slot {
    letWorkersSizeTheirYoungGeneration();
    const resourceLimits = { maxOldGenerationSizeMb: this.maxHeapMb, maxYoungGenerationSizeMb: WORKER_YOUNG_GENERATION_MB };
    const worker = this.workerFile
      ? new Worker(this.workerFile, { workerData: { alitaParseWorker: true, topic: this.topic, ...(this.people ? { people: this.people } : {}) } satisfies ParseWorkerData, resourceLimits })
      : new Worker(BOOTSTRAP, {
          eval: true,
          workerData: { alitaParseWorker: true, topic: this.topic, ...(this.people ? { people: this.people } : {}), tsxApi: import.meta.resolve('tsx/esm/api'), entry: new URL('./parse-worker.ts', import.meta.url).href } satisfies ParseWorkerData,
          resourceLimits,
        });
    const slot: Slot = { worker, ready: false };
    this.slots.add(slot);
    worker.unref();
    worker.on('message', (reply: ParseReply) => {
      if ('ready' in reply) {
        slot.ready = true;
        this.startClock(slot);
        return;
      }
      const running = slot.current;
      if (running?.id !== reply.id) return;
      if ('batch' in reply) {
        for (const judged of reply.batch ?? []) running.received.push(judged);
        // The last batch comes with `ok`, which settles the job below.
        if (!('ok' in reply)) return;
      }
      if ('note' in reply) {
        try {
          running.report?.(reply.note);
        } catch {
          // A failing report (the logger's trouble) must not fail the document.
        }
        return;
      }
      const current = this.settle(slot)!;
      if (reply.ok) current.resolve(current.received);
      else current.reject(reviveError(reply.error));
      this.pump();
    });
    worker.on('error', (error) => this.retire(slot, this.stoppedBy(slot, error)));
    worker.on('exit', (code) => this.retire(slot, this.stoppedBy(slot, new Error(`worker exited with code ${code}`))));
    return slot;
  }

  private stoppedBy(slot: Slot, error: Error): ParserStoppedError {
    const code = (error as { code?: string }).code;
    if (code === 'ERR_WORKER_OUT_OF_MEMORY') return new ParserStoppedError(`out of memory, over ${this.maxHeapMb} MB`);
    return new ParserStoppedError(slot.ready ? error.message : `could not start: ${error.message}`);
  }

  /**
   * Takes a failed or hung worker out of service, fails its job, and lets a new one take over;
   * the job posted behind it never started there, so it goes back to the front of the queue.
   */
  private retire(slot: Slot, reason: ParserStoppedError): void {
    if (!this.slots.delete(slot)) return;
    const next = slot.next;
    slot.next = undefined;
    if (next) {
      const { id: _id, ...waiting } = next;
      if (this.closed) waiting.reject(new ParsePoolClosedError());
      else this.queue.unshift(waiting);
    }
    this.settle(slot)?.reject(reason);
    void slot.worker.terminate().catch(() => undefined);
    if (!this.closed) this.pump();
  }
}

/**
 * Transferring detaches the whole ArrayBuffer, so bytes that share theirs (Node's Buffer pool
 * backs small Buffers; a view may cover part of a larger buffer) are copied first. A fetched
 * body owns its buffer, so the big ones move without a copy.
 */
function ownBuffer(document: FeedDocument): FeedDocument {
  if (typeof document === 'string') return document;
  return ownsBuffer(document.bytes) ? document : { ...document, bytes: new Uint8Array(document.bytes) };
}

function formatSeconds(ms: number): string {
  return ms >= 1000 ? `${Math.round(ms / 1000)} s` : `${ms} ms`;
}

export function createParsePool(options: ParsePoolOptions): ParsePool {
  return new ParsePool(options);
}
