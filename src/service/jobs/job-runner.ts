/**
 * Runs jobs from the jobs table as one owner (a process, or a thread of one): claims them, keeps
 * them alive with a heartbeat, records their progress, items and checkpoints, notices a cancel
 * request, and finishes them. A job whose owner died (a crash, a kill) is taken over by the next
 * runner and resumed; a runner shutting down gives its job back to the queue instead of failing it.
 */
import fs from 'node:fs';
import os from 'node:os';
import { randomUUID } from 'node:crypto';
import { failureMessage, storageFailure } from '../../library/storage-failure.js';
import { resolveInside } from '../../library/paths.js';
import type { IngestProgress } from '../../ingest/progress.js';
import type { StoredJob } from '../../store/store.js';
import type { Library } from '../library.js';
import { parseJobRequest } from './job-request.js';
import { continuesWhenResumed, jobItemOf, JobProgressRecorder, teeProgress, type JobProgress } from './job-progress.js';
import { runJobRequest, type JobOutcome } from './run-job.js';
import type { RunnerJobs } from './unrecorded-job.js';

/** A running job with no sign of life for this long is taken over, whatever its owner's process looks like. */
const STALE_MS = 60_000;
const HEARTBEAT_MS = 1000;

/** `host:pid:nonce`: enough to tell, on the same host, whether the owner's process still lives. */
function newOwner(): string {
  return `${os.hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Whether a running job's owner is gone: its process died (same host), or it has been silent too long. */
export function abandoned(job: StoredJob, now = Date.now()): boolean {
  if (!job.owner) return true;
  if (now - (job.heartbeatAt ?? 0) > STALE_MS) return true;
  const parts = job.owner.split(':');
  const pid = Number(parts[parts.length - 2]);
  const host = parts.slice(0, -2).join(':');
  return host === os.hostname() && Number.isInteger(pid) && !processAlive(pid);
}

/**
 * Records a job's progress, items or checkpoint. A disk too full for that bookkeeping is no reason
 * to stop the work: the ingestion meets the same disk, fails the document at hand and says so
 * itself, and the job's end is recorded (or, failing that, the job resumed) later.
 */
function bookkeeping<T>(write: () => T, fallback: T): T {
  try {
    return write();
  } catch (error) {
    if (storageFailure(error)?.code !== 'disk_full') throw error;
    return fallback;
  }
}

export class JobRunner {
  readonly owner = newOwner();
  private readonly cancels = new Map<string, AbortController>();

  constructor(private readonly library: Library) {}

  /** Asks the job to stop now if this runner is running it (the jobs table holds the request as well). */
  cancel(id: string): void {
    this.cancels.get(id)?.abort();
  }

  /** Takes the next queued or abandoned job, if any. */
  claim(): StoredJob | undefined {
    return this.library.jobTable().claim(this.owner, (job) => abandoned(job));
  }

  /**
   * Runs a job this runner owns to its end. `shutdown` gives it back to the queue instead (a server
   * stopping); `cancelled` cancels it (Ctrl-C in the CLI); `extra` also receives the progress (the
   * CLI's bars).
   */
  async run(job: StoredJob, options: { extra?: IngestProgress; shutdown?: AbortSignal; cancelled?: AbortSignal; jobs?: RunnerJobs } = {}): Promise<StoredJob> {
    const { extra, shutdown } = options;
    const jobs = options.jobs ?? this.library.jobTable();
    const cancel = new AbortController();
    options.cancelled?.addEventListener('abort', () => cancel.abort(), { once: true });
    this.cancels.set(job.id, cancel);
    const signal = shutdown ? AbortSignal.any([cancel.signal, shutdown]) : cancel.signal;
    let lost = false;
    const alive = (update?: { progress?: unknown; checkpoint?: unknown }) => {
      const answer = bookkeeping(() => jobs.heartbeat(job.id, this.owner, update), { cancelRequested: false });
      if (!answer) {
        lost = true; // another runner took it over: stop without touching it again
        cancel.abort();
      } else if (answer.cancelRequested) cancel.abort();
    };
    const resumed = job.attempts > 1 && continuesWhenResumed(job.kind) ? (job.progress as JobProgress) : undefined;
    if (job.attempts > 1 && !resumed) jobs.clearItems(job.id);
    const recorder = new JobProgressRecorder({
      progress: (progress) => alive({ progress }),
      item: (outcome) => bookkeeping(() => jobs.addItem(job.id, jobItemOf(outcome)), undefined),
    }, resumed);
    const timer = setInterval(() => alive(), HEARTBEAT_MS);
    let outcome: JobOutcome;
    try {
      if (job.cancelRequested) cancel.abort();
      const request = parseJobRequest(job.request);
      outcome = await runJobRequest(request, {
        library: this.library,
        progress: extra ? teeProgress(recorder, extra) : recorder,
        signal,
        ...(job.checkpoint === undefined ? {} : { checkpoint: job.checkpoint }),
        saveCheckpoint: (checkpoint) => alive({ checkpoint }),
      });
    } catch (error) {
      outcome = signal.aborted
        ? { status: 'cancelled', summary: 'cancelled' }
        : { status: 'failed', summary: 'failed', error: failureMessage(error) };
    } finally {
      clearInterval(timer);
      this.cancels.delete(job.id);
    }
    if (!lost) {
      // Unrecorded on a full disk, the job stays "running" under a dead owner and is resumed later.
      if (shutdown?.aborted && !cancel.signal.aborted) bookkeeping(() => jobs.release(job.id, this.owner), undefined);
      else {
        bookkeeping(() => jobs.finish(job.id, this.owner, outcome.status, {
          ...(outcome.error ? { error: outcome.error } : {}),
          result: { summary: outcome.summary, ...(outcome.details ? { details: outcome.details } : {}) },
          progress: recorder.state,
        }), undefined);
        fs.rmSync(resolveInside(this.library.dir.uploadsDir, job.id), { recursive: true, force: true });
      }
    }
    return jobs.get(job.id)!;
  }

  /** Runs queued and abandoned jobs one after another until there are none (or `shutdown`). */
  async drain(shutdown?: AbortSignal, extra?: (job: StoredJob) => IngestProgress | undefined, onDone?: (job: StoredJob) => void): Promise<void> {
    while (!shutdown?.aborted) {
      const job = this.claim();
      if (!job) return;
      const progress = extra?.(job);
      const finished = await this.run(job, { ...(progress ? { extra: progress } : {}), ...(shutdown ? { shutdown } : {}) });
      onDone?.(finished);
    }
  }
}
