/**
 * The jobs surfaces use on a scale-out node: the same requests, views and answers as the embedded
 * library's queue (jobs/job-queue.ts), held in PostgreSQL's shared queue. Whichever node takes a
 * job runs it (NodeJobRunner); any node reads its progress and items, and cancels it.
 */
import { LibraryError } from '../../library/errors.js';
import type { IngestProgress } from '../../ingest/progress.js';
import type { LabelFlags } from '../../ingest/sources/discover.js';
import type { PgJob } from '../../store/postgres/pg-jobs.js';
import type { JobStatus } from '../../store/store.js';
import { parseJobRequest, type JobRequest } from '../jobs/job-request.js';
import { emptyProgress } from '../jobs/job-progress.js';
import {
  alreadyEnded, FINISHED, JobQueue, isJobId, newJobId, noSuchJob, requireWebLabels, toView, type JobItem, type Jobs, type JobView, type WaitOptions, waitForJob,
} from '../jobs/job-queue.js';
import type { Library } from '../library.js';
import { NodeJobRunner, type RunHereOptions } from './job-runner.js';
import type { ScaleOutNode } from './scale-out-node.js';

/** An upload job as a view: its files by name, as the embedded library's uploads are shown. */
function view(job: PgJob): JobView {
  if (job.kind !== 'add-files') return toView(job);
  const request = job.request as { labels: LabelFlags; replace?: boolean; names?: string[] };
  const progress = job.progress as { done?: number; total?: number };
  return toView({
    ...job,
    kind: 'add-upload',
    request: { kind: 'add-upload', files: [], labels: request.labels, replace: request.replace ?? false },
    progress: { ...emptyProgress(), items: { done: progress.done ?? 0, total: progress.total ?? null } },
  });
}

export class NodeJobQueue implements Jobs {
  constructor(
    private readonly library: Library,
    private readonly node: ScaleOutNode,
    /** This node's runner, woken when a job is queued here; without one (the CLI) another node runs them. */
    private readonly runner?: Pick<NodeJobRunner, 'wake'>,
  ) {}

  async submit(input: unknown, id = newJobId()): Promise<JobView> {
    const request = parseJobRequest(input);
    refuseLocalFiles(request);
    requireWebLabels(request);
    const job = await this.node.jobs.submit({ id, kind: request.kind, request, files: [], progress: emptyProgress() });
    this.runner?.wake();
    return view(job);
  }

  /** Uploaded files are held in PostgreSQL with their job, so that any node can add them. */
  async submitUpload(files: readonly File[], labels: LabelFlags, replace: boolean): Promise<JobView> {
    const { vendor, product, version } = labels;
    if (!vendor || !product || !version) {
      throw new LibraryError('invalid_input', 'an upload to a scale-out node needs vendor, product and version', 'Give all three labels');
    }
    const held = await Promise.all(files.map(async (file) => ({ name: file.name, bytes: new Uint8Array(await file.arrayBuffer()) })));
    const job = await NodeJobRunner.submit(this.node.jobs, held, { ...labels, vendor, product, version }, replace);
    this.runner?.wake();
    return view(job);
  }

  async list(options: { limit?: number; statuses?: readonly JobStatus[] } = {}): Promise<JobView[]> {
    return (await this.node.jobs.list(options.limit ?? 50, options.statuses)).map(view);
  }

  async get(id: string): Promise<JobView> {
    const job = isJobId(id) ? await this.node.jobs.get(id) : undefined;
    if (!job) throw noSuchJob(id);
    return view(job);
  }

  async items(id: string, options: { offset?: number; limit?: number } = {}): Promise<JobItem[]> {
    await this.get(id);
    return this.node.jobs.items(id, options);
  }

  /** A queued job is cancelled at once; a running one stops at its owner's next lease renewal. */
  async cancel(id: string): Promise<JobView> {
    const before = await this.get(id);
    if (FINISHED.has(before.status)) throw alreadyEnded(id, before.status);
    await this.node.jobs.requestCancel(id);
    return this.get(id);
  }

  async wait(id: string, options: WaitOptions = {}): Promise<JobView> {
    // Another node may have run it: this node's replica and indexes show its documents first.
    const settle = async () => {
      await this.node.catchUp();
      await this.library.indexesCaughtUp();
    };
    return waitForJob(() => this.get(id), settle, options);
  }

  /**
   * The CLI's way: recorded in PostgreSQL under this process's lease and run here (see
   * NodeJobRunner.runHere). Files and folders stay this machine's job, in its own table: no other
   * node could read them, so none must resume it.
   */
  async runHere(input: unknown, progress?: IngestProgress, signal?: AbortSignal): Promise<JobView> {
    const request = parseJobRequest(input);
    if (request.kind === 'add-paths') return new JobQueue(this.library).runHere(request, progress, signal);
    refuseLocalFiles(request, 'add-upload');
    const options: RunHereOptions = { ...(progress ? { extra: progress } : {}), ...(signal ? { cancelled: signal } : {}) };
    return view(await new NodeJobRunner(this.library, this.node.jobs).runHere(newJobId(), request, options));
  }

  /** Runs queued jobs, and those whose node died, here, one after another. */
  async resumeHere(progressFor: (job: JobView) => IngestProgress | undefined, onDone: (job: JobView) => void): Promise<void> {
    await new NodeJobRunner(this.library, this.node.jobs).drain((job) => onDone(view(job)), (job) => progressFor(view(job)));
  }
}

/**
 * Paths and staged uploads name files on one machine, but a queued job may run on any node: those
 * are refused here (`kinds`), and files come as uploads, held with their job in PostgreSQL.
 */
function refuseLocalFiles(request: JobRequest, ...kinds: JobRequest['kind'][]): void {
  const refused = kinds.length > 0 ? kinds : ['add-paths', 'add-upload'];
  if (refused.includes(request.kind)) {
    throw new LibraryError(
      'invalid_input',
      `a ${request.kind} job names files on one machine, but on a scale-out node any node may run it`,
      'Upload the files (POST /api/documents, or a multipart POST /api/jobs), or add them with `mcdewey add` on the machine that has them',
    );
  }
}
