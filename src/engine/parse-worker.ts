/**
 * The worker side of parse-pool.ts: runs analyzeDocument on the documents the main thread
 * sends, so a 5 MB feed never stalls the bot's event loop. Started by the pool only.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { analyzeDocument } from './analyze.ts';
import { serializeError, type ParseJob, type ParseReply, type ParseWorkerData } from './parse-pool.ts';

const data = workerData as Partial<ParseWorkerData> | null;
// The marker keeps this module inert if it is ever imported by some other thread (a test runner's).
if (parentPort && data?.alitaParseWorker) {
  const port = parentPort;
  const topic = data.topic!;
  port.on('message', ({ id, document, ...job }: ParseJob) => {
    const context = { feed: job.feed, ...(job.documentUrl ? { documentUrl: job.documentUrl } : {}), now: job.now, topic: job.topic ?? topic };
    // The callbacks keep only the id: the document's bytes can go once they are decoded.
    analyzeDocument(document, context).then(
      (judged) => port.postMessage({ id, ok: true, judged } satisfies ParseReply),
      (error: unknown) => port.postMessage({ id, ok: false, error: serializeError(error) } satisfies ParseReply),
    );
  });
  port.postMessage({ ready: true } satisfies ParseReply);
}
