/**
 * How the CLI runs ingestion: as jobs recorded in the library (so `mcdewey jobs` lists them and a
 * killed run can be resumed), executed right here with the usual progress bars. Ctrl-C cancels the
 * running job; what it already added stays.
 */
import type { FileOutcome, IngestProgress } from '../ingest/progress.js';
import type { JobView } from '../service/jobs/job-queue.js';
import { jobsFor } from '../service/jobs/jobs-for.js';
import { teeProgress } from '../service/jobs/job-progress.js';
import type { JobRequestInput } from '../service/jobs/job-request.js';
import type { Library } from '../service/library.js';
import { createProgress } from './progress.js';

export interface JobsRun {
  jobs: JobView[];
  /** Every item of every job, as it finished. */
  outcomes: FileOutcome[];
}

function collecting(outcomes: FileOutcome[]): IngestProgress {
  return { start() {}, fileStarted() {}, embedding() {}, fileFinished: (outcome) => outcomes.push(outcome), finish() {} };
}

export async function runJobs(library: Library, requests: JobRequestInput[], quiet: boolean): Promise<JobsRun> {
  const queue = jobsFor(library);
  const outcomes: FileOutcome[] = [];
  const progress = teeProgress(createProgress(process.stderr, quiet), collecting(outcomes));
  const interrupt = new AbortController();
  const onSigint = () => {
    process.stderr.write('\ncancelling (what was added stays)…\n');
    interrupt.abort();
  };
  process.once('SIGINT', onSigint);
  const jobs: JobView[] = [];
  try {
    for (const request of requests) {
      if (interrupt.signal.aborted) break;
      jobs.push(await queue.runHere(request, progress, interrupt.signal));
    }
  } finally {
    process.off('SIGINT', onSigint);
  }
  return { jobs, outcomes };
}

/** Counts of item outcomes by status. */
export function countOutcomes(outcomes: readonly FileOutcome[]): Record<string, number> {
  const counts: Record<string, number> = { added: 0, updated: 0, relabelled: 0, unchanged: 0, removed: 0, failed: 0 };
  for (const outcome of outcomes) counts[outcome.status] = (counts[outcome.status] ?? 0) + 1;
  return counts;
}

/**
 * Jobs that failed as a whole before any item (a refused start URL, a bad option), with their
 * error; a job whose items all failed has said why item by item already.
 */
export function failedJobs(run: JobsRun): JobView[] {
  return run.jobs.filter((job) => job.status === 'failed' && job.error !== undefined && job.progress.items.done === 0);
}
