/**
 * The parse pool is analyzeDocument on other threads: same items, same verdicts, same typed errors
 * (users read them in /status), a dead worker replaced, and nothing left running after close().
 */
import { spawn } from 'node:child_process';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { analyzeDocument } from '../src/engine/analyze.ts';
import { decodeFeedBytes } from '../src/engine/charset.ts';
import { FeedError, MalformedFeedError, NotAFeedError } from '../src/engine/errors.ts';
import { ParsePool, ParserStoppedError } from '../src/engine/parse-pool.ts';
import { compileTopic, loadTopic } from '../src/engine/topic.ts';
import { WORKER_NICENESS } from '../src/engine/thread-priority.ts';
import { rss } from './support/feeds.ts';
import { PROJECT_ROOT } from './support/spawn.ts';

const topic = loadTopic();
const NOW = new Date('2024-06-01T12:00:00Z');
const SAMPLES = fileURLToPath(new URL('../data/sample-feeds/', import.meta.url));
const CORPUS = fileURLToPath(new URL('../../shared/corpus/', import.meta.url));

function walk(dir: string): string[] {
  return readdirSync(dir).sort().flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return walk(path);
    return /^(LICENSE|README)/i.test(name) ? [] : [path];
  });
}

/** The bundled samples, all of rss-parser's corpus, and every 40th feedparser file (CDF ones are refused). */
const DOCUMENTS = [
  ...walk(SAMPLES).filter((p) => /\.(xml|atom)$/.test(p)),
  ...walk(join(CORPUS, 'rss-parser')),
  ...walk(join(CORPUS, 'feedparser')).filter((p, i) => i % 40 === 0 || /\/cdf\//.test(p)),
];

/** A run's outcome as data: items and verdicts, or the error's class, code and message. */
async function outcome(run: Promise<unknown>): Promise<unknown> {
  try {
    return { ok: await run };
  } catch (error) {
    const e = error as FeedError;
    return { error: [e.constructor.name, e.name, e.code, e.message, e instanceof FeedError] };
  }
}

let pool: ParsePool | undefined;
afterEach(async () => {
  await pool?.close();
  pool = undefined;
});

/**
 * Runs a module script in a node process of its own (tsx, from the project root): its output and
 * exit code, or SIGKILL after a deadline for a hang (a worker keeping the process alive), not a
 * speed check.
 */
async function runScript(script: string): Promise<{ out: string; code: unknown }> {
  const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '--eval', script], { cwd: PROJECT_ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout.on('data', (c) => (out += String(c)));
  child.stderr.on('data', (c) => (out += String(c)));
  const timer = setTimeout(() => child.kill('SIGKILL'), 120_000);
  const code = await new Promise((resolve) => child.on('exit', (c, signal) => resolve(c ?? signal)));
  clearTimeout(timer);
  return { out, code };
}

describe('ParsePool', () => {
  it('gives exactly what analyzeDocument gives in-thread, on the sample feeds and corpus files, lean or whole', async () => {
    pool = new ParsePool({ topic, size: 2 });
    expect(DOCUMENTS.length).toBeGreaterThan(60);
    const results = await Promise.all(
      DOCUMENTS.map(async (path, i) => {
        const text = decodeFeedBytes(readFileSync(path), null);
        // Every other document as the bot's polls analyse it: items off topic by their markup lean.
        const ctx = { feed: relative(PROJECT_ROOT, path), documentUrl: 'https://feeds.example.com/feed', now: NOW, topic, ...(i % 2 === 0 ? { lean: true } : {}) };
        return [await outcome(pool!.analyze(text, ctx)), await outcome(analyzeDocument(text, ctx))];
      }),
    );
    for (const [inPool, inThread] of results) expect(inPool).toEqual(inThread);
    const refused = results.filter(([r]) => (r as { error?: unknown }).error);
    expect(refused.length).toBeGreaterThan(0);
    expect(results.length - refused.length).toBeGreaterThan(50);
  });

  it('hands on every batch of a feed in order, the last with the end of the job, and a feed of no items', async () => {
    pool = new ParsePool({ topic, size: 1 });
    // 250 items: two full batches and a part (analyze.ts's BATCH_SIZE), some on topic.
    const many = rss(Array.from({ length: 250 }, (_, i) => ({ title: i % 7 === 0 ? `Alita 2 news #${i}, says Rodriguez` : `Box office #${i}`, link: `https://news.example.com/${i}` })));
    const judged = await pool.analyze(many, { feed: 'f', now: NOW, topic, lean: true });
    expect(judged.map((j) => j.item.title)).toEqual(Array.from({ length: 250 }, (_, i) => (i % 7 === 0 ? `Alita 2 news #${i}, says Rodriguez` : `Box office #${i}`)));
    expect(judged).toEqual(await analyzeDocument(many, { feed: 'f', now: NOW, topic, lean: true }));
    expect(await pool.analyze(rss([]), { feed: 'f', now: NOW, topic })).toEqual([]);
  });

  it('carries a feed declared about Alita to the worker', async () => {
    pool = new ParsePool({ topic, size: 1 });
    const doc = '<rss version="2.0"><channel><title>Fan Crew</title><item><title>Who should play Nova in the second film?</title></item></channel></rss>';
    const [declared] = await pool.analyze(doc, { feed: 'f', now: NOW, topic, aboutAlita: true });
    expect(declared!.verdict).toMatchObject({ relevant: true, aboutAlita: 'flagged as about Alita' });
    const [plain] = await pool.analyze(doc, { feed: 'f', now: NOW, topic });
    expect(plain!.verdict.relevant).toBe(false);
  });

  it('runs the built worker (dist/parse-worker.js, what npm start runs) when given it, with the same results', async () => {
    pool = new ParsePool({ topic, size: 1, workerFile: new URL('dist/parse-worker.js', `file://${PROJECT_ROOT}`) });
    const doc = rss([{ title: 'Alita 2 is happening, says Rodriguez', link: 'https://news.example.com/a2' }]);
    expect(await pool.analyze(doc, { feed: 'f', now: NOW, topic })).toEqual(await analyzeDocument(doc, { feed: 'f', now: NOW, topic }));
  });

  it('rethrows the worker’s NotAFeedError and MalformedFeedError with the same class, code and message', async () => {
    pool = new ParsePool({ topic, size: 1 });
    const ctx = { feed: 'f', now: NOW, topic };
    for (const text of ['<html><body>Not a feed</body></html>', '{"items": []}', '<rss version="2.0"><channel><item><title>cut', '']) {
      const [inPool, inThread] = await Promise.all([pool.analyze(text, ctx).catch((e: unknown) => e), analyzeDocument(text, ctx).catch((e: unknown) => e)]);
      expect(inThread).toBeInstanceOf(FeedError);
      expect(inPool).toBeInstanceOf((inThread as object).constructor as typeof FeedError);
      expect(inPool).toMatchObject({ name: (inThread as Error).name, code: (inThread as FeedError).code, message: (inThread as Error).message });
    }
    await expect(pool.analyze('<html></html>', ctx)).rejects.toBeInstanceOf(NotAFeedError);
    await expect(pool.analyze('<rss><channel>', ctx)).rejects.toBeInstanceOf(MalformedFeedError);
  });

  it('judges by the rule the caller passes, even one other than the pool’s', async () => {
    pool = new ParsePool({ topic, size: 1 });
    const strict = compileTopic({ ...JSON.parse(readFileSync(new URL('../data/topic.json', import.meta.url), 'utf8')), threshold: 1e9 });
    const text = rss([{ title: 'Alita 2 is happening, Rodriguez confirms the sequel', link: 'https://news.example.com/a2' }]);
    expect((await pool.analyze(text, { feed: 'f', now: NOW, topic }))[0]!.verdict.relevant).toBe(true);
    expect((await pool.analyze(text, { feed: 'f', now: NOW, topic: strict }))[0]!.verdict.relevant).toBe(false);
  });

  it('fails the job of a worker that dies with a typed error, and the next document gets a fresh worker', async () => {
    // A heap cap this small lets a 25 MB document kill its worker, as a hostile one would. Not
    // smaller: on Node 24 a fresh worker sometimes needs more than 16 MB to parse a small document.
    pool = new ParsePool({ topic, size: 1, maxHeapMb: 32 });
    const ctx = { feed: 'f', now: NOW, topic };
    const small = rss([{ title: 'Alita 2 news', link: 'https://news.example.com/1' }]);
    const huge = rss(Array.from({ length: 12_000 }, (_, i) => ({ title: `Item ${i}`, link: `https://news.example.com/${i}`, summary: 'word '.repeat(400) })));
    expect(await pool.analyze(small, ctx)).toHaveLength(1);
    // The small document is posted to the worker behind the huge one. It never started there, so
    // it runs on the fresh worker instead of failing with the dead one.
    const [died, behind] = await Promise.all([pool.analyze(huge, ctx).catch((e: unknown) => e), pool.analyze(small, ctx)]);
    expect(died).toBeInstanceOf(ParserStoppedError);
    expect(died).toMatchObject({ code: 'parser-stopped', message: 'parser stopped (out of memory, over 32 MB)' });
    expect(behind).toHaveLength(1);
    expect(await pool.analyze(small, ctx)).toHaveLength(1);
    expect(pool.workers).toBe(1);
  });

  it('replaces a worker stuck past the deadline, failing only that job', async () => {
    // The test decides when a deadline passes, so a busy machine cannot make any job late.
    const deadlines: Array<() => void> = [];
    let started!: () => void;
    const clockStarted = new Promise<void>((resolve) => (started = resolve));
    const timers = {
      setTimeout: (callback: () => void) => (deadlines.push(callback), started(), deadlines.length),
      clearTimeout: () => undefined,
    };
    pool = new ParsePool({ topic, size: 1, jobTimeoutMs: 50, timers });
    const ctx = { feed: 'f', now: NOW, topic };
    // Big enough that its worker is still busy with it when the deadline is made to pass.
    const slow = rss(Array.from({ length: 3000 }, (_, i) => ({ title: `Alita sequel ${i}`, summary: 'Rodriguez and Cameron on the Alita sequel. '.repeat(30) })));
    const stuck = pool.analyze(slow, ctx).then(() => 'finished', (error: unknown) => error);
    const next = pool.analyze(rss([{ title: 'Alita 2', link: 'https://news.example.com/1' }]), ctx);
    await clockStarted;
    deadlines[0]!();
    expect(await stuck).toEqual(new ParserStoppedError('took longer than 50 ms'));
    // The job queued behind it runs on a fresh worker, under a deadline that never passes here.
    expect(await next).toHaveLength(1);
    expect(deadlines).toHaveLength(2);
    expect(pool.workers).toBe(1);
  });

  it('warm() starts a worker before any document, which the first document then uses; an idle one keeps no process alive', async () => {
    pool = new ParsePool({ topic, size: 1 });
    expect(pool.workers).toBe(0);
    await pool.warm();
    expect(pool.workers).toBe(1);
    await pool.warm();
    expect(pool.workers).toBe(1);
    const doc = '<rss version="2.0"><channel><title>t</title><item><title>Alita 2 is coming, says Rodriguez</title></item></channel></rss>';
    const [judged] = await pool.analyze(doc, { feed: 'f', now: NOW, topic });
    expect(judged!.item.title).toBe('Alita 2 is coming, says Rodriguez');
    expect(pool.workers).toBe(1);
    const script = `
      import { ParsePool } from './src/engine/parse-pool.ts';
      import { loadTopic } from './src/engine/topic.ts';
      const pool = new ParsePool({ topic: loadTopic() });
      await pool.warm();
      console.log('warm', pool.workers);
    `;
    const { out, code } = await runScript(script);
    expect(out).toContain('warm 1');
    expect(code).toBe(0);
  });

  // Members' commands go first: the worker yields the CPU to the main thread (thread-priority.ts).
  it.runIf(process.platform === 'linux')('runs its worker at a lower priority than the main thread, which keeps its own', async () => {
    const script = `
      import { readdirSync, readFileSync } from 'node:fs';
      import { ParsePool } from './src/engine/parse-pool.ts';
      import { loadTopic } from './src/engine/topic.ts';
      const topic = loadTopic();
      const niceness = () => readdirSync('/proc/self/task').map((tid) => Number(readFileSync('/proc/self/task/' + tid + '/stat', 'utf8').split(') ')[1].split(' ')[16]));
      const before = niceness();
      const pool = new ParsePool({ topic, size: 1 });
      const doc = '<rss version="2.0"><channel><title>t</title><item><title>Alita 2</title></item></channel></rss>';
      const judged = await pool.analyze(doc, { feed: 'f', now: new Date(), topic });
      console.log(JSON.stringify({ before, after: niceness(), main: Number(readFileSync('/proc/thread-self/stat', 'utf8').split(') ')[1].split(' ')[16]), judged: judged.length }));
      await pool.close();
    `;
    const { out, code } = await runScript(script);
    expect(code).toBe(0);
    const { before, after, main, judged } = JSON.parse(out.trim().split('\n').at(-1)!) as { before: number[]; after: number[]; main: number; judged: number };
    expect(judged).toBe(1);
    // Every thread ran at the process's niceness before the pool; then one more thread, the worker, WORKER_NICENESS lower (at most 19).
    expect(new Set(before)).toEqual(new Set([main]));
    const lowered = after.filter((n) => n !== main);
    expect(lowered).toEqual([Math.min(19, main + WORKER_NICENESS)]);
  });

  it('close() ends the workers, so a process that used the pool exits by itself', async () => {
    const script = `
      import { ParsePool } from './src/engine/parse-pool.ts';
      import { loadTopic } from './src/engine/topic.ts';
      const topic = loadTopic();
      const pool = new ParsePool({ topic, size: 2 });
      const doc = '<rss version="2.0"><channel><title>t</title><item><title>Alita 2</title></item></channel></rss>';
      const judged = await Promise.all([1, 2, 3].map(() => pool.analyze(doc, { feed: 'f', now: new Date(), topic })));
      const big = doc.replace('<item>', '<item><description>' + 'Alita sequel news. '.repeat(200000) + '</description></item><item>');
      const inFlight = pool.analyze(big, { feed: 'f', now: new Date(), topic }).catch((e) => console.log('in flight:', e.message));
      await pool.close();
      await inFlight;
      await pool.analyze(doc, { feed: 'f', now: new Date(), topic }).catch((e) => console.log('after close:', e.message));
      console.log('parsed', judged.map((j) => j.length).join(','), 'workers', pool.workers);
      setInterval(() => {}, 1000).unref();
    `;
    const { out, code } = await runScript(script);
    expect(out).toContain('in flight: the parse pool is closed');
    expect(out).toContain('after close: the parse pool is closed');
    expect(out).toContain('parsed 1,1,1 workers 0');
    expect(code).toBe(0);
  });
});
