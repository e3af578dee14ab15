/**
 * Ingestion jobs in PostgreSQL, shared by every node. A node takes the oldest queued job, or a
 * running one whose lease ran out (its node died), with `FOR UPDATE SKIP LOCKED`, so two nodes
 * never take the same job and neither waits for the other. The runner renews its lease while it
 * works; each item it finishes is recorded, so a job resumed elsewhere skips what is done. The files
 * a job adds are stored with it, so any node can run it.
 */
import type { JobStatus, StoredJobItem } from '../store.js';
import type { Pool } from './pg-pool.js';

/** The same states and item records as the embedded library's jobs (store.ts): one shape for both engines. */
export type PgJobStatus = JobStatus;
export type PgJobItem = StoredJobItem;

export interface PgJob {
  id: string;
  kind: string;
  status: PgJobStatus;
  request: unknown;
  progress: unknown;
  /** What a resumed run continues from (a crawl's saved state). */
  checkpoint?: unknown;
  result?: unknown;
  error?: string;
  owner?: string;
  leaseUntil?: string;
  cancelRequested: boolean;
  attempts: number;
  createdAt: string;
  startedAt?: string;
  finishedAt?: string;
  updatedAt: string;
}

interface JobRow {
  id: string; kind: string; status: PgJobStatus; request: unknown; progress: unknown; checkpoint: unknown; result: unknown; error: string | null;
  owner: string | null; lease_until: Date | null; cancel_requested: boolean; attempts: number; created_at: Date;
  started_at: Date | null; finished_at: Date | null; updated_at: Date;
}

function toJob(row: JobRow): PgJob {
  return {
    id: row.id, kind: row.kind, status: row.status, request: row.request, progress: row.progress,
    ...(row.checkpoint === null || row.checkpoint === undefined ? {} : { checkpoint: row.checkpoint }),
    ...(row.result === null ? {} : { result: row.result }),
    ...(row.error === null ? {} : { error: row.error }),
    ...(row.owner === null ? {} : { owner: row.owner }),
    ...(row.lease_until === null ? {} : { leaseUntil: row.lease_until.toISOString() }),
    cancelRequested: row.cancel_requested, attempts: row.attempts, createdAt: row.created_at.toISOString(),
    ...(row.started_at === null ? {} : { startedAt: row.started_at.toISOString() }),
    ...(row.finished_at === null ? {} : { finishedAt: row.finished_at.toISOString() }),
    updatedAt: row.updated_at.toISOString(),
  };
}

export class PgJobs {
  constructor(private readonly pool: Pool) {}

  /**
   * Queues a job with its files, in one transaction (a job is never seen without them). With
   * `owner` (the CLI, which runs its job itself) the job starts as running under that owner's lease.
   */
  async submit(job: { id: string; kind: string; request: unknown; files: { name: string; bytes: Uint8Array }[]; progress?: unknown; owner?: { name: string; leaseMs: number } }): Promise<PgJob> {
    const client = await this.pool.connect();
    try {
      await client.query('BEGIN');
      const owner = job.owner;
      await client.query(
        owner
          ? `INSERT INTO jobs (id, kind, status, request, progress, owner, lease_until, attempts, started_at)
             VALUES ($1, $2, 'running', $3, $4, $5, clock_timestamp() + $6 * interval '1 millisecond', 1, clock_timestamp())`
          : "INSERT INTO jobs (id, kind, status, request, progress) VALUES ($1, $2, 'queued', $3, $4)",
        [job.id, job.kind, JSON.stringify(job.request), JSON.stringify(job.progress ?? { done: 0, total: job.files.length }), ...(owner ? [owner.name, owner.leaseMs] : [])],
      );
      for (const [seq, file] of job.files.entries()) {
        await client.query('INSERT INTO job_files (job_id, seq, name, bytes) VALUES ($1, $2, $3, $4)', [job.id, seq, file.name, Buffer.from(file.bytes)]);
      }
      await client.query('COMMIT');
    } catch (error) {
      await client.query('ROLLBACK').catch(() => {});
      throw error;
    } finally {
      client.release();
    }
    return (await this.get(job.id))!;
  }

  async get(id: string): Promise<PgJob | undefined> {
    const { rows } = await this.pool.query<JobRow>('SELECT * FROM jobs WHERE id = $1', [id]);
    return rows[0] && toJob(rows[0]);
  }

  /** Newest first, optionally only those in `statuses`. */
  async list(limit = 50, statuses?: readonly PgJobStatus[]): Promise<PgJob[]> {
    return (await this.pool.query<JobRow>(
      'SELECT * FROM jobs WHERE $2::text[] IS NULL OR status = ANY($2::text[]) ORDER BY created_at DESC, id DESC LIMIT $1',
      [limit, statuses ? [...statuses] : null],
    )).rows.map(toJob);
  }

  /** Takes the oldest queued job, or a running one whose lease expired, for `owner` until `leaseMs` from now. */
  async claim(owner: string, leaseMs: number): Promise<PgJob | undefined> {
    const { rows } = await this.pool.query<JobRow>(
      `UPDATE jobs SET status = 'running', owner = $1, lease_until = clock_timestamp() + $2 * interval '1 millisecond',
         attempts = attempts + 1, started_at = coalesce(started_at, clock_timestamp()), updated_at = clock_timestamp()
       WHERE id = (
         SELECT id FROM jobs
         WHERE status = 'queued' OR (status = 'running' AND lease_until < clock_timestamp())
         ORDER BY created_at, id
         FOR UPDATE SKIP LOCKED
         LIMIT 1)
       RETURNING *`,
      [owner, leaseMs],
    );
    return rows[0] && toJob(rows[0]);
  }

  /**
   * Extends the lease and records progress, as the owner. Undefined when the job is no longer this
   * owner's (its lease expired and another node took it): the owner must stop.
   */
  async renew(id: string, owner: string, leaseMs: number, progress?: unknown, checkpoint?: unknown): Promise<{ cancelRequested: boolean } | undefined> {
    const { rows } = await this.pool.query<{ cancel_requested: boolean }>(
      `UPDATE jobs SET lease_until = clock_timestamp() + $3 * interval '1 millisecond', updated_at = clock_timestamp(),
         progress = coalesce($4::jsonb, progress), checkpoint = coalesce($5::jsonb, checkpoint)
       WHERE id = $1 AND owner = $2 AND status = 'running' RETURNING cancel_requested`,
      [id, owner, leaseMs, progress === undefined ? null : JSON.stringify(progress), checkpoint === undefined ? null : JSON.stringify(checkpoint)],
    );
    return rows[0] && { cancelRequested: rows[0].cancel_requested };
  }

  async files(id: string): Promise<{ seq: number; name: string; bytes: Buffer }[]> {
    return (await this.pool.query<{ seq: number; name: string; bytes: Buffer }>('SELECT seq, name, bytes FROM job_files WHERE job_id = $1 ORDER BY seq', [id])).rows;
  }

  /** Records what became of one item, as the owner (refused once the job is another's). */
  async addItem(id: string, owner: string, item: Omit<PgJobItem, 'seq'>): Promise<boolean> {
    const { rowCount } = await this.pool.query(
      `INSERT INTO job_items (job_id, seq, item, status, doc_id, pages, chunks, message, warnings)
       SELECT $1, coalesce((SELECT max(seq) FROM job_items WHERE job_id = $1), 0) + 1, $3, $4, $5, $6, $7, $8, $9
       WHERE EXISTS (SELECT 1 FROM jobs WHERE id = $1 AND owner = $2 AND status = 'running')`,
      [id, owner, item.item, item.status, item.docId ?? null, item.pages ?? null, item.chunks ?? null, item.message ?? null, JSON.stringify(item.warnings)],
    );
    return rowCount === 1;
  }

  async items(id: string, options: { offset?: number; limit?: number } = {}): Promise<PgJobItem[]> {
    const { rows } = await this.pool.query<{
      seq: number; item: string; status: string; doc_id: string | null; pages: number | null; chunks: number | null; message: string | null; warnings: string[];
    }>('SELECT * FROM job_items WHERE job_id = $1 ORDER BY seq OFFSET $2 LIMIT $3', [id, options.offset ?? 0, options.limit ?? null]);
    return rows.map((r) => ({
      seq: r.seq, item: r.item, status: r.status, warnings: r.warnings,
      ...(r.doc_id === null ? {} : { docId: r.doc_id }),
      ...(r.pages === null ? {} : { pages: r.pages }),
      ...(r.chunks === null ? {} : { chunks: r.chunks }),
      ...(r.message === null ? {} : { message: r.message }),
    }));
  }

  async finish(id: string, owner: string, status: Extract<PgJobStatus, 'done' | 'failed' | 'cancelled'>, outcome: { result?: unknown; error?: string; progress?: unknown } = {}): Promise<boolean> {
    const { rowCount } = await this.pool.query(
      `UPDATE jobs SET status = $3, result = $4, error = $5, progress = coalesce($6::jsonb, progress), owner = NULL, lease_until = NULL,
         finished_at = clock_timestamp(), updated_at = clock_timestamp()
       WHERE id = $1 AND owner = $2 AND status = 'running'`,
      [id, owner, status, outcome.result === undefined ? null : JSON.stringify(outcome.result), outcome.error ?? null,
        outcome.progress === undefined ? null : JSON.stringify(outcome.progress)],
    );
    return rowCount === 1;
  }

  /** Forgets the items of an earlier run (a resumed job that starts over), as the owner. */
  async clearItems(id: string, owner: string): Promise<void> {
    await this.pool.query(
      "DELETE FROM job_items WHERE job_id = $1 AND EXISTS (SELECT 1 FROM jobs WHERE id = $1 AND owner = $2 AND status = 'running')",
      [id, owner],
    );
  }

  /** Gives a running job back to the queue (its node is shutting down); another node resumes it. */
  async release(id: string, owner: string): Promise<void> {
    await this.pool.query(
      "UPDATE jobs SET status = 'queued', owner = NULL, lease_until = NULL, updated_at = clock_timestamp() WHERE id = $1 AND owner = $2 AND status = 'running'",
      [id, owner],
    );
  }

  /** A queued job is cancelled at once; a running one is asked to stop (its owner sees the flag). */
  async requestCancel(id: string): Promise<PgJob | undefined> {
    await this.pool.query(
      `UPDATE jobs SET cancel_requested = true, updated_at = clock_timestamp(),
         status = CASE WHEN status = 'queued' THEN 'cancelled' ELSE status END,
         finished_at = CASE WHEN status = 'queued' THEN clock_timestamp() ELSE finished_at END
       WHERE id = $1 AND status IN ('queued', 'running')`,
      [id],
    );
    return this.get(id);
  }
}
