/**
 * The JSON of an ingestion job, for the REST API (`/api/jobs`), its event stream and the CLI's
 * `--json`: snake_case, and nothing of the server's own (staged upload paths stay behind).
 */
import { z } from 'zod';
import type { JobItem, JobView } from '../service/jobs/job-queue.js';
import type { JobRequest } from '../service/jobs/job-request.js';
import { responseSchemas } from './schemas.js';

const count = z.int().min(0);

export const JobProgressJson = z.object({
  items_done: count,
  items_total: count.nullable().describe('null while unknown (a crawl finds pages as it goes)'),
  outcomes: z.record(z.string(), count).describe('Items by outcome: added, updated, relabelled, unchanged, removed, failed'),
  pages: count.describe('Pages of documents added or updated'),
  chunks: count,
  embedded_done: count,
  embedded_total: count,
  current: z.string().optional().describe('The item being worked on'),
  items_per_second: z.number().optional(),
  pages_per_second: z.number().optional(),
  eta_seconds: count.optional().describe('Seconds left at the current rate, when the total is known'),
  elapsed_seconds: z.number(),
});

export const JobItemJson = z
  .object({
    seq: count,
    item: z.string().describe('The file, URL or page'),
    status: z.string(),
    doc_id: z.string().optional(),
    pages: count.optional(),
    chunks: count.optional(),
    error: z.string().optional(),
    warnings: z.array(z.string()),
  })
  .register(responseSchemas, { id: 'JobItem' });

export const JobJson = z
  .object({
    id: z.string(),
    kind: z.enum(['add-paths', 'add-upload', 'add-url', 'add-site', 'refresh', 'reindex', 'relabel']),
    status: z.enum(['queued', 'running', 'done', 'failed', 'cancelled']),
    request: z.record(z.string(), z.unknown()).describe('What the job was asked to do (uploads by file name)'),
    progress: JobProgressJson,
    summary: z.string().optional().describe('What the job did, once it ended'),
    details: z.record(z.string(), z.unknown()).optional(),
    error: z.string().optional().describe('Why the job failed as a whole'),
    attempts: count.describe('Runs of this job; more than one means it was resumed after an interruption'),
    cancel_requested: z.boolean(),
    created_at: z.string(),
    started_at: z.string().optional(),
    finished_at: z.string().optional(),
    updated_at: z.string(),
    items: z.array(JobItemJson).optional().describe('What became of each item (GET /api/jobs/{id} only)'),
  })
  .register(responseSchemas, { id: 'Job' });

export const JobListJson = z.object({ jobs: z.array(JobJson) }).register(responseSchemas, { id: 'JobList' });

type Body<T extends z.ZodType> = z.input<T>;

/** The request without server paths: an upload is known by the names its files had. */
function publicRequest(request: JobRequest): Record<string, unknown> {
  if (request.kind === 'add-upload') {
    const { files, ...rest } = request;
    return { ...rest, files: files.map((f) => f.name) };
  }
  return { ...request };
}

export function jobItemJson(item: JobItem): Body<typeof JobItemJson> {
  return {
    seq: item.seq,
    item: item.item,
    status: item.status,
    ...(item.docId ? { doc_id: item.docId } : {}),
    ...(item.pages === undefined ? {} : { pages: item.pages }),
    ...(item.chunks === undefined ? {} : { chunks: item.chunks }),
    ...(item.message ? { error: item.message } : {}),
    warnings: item.warnings,
  };
}

export function jobJson(job: JobView, items?: JobItem[]): Body<typeof JobJson> {
  const p = job.progress;
  return {
    id: job.id,
    kind: job.kind,
    status: job.status,
    request: publicRequest(job.request),
    progress: {
      items_done: p.items.done,
      items_total: p.items.total,
      outcomes: p.outcomes as Record<string, number>,
      pages: p.pages,
      chunks: p.chunks,
      embedded_done: p.embedded.done,
      embedded_total: p.embedded.total,
      ...(p.current ? { current: p.current } : {}),
      ...(p.itemsPerSecond === undefined ? {} : { items_per_second: p.itemsPerSecond }),
      ...(p.pagesPerSecond === undefined ? {} : { pages_per_second: p.pagesPerSecond }),
      ...(p.etaSeconds === undefined ? {} : { eta_seconds: p.etaSeconds }),
      elapsed_seconds: p.elapsedSeconds,
    },
    ...(job.summary ? { summary: job.summary } : {}),
    ...(job.details ? { details: job.details } : {}),
    ...(job.error ? { error: job.error } : {}),
    attempts: job.attempts,
    cancel_requested: job.cancelRequested,
    created_at: job.createdAt,
    ...(job.startedAt ? { started_at: job.startedAt } : {}),
    ...(job.finishedAt ? { finished_at: job.finishedAt } : {}),
    updated_at: job.updatedAt,
    ...(items ? { items: items.map(jobItemJson) } : {}),
  };
}
