/**
 * The REST side of ingestion jobs: starting one from uploaded files (staged by the service, never
 * at a client-chosen path), waiting for one when a script asks to, and following one as
 * server-sent events.
 */
import { jobsOf, type ServerContext } from '../http/context.js';
import { LibraryError } from '../library/errors.js';
import type { LabelFlags } from '../ingest/sources/discover.js';
import { FINISHED, type JobView } from '../service/jobs/job-queue.js';
import { jobItemJson, jobJson } from '../present/job-json.js';
import { Reply } from './route.js';
import type { JobUploadFormInput } from './schemas.js';

/** How often an event stream looks at its job. */
const EVENT_POLL_MS = 300;
/** A comment line this often keeps proxies from closing a quiet stream. */
const KEEPALIVE_MS = 15_000;

export function uploadLabels(form: Pick<JobUploadFormInput, 'vendor' | 'product' | 'version' | 'collection' | 'document' | 'title'>, files: number): LabelFlags {
  if (files > 1 && (form.document !== undefined || form.title !== undefined)) {
    throw new LibraryError('invalid_input', 'document and title name one document, but several files were sent', 'Leave them out (each file is named after itself), or send one file per request');
  }
  return {
    vendor: form.vendor, product: form.product, version: form.version,
    ...(form.collection === undefined ? {} : { collection: form.collection }),
    ...(form.document === undefined ? {} : { document: form.document }),
    ...(form.title === undefined ? {} : { title: form.title }),
  };
}

/** 202 with the queued job, or with `wait`, the ended job and its items (202 still when the client gave up first). */
export async function answerJob(ctx: ServerContext, job: JobView, wait: boolean, request: Request): Promise<Reply> {
  if (!wait) return new Reply(202, jobJson(job));
  const jobs = jobsOf(ctx);
  const ended = await jobs.wait(job.id, { signal: request.signal });
  return new Reply(FINISHED.has(ended.status) ? 200 : 202, jobJson(ended, await jobs.items(ended.id)));
}

/**
 * A job's progress as server-sent events: `progress` whenever it changes, `item` for each finished
 * item, and `end` once it has ended, after which the stream closes. A client that reconnects gets
 * the current state again.
 */
export async function jobEvents(ctx: ServerContext, id: string, request: Request): Promise<Response> {
  const jobs = jobsOf(ctx);
  await jobs.get(id); // an unknown job is a 404 before the stream starts
  const encoder = new TextEncoder();
  let timer: NodeJS.Timeout | undefined;
  const stream = new ReadableStream<Uint8Array>({
    start(controller) {
      let lastUpdate = '';
      let itemsSent = 0;
      let lastWrite = Date.now();
      const write = (text: string) => {
        controller.enqueue(encoder.encode(text));
        lastWrite = Date.now();
      };
      const send = (event: string, data: unknown) => write(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
      const close = () => {
        clearTimeout(timer);
        try {
          controller.close();
        } catch {
          // already closed by the client going away
        }
      };
      write('retry: 2000\n\n');
      const tick = async () => {
        if (request.signal.aborted) return close();
        try {
          for (const item of await jobs.items(id, { offset: itemsSent, limit: 200 })) {
            send('item', jobItemJson(item));
            itemsSent += 1;
          }
          const job = await jobs.get(id);
          if (request.signal.aborted) return close();
          const ended = FINISHED.has(job.status);
          if (job.updatedAt !== lastUpdate || ended) {
            lastUpdate = job.updatedAt;
            send(ended ? 'end' : 'progress', jobJson(job));
          }
          if (ended) return close();
          if (Date.now() - lastWrite > KEEPALIVE_MS) write(': keep-alive\n\n');
        } catch (error) {
          send('error', { message: (error as Error).message });
          return close();
        }
        timer = setTimeout(() => void tick(), EVENT_POLL_MS);
      };
      void tick();
    },
    cancel() {
      clearTimeout(timer);
    },
  });
  return new Response(stream, {
    headers: { 'Content-Type': 'text/event-stream; charset=utf-8', 'Cache-Control': 'no-cache, no-store', 'X-Accel-Buffering': 'no' },
  });
}
