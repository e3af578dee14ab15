/**
 * A job kept in memory only, for the one case where the jobs table cannot take it: a disk too full
 * to record even the job. The CLI still runs the work, so that the document at hand fails with its
 * own message (which file, and that the disk is full) rather than the job failing unseen.
 */
import type { JobStore, StoredJob, StoredJobItem } from '../../store/store.js';

/** What a runner needs of the jobs table to run one job it owns. */
export type RunnerJobs = Pick<JobStore, 'get' | 'heartbeat' | 'addItem' | 'clearItems' | 'finish' | 'release'>;

export class UnrecordedJob implements RunnerJobs {
  private readonly items: StoredJobItem[] = [];

  constructor(readonly job: StoredJob) {}

  get(): StoredJob {
    return this.job;
  }

  heartbeat(_id: string, _owner: string, update: { progress?: unknown } = {}): { cancelRequested: boolean } {
    if (update.progress !== undefined) this.job.progress = update.progress;
    return { cancelRequested: false };
  }

  addItem(_id: string, item: Omit<StoredJobItem, 'seq'>): void {
    this.items.push({ ...item, seq: this.items.length + 1 });
  }

  clearItems(): void {
    this.items.length = 0;
  }

  finish(_id: string, _owner: string, status: StoredJob['status'], outcome: { error?: string; result?: unknown; progress?: unknown } = {}): void {
    Object.assign(this.job, { status, finishedAt: new Date().toISOString() }, outcome.error ? { error: outcome.error } : {}, outcome.result ? { result: outcome.result } : {});
    if (outcome.progress !== undefined) this.job.progress = outcome.progress;
  }

  release(): void {
    this.job.status = 'cancelled';
  }
}
