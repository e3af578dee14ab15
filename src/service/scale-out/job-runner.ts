/**
 * Runs ingestion jobs from PostgreSQL on this node. Every writable node runs one; whichever takes a
 * job first runs it (see PgJobs.claim). The lease is renewed while the job runs, so a node killed
 * mid-job stops renewing and another node resumes the job once the lease runs out. Each document
 * is committed in one transaction, and each finished file is recorded, so the resumed job skips
 * what is done and nothing is applied by halves.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import { LibraryError } from '../../library/errors.js';
import { slugify } from '../../library/slug.js';
import type { PgJob, PgJobs } from '../../store/postgres/pg-jobs.js';
import type { Library } from '../library.js';

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
}).strict();
export type AddFilesRequest = z.infer<typeof AddFilesRequest>;

export interface RunnerOptions {
  /** How long a job stays this node's without a renewal; another node resumes it after. */
  leaseMs?: number;
  /** Milliseconds between looks at the queue when idle. */
  pollMs?: number;
}

const DEFAULT_LEASE_MS = 15_000;

export class NodeJobRunner {
  readonly owner = `${os.hostname()}:${process.pid}:${randomBytes(4).toString('hex')}`;
  private timer: NodeJS.Timeout | undefined;
  private current: Promise<void> | undefined;
  private stopping = false;

  constructor(private readonly library: Library, private readonly jobs: PgJobs, private readonly options: RunnerOptions = {}) {}

  start(): void {
    this.timer = setInterval(() => this.tick(), this.options.pollMs ?? 500);
    this.timer.unref();
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

  private async run(job: PgJob): Promise<void> {
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
        for (const result of await this.library.add(sources)) {
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

  /** Queues files to add with these labels; whichever node takes the job first runs it. */
  static async submit(jobs: PgJobs, files: { name: string; bytes: Uint8Array }[], labels: AddFilesRequest['labels']): Promise<PgJob> {
    const request = AddFilesRequest.parse({ labels });
    return jobs.submit({ id: `${Date.now().toString(36)}${randomBytes(5).toString('hex')}`, kind: ADD_FILES, request, files });
  }

  /** Stops taking jobs; a job in progress is given back to the queue after its current file. */
  async stop(): Promise<void> {
    this.stopping = true;
    clearInterval(this.timer);
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
