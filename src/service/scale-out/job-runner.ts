/**
 * Runs ingestion jobs from PostgreSQL on this node. Every writable node runs one; whichever takes a
 * job first runs it (see PgJobs.claim). The lease is renewed while the job runs, so a node killed
 * mid-job stops renewing and another node resumes the job once the lease runs out. Each document
 * is committed in one transaction, and each finished file is recorded, so the resumed job skips
 * what is done and nothing is applied by halves.
 *
 * Besides uploaded files (`add-files`), a node runs the embedded library's job requests (a URL, a
 * site crawl, refresh, re-label, re-index) through the same use cases (run-job.ts); a crawl's
 * checkpoint is stored with the lease, so the node that resumes it continues where it stopped.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import { LibraryError } from '../../library/errors.js';
import { slugify } from '../../library/slug.js';
import type { PgJob, PgJobs } from '../../store/postgres/pg-jobs.js';
import type { IngestProgress } from '../../ingest/progress.js';
import { failureMessage } from '../../library/storage-failure.js';
import type { Library } from '../library.js';
import { parseJobRequest, type JobRequest } from '../jobs/job-request.js';
import { continuesWhenResumed, emptyProgress, jobItemOf, JobProgressRecorder, teeProgress, type JobProgress } from '../jobs/job-progress.js';
import { runJobRequest, type JobOutcome } from '../jobs/run-job.js';

export const ADD_FILES = 'add-files';

/** What an add-files job carries besides its files: the labels `mcdewey add` would be given. */
export const AddFilesRequest = z.object({
  labels: z.object({
    vendor: z.string().min(1),
    product: z.string().min(1),
    version: z.string().min(1),
    collection: z.string().min(1).optional(),
    title: z.string().min(1).optional(),
  }).strict(),
  replace: z.boolean().optional(),
}).strict();
export type AddFilesRequest = z.infer<typeof AddFilesRequest>;

export interface RunnerOptions {
  /** How long a job stays this node's without a renewal; another node resumes it after. */
  leaseMs?: number;
  /** Milliseconds between looks at the queue when idle. */
  pollMs?: number;
}

const DEFAULT_LEASE_MS = 15_000;

/** How a job run here (the CLI's) is watched: its bars, and Ctrl-C to cancel it. */
export interface RunHereOptions {
  extra?: IngestProgress;
  cancelled?: AbortSignal;
}

export class NodeJobRunner {
  readonly owner = `${os.hostname()}:${process.pid}:${randomBytes(4).toString('hex')}`;
  private timer: NodeJS.Timeout | undefined;
  private current: Promise<void> | undefined;
  private stopping = false;
  /** Aborted when this node stops: the request jobs running here give themselves back. */
  private readonly stopSignals = new Set<AbortController>();

  constructor(private readonly library: Library, private readonly jobs: PgJobs, private readonly options: RunnerOptions = {}) {}

  start(): void {
    this.timer = setInterval(() => this.tick(), this.options.pollMs ?? 500);
    this.timer.unref();
    this.tick();
  }

  /** A job was queued here: look at the queue now rather than at the next poll. */
  wake(): void {
    this.tick();
  }

  private get leaseMs(): number {
    return this.options.leaseMs ?? DEFAULT_LEASE_MS;
  }

  private tick(): void {
    if (this.current || this.stopping) return;
    this.current = (async () => {
      for (;;) {
        const job = await this.jobs.claim(this.owner, this.leaseMs);
        if (!job || this.stopping) {
          if (job) await this.jobs.release(job.id, this.owner);
          return;
        }
        await this.run(job);
      }
    })()
      .catch((error: unknown) => console.error(`mcdewey jobs: ${(error as Error).message}`))
      .finally(() => (this.current = undefined));
  }

  private async run(job: PgJob, options: RunHereOptions = {}): Promise<void> {
    if (job.kind !== ADD_FILES) return this.runRequest(job, options);
    let lost = false;
    let cancelled = job.cancelRequested;
    let progress = { done: 0, total: 0 };
    const renew = async () => {
      const state = await this.jobs.renew(job.id, this.owner, this.leaseMs, progress).catch(() => ({ cancelRequested: cancelled }));
      if (!state) lost = true;
      else cancelled ||= state.cancelRequested;
    };
    const renewer = setInterval(() => void renew(), Math.max(100, Math.floor(this.leaseMs / 3)));
    const staging = path.join(this.library.dir.tmpDir, `job-${job.id}`);
    try {
      const request = parseRequest(job);
      const finished = new Set((await this.jobs.items(job.id)).map((i) => i.item));
      const files = await this.jobs.files(job.id);
      progress = { done: finished.size, total: files.length };
      fs.mkdirSync(staging, { recursive: true });
      for (const file of files) {
        const item = `${file.seq}:${file.name}`;
        if (finished.has(item)) continue;
        if (lost || this.stopping) break;
        if (cancelled) break;
        // One folder per file, so the file keeps its own name (which names the document).
        const staged = path.join(staging, String(file.seq), stagedName(file.name));
        fs.mkdirSync(path.dirname(staged), { recursive: true });
        fs.writeFileSync(staged, file.bytes);
        const sources = this.library.plan([staged], request.labels).map((source) => ({ ...source, originalFile: file.name }));
        for (const result of await this.library.add(sources, undefined, request.replace ? { replace: true } : {})) {
          await this.jobs.addItem(job.id, this.owner, {
            item, status: result.status, warnings: result.warnings,
            ...(result.docId ? { docId: result.docId } : {}),
            ...(result.pages === undefined ? {} : { pages: result.pages }),
            ...(result.chunks === undefined ? {} : { chunks: result.chunks }),
            ...(result.error ? { message: result.error.replaceAll(staged, file.name) } : {}),
          });
        }
        fs.rmSync(staged, { force: true });
        progress = { ...progress, done: progress.done + 1 };
        await renew();
      }
      if (lost) return;
      if (this.stopping && progress.done < progress.total) {
        await this.jobs.release(job.id, this.owner);
        return;
      }
      const items = await this.jobs.items(job.id);
      const failed = items.filter((i) => i.status === 'failed').length;
      await this.jobs.finish(job.id, this.owner, cancelled ? 'cancelled' : 'done', {
        progress, result: { files: files.length, failed, added: items.filter((i) => i.status === 'added').length },
      });
    } catch (error) {
      if (!lost) await this.jobs.finish(job.id, this.owner, 'failed', { error: (error as Error).message, progress });
    } finally {
      clearInterval(renewer);
      fs.rmSync(staging, { recursive: true, force: true });
    }
  }

  /**
   * Runs a job request (not uploaded files) this runner owns, as the embedded runner does: progress
   * and items recorded as it goes, the lease renewed with the latest progress and checkpoint, a
   * cancel request noticed at the renewal. Stopping this node gives the job back to the queue.
   */
  private async runRequest(job: PgJob, options: RunHereOptions): Promise<void> {
    const cancel = new AbortController();
    const stopping = new AbortController();
    options.cancelled?.addEventListener('abort', () => cancel.abort(), { once: true });
    if (job.cancelRequested) cancel.abort();
    this.stopSignals.add(stopping);
    const signal = AbortSignal.any([cancel.signal, stopping.signal]);
    let lost = false;
    let progress: JobProgress | undefined;
    let checkpoint: unknown;
    // Items and renewals go out in order, one at a time, so a checkpoint never overtakes the items before it.
    let writes: Promise<unknown> = Promise.resolve();
    const queue = (write: () => Promise<unknown>) => {
      writes = writes.then(write).catch((error: unknown) => console.error(`mcdewey jobs: recording job ${job.id}: ${(error as Error).message}`));
      return writes;
    };
    const renew = () => queue(async () => {
      const state = await this.jobs.renew(job.id, this.owner, this.leaseMs, progress, checkpoint);
      if (!state) {
        lost = true; // another node took it over: stop without touching it again
        cancel.abort();
      } else if (state.cancelRequested) cancel.abort();
    });
    const resumed = job.attempts > 1 && continuesWhenResumed(job.kind) ? { ...emptyProgress(), ...(job.progress as Partial<JobProgress>) } : undefined;
    if (job.attempts > 1 && !resumed) await this.jobs.clearItems(job.id, this.owner);
    const recorder = new JobProgressRecorder({
      progress: (state) => (progress = state),
      item: (outcome) => void queue(() => this.jobs.addItem(job.id, this.owner, jobItemOf(outcome))),
    }, resumed);
    const renewer = setInterval(() => void renew(), Math.max(100, Math.floor(this.leaseMs / 3)));
    let outcome: JobOutcome;
    try {
      const request: JobRequest = parseJobRequest(job.request);
      outcome = await runJobRequest(request, {
        library: this.library,
        progress: options.extra ? teeProgress(recorder, options.extra) : recorder,
        signal,
        ...(job.checkpoint === undefined ? {} : { checkpoint: job.checkpoint }),
        saveCheckpoint: (state) => {
          checkpoint = state;
          void renew();
        },
      });
    } catch (error) {
      outcome = signal.aborted ? { status: 'cancelled', summary: 'cancelled' } : { status: 'failed', summary: 'failed', error: failureMessage(error) };
    } finally {
      clearInterval(renewer);
      this.stopSignals.delete(stopping);
    }
    await writes;
    if (lost) return;
    if (stopping.signal.aborted && !cancel.signal.aborted) {
      // The last checkpoint goes with the job, so whichever node takes it next continues from there.
      await renew();
      await this.jobs.release(job.id, this.owner);
      return;
    }
    await this.jobs.finish(job.id, this.owner, outcome.status, {
      ...(outcome.error ? { error: outcome.error } : {}),
      result: { summary: outcome.summary, ...(outcome.details ? { details: outcome.details } : {}) },
      progress: recorder.state,
    });
  }

  /**
   * The CLI's way: the job is recorded in PostgreSQL as running under this process's lease and run
   * here (`extra` drawing the bars, `cancelled` for Ctrl-C). Had this process died, a serve node
   * resumes the job once the lease runs out.
   */
  async runHere(id: string, request: JobRequest, options: RunHereOptions = {}): Promise<PgJob> {
    const job = await this.jobs.submit({ id, kind: request.kind, request, files: [], progress: emptyProgress(), owner: { name: this.owner, leaseMs: this.leaseMs } });
    await this.run(job, options);
    return (await this.jobs.get(id))!;
  }

  /** Runs queued jobs, and those whose node died, here, one after another until there are none. */
  async drain(onDone: (job: PgJob) => void, progressFor?: (job: PgJob) => IngestProgress | undefined): Promise<void> {
    for (;;) {
      const job = await this.jobs.claim(this.owner, this.leaseMs);
      if (!job) return;
      const extra = progressFor?.(job);
      await this.run(job, extra ? { extra } : {});
      onDone((await this.jobs.get(job.id))!);
    }
  }

  /** Queues files to add with these labels; whichever node takes the job first runs it. */
  static async submit(jobs: PgJobs, files: { name: string; bytes: Uint8Array }[], labels: AddFilesRequest['labels'], replace = false): Promise<PgJob> {
    const request = AddFilesRequest.parse({ labels, ...(replace ? { replace } : {}) });
    return jobs.submit({ id: `${Date.now().toString(36)}${randomBytes(5).toString('hex')}`, kind: ADD_FILES, request, files });
  }

  /** Stops taking jobs; a job in progress is given back to the queue after its current file. */
  async stop(): Promise<void> {
    this.stopping = true;
    clearInterval(this.timer);
    for (const stop of this.stopSignals) stop.abort();
    await this.current;
  }
}

function parseRequest(job: PgJob): AddFilesRequest {
  if (job.kind !== ADD_FILES) throw new LibraryError('invalid_input', `job ${job.id} is of kind "${job.kind}", which this node cannot run`, 'Upgrade this node to the McDewey version that queued it');
  const parsed = AddFilesRequest.safeParse(job.request);
  if (!parsed.success) throw new LibraryError('invalid_input', `job ${job.id} has an invalid request: ${parsed.error.issues.map((i) => i.message).join('; ')}`);
  return parsed.data;
}

/** A name made of slug characters only, keeping the extension that tells the converter the format. */
function stagedName(name: string): string {
  const base = path.basename(name.replace(/\\/g, '/'));
  const extension = /\.[a-z0-9]{1,8}$/i.exec(base)?.[0].toLowerCase() ?? '';
  let stem: string;
  try {
    stem = slugify(base.slice(0, base.length - extension.length), 'file name');
  } catch {
    stem = 'upload';
  }
  return `${stem}${extension}`;
}
