/**
 * What surfaces ask of jobs: submit one, list them, read one with its items, cancel one, wait for
 * one. The CLI runs its jobs in its own process (with its bars) through the same table; a server
 * hands them to its job thread. Either way a job is durable: it survives the process that ran it.
 * A scale-out node answers the same questions from PostgreSQL's queue (scale-out/node-job-queue.ts).
 */
import { randomBytes } from 'node:crypto';
import { LibraryError } from '../../library/errors.js';
import type { IngestProgress } from '../../ingest/progress.js';
import type { JobStatus, StoredJob, StoredJobItem } from '../../store/store.js';
import type { Library } from '../library.js';
import { parseJobRequest, type JobRequest, type JobKind } from './job-request.js';
import { emptyProgress, type JobProgress } from './job-progress.js';
import { JobRunner } from './job-runner.js';
import { UnrecordedJob } from './unrecorded-job.js';
import { storageFailure } from '../../library/storage-failure.js';
import type { LabelFlags } from '../../ingest/sources/discover.js';
import { requireLabels } from '../web-ingest.js';
import { discardUploads, stageUploads } from './upload-staging.js';
import type { JobWorker } from './job-worker.js';

export interface JobView {
  id: string;
  kind: JobKind;
  status: JobStatus;
  request: JobRequest;
  progress: JobProgress;
  /** What the job did, once it ended. */
  summary?: string;
  details?: Record<string, unknown>;
  error?: string;
  /** Runs of this job: more than one means it was resumed after an interruption. */
  attempts: number;
  cancelRequested: boolean;
  createdAt: string;
  startedAt?: string;
  finishedAt?: string;
  updatedAt: string;
}

export type JobItem = StoredJobItem;

export const FINISHED: ReadonlySet<JobStatus> = new Set(['done', 'failed', 'cancelled']);

const JOB_ID = /^[a-z0-9]{12,32}$/;

/** What a job view is made from: a job as either engine stores it. */
export type ViewedJob = Pick<StoredJob, 'id' | 'kind' | 'status' | 'request' | 'progress' | 'result' | 'error' | 'attempts' | 'cancelRequested' | 'createdAt' | 'startedAt' | 'finishedAt' | 'updatedAt'>;

/** The jobs surfaces use, whichever store holds them (see `jobsFor`). */
export interface Jobs {
  submit(input: unknown): Promise<JobView>;
  submitUpload(files: readonly File[], labels: LabelFlags, replace: boolean): Promise<JobView>;
  list(options?: { limit?: number; statuses?: readonly JobStatus[] }): Promise<JobView[]>;
  get(id: string): Promise<JobView>;
  items(id: string, options?: { offset?: number; limit?: number }): Promise<JobItem[]>;
  cancel(id: string): Promise<JobView>;
  wait(id: string, options?: WaitOptions): Promise<JobView>;
  runHere(input: unknown, progress?: IngestProgress, signal?: AbortSignal): Promise<JobView>;
  resumeHere(progressFor: (job: JobView) => IngestProgress | undefined, onDone: (job: JobView) => void): Promise<void>;
}

/** A fresh job id: time-ordered, then random (ids appear in URLs, so only [a-z0-9]). */
export function newJobId(): string {
  return `${Date.now().toString(36)}${randomBytes(5).toString('hex')}`;
}

/** A job id as this program makes them (anything else is not looked up). */
export function isJobId(id: string): boolean {
  return JOB_ID.test(id);
}

/** Labels a web source cannot do without, refused when the job is submitted rather than when it runs. */
export function requireWebLabels(request: JobRequest): void {
  if (request.kind === 'add-url') requireLabels(request.labels, request.url, 'URL');
  if (request.kind === 'add-site') requireLabels(request.labels, request.url, 'site');
}

export function noSuchJob(id: string): LibraryError {
  return new LibraryError('not_found', `no job "${id.slice(0, 60)}"`, 'List jobs with `mcdewey jobs` or GET /api/jobs');
}

export function alreadyEnded(id: string, status: JobStatus): LibraryError {
  return new LibraryError('conflict', `job ${id} already ended (${status})`, 'Only queued and running jobs can be cancelled');
}

export interface WaitOptions {
  timeoutMs?: number;
  signal?: AbortSignal;
  pollMs?: number;
}

/**
 * Polls a job until it has ended (or `signal` aborts, or the time is up) and returns its last
 * state; `settle` runs once it has ended, before it is returned (searches must see its documents).
 */
export async function waitForJob(get: () => Promise<JobView>, settle: () => Promise<void>, options: WaitOptions = {}): Promise<JobView> {
  const deadline = Date.now() + (options.timeoutMs ?? Number.POSITIVE_INFINITY);
  for (;;) {
    const job = await get();
    if (FINISHED.has(job.status)) {
      await settle();
      return job;
    }
    if (options.signal?.aborted || Date.now() >= deadline) return job;
    await new Promise((resolve) => setTimeout(resolve, options.pollMs ?? 200));
  }
}

export function toView(job: ViewedJob): JobView {
  const result = (job.result ?? {}) as { summary?: string; details?: Record<string, unknown> };
  return {
    id: job.id,
    kind: job.kind as JobKind,
    status: job.status,
    request: job.request as JobRequest,
    progress: { ...emptyProgress(), ...(job.progress as Partial<JobProgress>) },
    ...(result.summary ? { summary: result.summary } : {}),
    ...(result.details ? { details: result.details } : {}),
    ...(job.error ? { error: job.error } : {}),
    attempts: job.attempts,
    cancelRequested: job.cancelRequested,
    createdAt: job.createdAt,
    ...(job.startedAt ? { startedAt: job.startedAt } : {}),
    ...(job.finishedAt ? { finishedAt: job.finishedAt } : {}),
    updatedAt: job.updatedAt,
  };
}

export class JobQueue implements Jobs {
  constructor(
    private readonly library: Library,
    /** The server's job thread; without one (the CLI), jobs run here through `runHere` and `resumeHere`. */
    private readonly worker?: Pick<JobWorker, 'wake' | 'cancel'>,
  ) {}

  /** Validates and queues a job for the job thread; a web source without its labels is refused now, not later. */
  async submit(input: unknown, id = newJobId()): Promise<JobView> {
    const request = parseJobRequest(input);
    requireWebLabels(request);
    const job = this.library.jobTable().create({ id, kind: request.kind, request, progress: emptyProgress() });
    this.worker?.wake();
    return toView(job);
  }

  /** Stages uploaded files (see upload-staging.ts) and queues the job that adds them. */
  async submitUpload(files: readonly File[], labels: LabelFlags, replace: boolean): Promise<JobView> {
    const id = newJobId();
    const staged = await stageUploads(this.library.dir, id, files);
    try {
      return await this.submit({ kind: 'add-upload', files: staged, labels, replace }, id);
    } catch (error) {
      discardUploads(this.library.dir, id);
      throw error;
    }
  }

  async list(options: { limit?: number; statuses?: readonly JobStatus[] } = {}): Promise<JobView[]> {
    return this.library.jobTable().list(options).map(toView);
  }

  async get(id: string): Promise<JobView> {
    const job = isJobId(id) ? this.library.jobTable().get(id) : undefined;
    if (!job) throw noSuchJob(id);
    return toView(job);
  }

  async items(id: string, options: { offset?: number; limit?: number } = {}): Promise<JobItem[]> {
    await this.get(id);
    return this.library.jobTable().items(id, options);
  }

  /** Cancels a queued job at once; a running one stops at its next item (a crawl keeps what it added). */
  async cancel(id: string): Promise<JobView> {
    const before = await this.get(id);
    if (FINISHED.has(before.status)) throw alreadyEnded(id, before.status);
    this.library.jobTable().requestCancel(id);
    this.worker?.cancel(id);
    return this.get(id);
  }

  /** Resolves once the job has ended (or `signal` aborts, or the time is up), with its last state. */
  async wait(id: string, options: WaitOptions = {}): Promise<JobView> {
    // The job thread wrote through its own connection: searches here see it once the indexes follow.
    return waitForJob(() => this.get(id), () => this.library.indexesCaughtUp(), options);
  }

  /**
   * The CLI's way: the job is recorded as running in this process and run here, `progress` drawing
   * the bars; `signal` (Ctrl-C) cancels it.
   */
  async runHere(input: unknown, progress?: IngestProgress, signal?: AbortSignal): Promise<JobView> {
    const request = parseJobRequest(input);
    const runner = new JobRunner(this.library);
    const options = { ...(progress ? { extra: progress } : {}), ...(signal ? { cancelled: signal } : {}) };
    const fields = { id: newJobId(), kind: request.kind, request, progress: emptyProgress(), owner: runner.owner };
    let job: StoredJob;
    try {
      job = this.library.jobTable().create(fields);
    } catch (error) {
      if (storageFailure(error)?.code !== 'disk_full') throw error;
      const now = new Date().toISOString();
      const unrecorded = new UnrecordedJob({ ...fields, status: 'running', cancelRequested: false, attempts: 1, createdAt: now, startedAt: now, updatedAt: now });
      return toView(await runner.run(unrecorded.job, { ...options, jobs: unrecorded }));
    }
    return toView(await runner.run(job, options));
  }

  /** Runs queued jobs and those whose process died, here, one after another. */
  async resumeHere(progressFor: (job: JobView) => IngestProgress | undefined, onDone: (job: JobView) => void): Promise<void> {
    await new JobRunner(this.library).drain(undefined, (job) => progressFor(toView(job)), (job) => onDone(toView(job)));
  }
}
