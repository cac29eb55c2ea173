/**
 * The worker side of parse-pool.ts: runs analyzeDocument on the documents the main thread
 * sends, so a 5 MB feed never stalls the bot's event loop. Started by the pool only.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { analyzeInBatches, type AnalyzeContext } from './analyze.ts';
import { freeBytes } from './charset.ts';
import type { Judged } from './dedupe.ts';
import { quoteExtractor } from './quotes/extract.ts';
import { prepareJudging } from './relevance.ts';
import { serializeError, type ParseJob, type ParseReply, type ParseWorkerData } from './parse-pool.ts';
import { lowerThisThread } from './thread-priority.ts';

const data = workerData as Partial<ParseWorkerData> | null;
// The marker keeps this module inert if it is ever imported by some other thread (a test runner's).
if (parentPort && data?.alitaParseWorker) {
  // Members' commands go first: see thread-priority.ts.
  lowerThisThread();
  const port = parentPort;
  const topic = data.topic!;
  // Before it says it is ready: the pool warms a worker when the bot starts, not at its first poll.
  prepareJudging(topic);
  const quotes = data.people ? { extractor: quoteExtractor(data.people), in: 'relevant' as const } : undefined;
  const post = (reply: ParseReply) => port.postMessage(reply);
  // The pool posts a job ahead while one runs: they run one after the other, as it expects
  // (analyzeInBatches yields between batches, where the next job would otherwise start).
  let previous: Promise<void> = Promise.resolve();
  port.on('message', (message: ParseJob) => {
    previous = previous.then(() => run(message));
  });
  const run = ({ id, document, ...job }: ParseJob): Promise<void> => {
    const context: AnalyzeContext = {
      feed: job.feed,
      ...(job.documentUrl ? { documentUrl: job.documentUrl } : {}),
      now: job.now,
      topic: job.topic ?? topic,
      ...(job.maxItems !== undefined ? { maxItems: job.maxItems } : {}),
      ...(job.aboutAlita ? { aboutAlita: true } : {}),
      ...(job.lean ? { lean: true } : {}),
      ...(quotes ? { quotes } : {}),
      report: (note) => post({ id, note }),
      // The worker's own copy: one posted ahead waited here behind the job before it, long enough to be promoted.
      decoded: () => freeBytes(document),
    };
    // The callbacks keep only the id: the document's bytes can go once they are decoded. Batches
    // go as they are judged, so neither thread ever holds one message as big as the feed; each is
    // held until the next is ready, so the last goes with `ok` (most feeds fit one batch, and a
    // message less each halved the posts of a cycle).
    let held: Judged[] | undefined;
    return analyzeInBatches(document, context, (batch) => {
      if (held) post({ id, batch: held });
      held = batch;
    }).then(
      () => post({ id, ok: true, ...(held ? { batch: held } : {}) }),
      (error: unknown) => post({ id, ok: false, error: serializeError(error) }),
    );
  };
  post({ ready: true });
}
