/**
 * The jobs and job_items tables. Every state change is one short transaction; claiming a job runs
 * under the write lock (BEGIN IMMEDIATE), so two runners, in any processes, never take the same one.
 */
import type { JobStatus, JobStore, StoredJob, StoredJobItem } from '../store.js';
import type { Connection } from './connection.js';

interface JobRow {
  id: string; kind: string; status: JobStatus; request: string; progress: string; checkpoint: string | null;
  result: string | null; error: string | null; owner: string | null; heartbeat_at: number | null;
  cancel_requested: number; attempts: number; created_at: string; started_at: string | null; finished_at: string | null;
  updated_at: string;
}

interface ItemRow {
  seq: number; item: string; status: string; doc_id: string | null; pages: number | null; chunks: number | null;
  message: string | null; warnings: string;
}

function toJob(row: JobRow): StoredJob {
  const job: StoredJob = {
    id: row.id,
    kind: row.kind,
    status: row.status,
    request: JSON.parse(row.request),
    progress: JSON.parse(row.progress),
    cancelRequested: row.cancel_requested === 1,
    attempts: row.attempts,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
  if (row.checkpoint !== null) job.checkpoint = JSON.parse(row.checkpoint);
  if (row.result !== null) job.result = JSON.parse(row.result);
  if (row.error !== null) job.error = row.error;
  if (row.owner !== null) job.owner = row.owner;
  if (row.heartbeat_at !== null) job.heartbeatAt = row.heartbeat_at;
  if (row.started_at !== null) job.startedAt = row.started_at;
  if (row.finished_at !== null) job.finishedAt = row.finished_at;
  return job;
}

function toItem(row: ItemRow): StoredJobItem {
  const item: StoredJobItem = { seq: row.seq, item: row.item, status: row.status, warnings: JSON.parse(row.warnings) as string[] };
  if (row.doc_id !== null) item.docId = row.doc_id;
  if (row.pages !== null) item.pages = row.pages;
  if (row.chunks !== null) item.chunks = row.chunks;
  if (row.message !== null) item.message = row.message;
  return item;
}

const now = () => new Date().toISOString();

export class SqliteJobs implements JobStore {
  constructor(private readonly db: Connection) {}

  create(job: { id: string; kind: string; request: unknown; progress: unknown; owner?: string }): StoredJob {
    const at = now();
    const running = job.owner !== undefined;
    this.db.prepare(
      `INSERT INTO jobs (id, kind, status, request, progress, owner, heartbeat_at, attempts, created_at, started_at, updated_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    ).run(
      job.id, job.kind, running ? 'running' : 'queued', JSON.stringify(job.request), JSON.stringify(job.progress),
      job.owner ?? null, running ? Date.now() : null, running ? 1 : 0, at, running ? at : null, at,
    );
    return this.get(job.id)!;
  }

  get(id: string): StoredJob | undefined {
    const row = this.db.prepare('SELECT * FROM jobs WHERE id = ?').get(id) as JobRow | undefined;
    return row && toJob(row);
  }

  list(options: { limit?: number; statuses?: readonly JobStatus[] } = {}): StoredJob[] {
    const statuses = options.statuses ?? ['queued', 'running', 'done', 'failed', 'cancelled'];
    const rows = this.db.prepare(
      'SELECT * FROM jobs WHERE status IN (SELECT value FROM json_each(?)) ORDER BY created_at DESC, rowid DESC LIMIT ?',
    ).all(JSON.stringify(statuses), options.limit ?? 50) as JobRow[];
    return rows.map(toJob);
  }

  claim(owner: string, abandoned: (job: StoredJob) => boolean): StoredJob | undefined {
    return this.db.transaction(() => {
      const running = (this.db.prepare("SELECT * FROM jobs WHERE status = 'running' ORDER BY created_at").all() as JobRow[]).map(toJob);
      const orphan = running.find((job) => job.owner !== owner && abandoned(job));
      const next = orphan ?? (this.db.prepare("SELECT * FROM jobs WHERE status = 'queued' ORDER BY created_at, rowid LIMIT 1").get() as JobRow | undefined);
      if (!next) return undefined;
      const at = now();
      this.db.prepare(
        `UPDATE jobs SET status = 'running', owner = ?, heartbeat_at = ?, attempts = attempts + 1,
           started_at = coalesce(started_at, ?), updated_at = ? WHERE id = ?`,
      ).run(owner, Date.now(), at, at, next.id);
      return this.get(next.id);
    }).immediate();
  }

  heartbeat(id: string, owner: string, update: { progress?: unknown; checkpoint?: unknown } = {}): { cancelRequested: boolean } | undefined {
    const sets = ['heartbeat_at = ?', 'updated_at = ?'];
    const values: unknown[] = [Date.now(), now()];
    if (update.progress !== undefined) {
      sets.push('progress = ?');
      values.push(JSON.stringify(update.progress));
    }
    if (update.checkpoint !== undefined) {
      sets.push('checkpoint = ?');
      values.push(JSON.stringify(update.checkpoint));
    }
    const { changes } = this.db.prepare(`UPDATE jobs SET ${sets.join(', ')} WHERE id = ? AND owner = ? AND status = 'running'`).run(...values, id, owner);
    if (changes === 0) return undefined;
    const flag = this.db.prepare('SELECT cancel_requested FROM jobs WHERE id = ?').pluck().get(id) as number;
    return { cancelRequested: flag === 1 };
  }

  addItem(id: string, item: Omit<StoredJobItem, 'seq'>): void {
    this.db.prepare(
      `INSERT INTO job_items (job_id, seq, item, status, doc_id, pages, chunks, message, warnings)
       VALUES (?, (SELECT coalesce(max(seq), 0) + 1 FROM job_items WHERE job_id = ?), ?, ?, ?, ?, ?, ?, ?)`,
    ).run(id, id, item.item, item.status, item.docId ?? null, item.pages ?? null, item.chunks ?? null, item.message ?? null, JSON.stringify(item.warnings));
  }

  items(id: string, options: { offset?: number; limit?: number } = {}): StoredJobItem[] {
    const rows = this.db.prepare('SELECT * FROM job_items WHERE job_id = ? ORDER BY seq LIMIT ? OFFSET ?')
      .all(id, options.limit ?? 1000, options.offset ?? 0) as ItemRow[];
    return rows.map(toItem);
  }

  finish(id: string, owner: string, status: Extract<JobStatus, 'done' | 'failed' | 'cancelled'>, outcome: { error?: string; result?: unknown; progress?: unknown } = {}): void {
    const at = now();
    this.db.prepare(
      `UPDATE jobs SET status = ?, error = ?, result = coalesce(?, result), progress = coalesce(?, progress),
         finished_at = ?, updated_at = ?, owner = NULL, heartbeat_at = NULL
       WHERE id = ? AND owner = ? AND status = 'running'`,
    ).run(
      status, outcome.error ?? null, outcome.result === undefined ? null : JSON.stringify(outcome.result),
      outcome.progress === undefined ? null : JSON.stringify(outcome.progress), at, at, id, owner,
    );
  }

  release(id: string, owner: string): void {
    this.db.prepare("UPDATE jobs SET status = 'queued', owner = NULL, heartbeat_at = NULL, updated_at = ? WHERE id = ? AND owner = ? AND status = 'running'")
      .run(now(), id, owner);
  }

  clearItems(id: string): void {
    this.db.prepare('DELETE FROM job_items WHERE job_id = ?').run(id);
  }

  requestCancel(id: string): StoredJob | undefined {
    return this.db.transaction(() => {
      const job = this.get(id);
      if (!job) return undefined;
      const at = now();
      if (job.status === 'queued') {
        this.db.prepare("UPDATE jobs SET status = 'cancelled', cancel_requested = 1, finished_at = ?, updated_at = ? WHERE id = ?").run(at, at, id);
      } else if (job.status === 'running') {
        this.db.prepare('UPDATE jobs SET cancel_requested = 1, updated_at = ? WHERE id = ?').run(at, id);
      }
      return this.get(id);
    }).immediate();
  }
}
