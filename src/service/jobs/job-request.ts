/**
 * What a job is asked to do, one schema per kind. A request is validated when the job is created
 * (at the edge: CLI flags, the REST body, the web form) and again when a runner reads it back from
 * the jobs table, so a runner only ever acts on a well-formed request.
 */
import { z } from 'zod';
import { CrawlOptionsSchema, FetchOptionsSchema, type CrawlOptionsInput, type FetchOptionsInput } from '../../ingest/sources/web/index.js';
import { LIMITS } from '../../library/limits.js';
import { LibraryError } from '../../library/errors.js';

const label = z.string().trim().min(1).max(LIMITS.filterChars);

export const LabelsSchema = z.strictObject({
  vendor: label.optional(),
  product: label.optional(),
  version: label.optional(),
  collection: label.optional(),
  document: label.optional(),
  title: label.optional(),
});

/**
 * Web options kept as they were given (defaults are applied when the job runs), but checked
 * against the web source's own schema now, so an unknown or malformed option fails the request.
 */
function optionsOf<T>(schema: z.ZodType) {
  return z
    .record(z.string(), z.unknown())
    .default({})
    .superRefine((value, ctx) => {
      const parsed = schema.safeParse(value);
      if (!parsed.success) for (const issue of parsed.error.issues) ctx.addIssue({ code: 'custom', message: issue.message, path: issue.path });
    })
    .transform((value) => value as T);
}

const webAddress = z.string().trim().min(1).max(4096).refine((value) => /^https?:\/\//i.test(value), 'must be an http:// or https:// URL');

export const AddPathsRequest = z.strictObject({
  kind: z.literal('add-paths'),
  /** Files and folders on the machine that runs the job (the CLI; never from a web client). */
  paths: z.array(z.string().min(1)).min(1),
  labels: LabelsSchema.default({}),
  replace: z.boolean().default(false),
  /** Follow symbolic links that stay inside an added folder. */
  followLinks: z.boolean().default(false),
});

export const AddUploadRequest = z.strictObject({
  kind: z.literal('add-upload'),
  /** Files the server staged under <data>/uploads/<job id>/, with the names the client gave. */
  files: z.array(z.strictObject({ staged: z.string().min(1), name: z.string().min(1).max(255) })).min(1),
  labels: LabelsSchema,
  replace: z.boolean().default(false),
});

export const AddUrlRequest = z.strictObject({
  kind: z.literal('add-url').describe('One document by URL: a PDF, HTML page, Markdown or text file'),
  url: webAddress,
  labels: LabelsSchema.describe('vendor, product and version are required; collection, document and title are optional'),
  replace: z.boolean().default(false).describe('Let this URL replace a different source filed under the same document id'),
  fetch: optionsOf<FetchOptionsInput>(FetchOptionsSchema).describe('Fetch options (allowPrivate, allowPrivateHosts, maxBytes, timeouts, retries)'),
});

export const AddSiteRequest = z.strictObject({
  kind: z.literal('add-site').describe('A documentation site crawled from a start URL into one collection'),
  url: webAddress,
  labels: LabelsSchema.describe('vendor, product and version are required; collection is optional'),
  replace: z.boolean().default(false),
  crawl: optionsOf<CrawlOptionsInput>(CrawlOptionsSchema).describe('Crawl options: include, exclude, maxPages, maxDepth, maxRequestsPerSecond, concurrency, allowPrivate, ignoreRobots, …'),
});

export const RefreshRequest = z.strictObject({
  kind: z.literal('refresh').describe('Re-crawl sites, re-fetch URLs and re-read files; only what changed is re-ingested'),
  product: label.optional(),
  version: label.optional(),
  source: z.string().trim().min(1).max(4096).optional().describe("A site's start URL, a folder, a file or a URL"),
  fetch: optionsOf<FetchOptionsInput>(FetchOptionsSchema),
});

export const ReindexRequest = z.strictObject({ kind: z.literal('reindex').describe('Rebuild the index from the Markdown files') });

export const RelabelRequest = z.strictObject({
  kind: z.literal('relabel').describe('New vendor, product or version labels for a product or one version of it'),
  product: label,
  version: label.optional(),
  labels: z.strictObject({ vendor: label.optional(), product: label.optional(), version: label.optional() }),
});

export const JobRequestSchema = z.discriminatedUnion('kind', [
  AddPathsRequest, AddUploadRequest, AddUrlRequest, AddSiteRequest, RefreshRequest, ReindexRequest, RelabelRequest,
]);

export type JobRequest = z.output<typeof JobRequestSchema>;
export type JobRequestInput = z.input<typeof JobRequestSchema>;
export type JobKind = JobRequest['kind'];

export const JOB_KINDS = JobRequestSchema.options.map((option) => option.shape.kind.value);

/** Validates a request; problems name the field, as every edge reports them. */
export function parseJobRequest(value: unknown): JobRequest {
  const parsed = JobRequestSchema.safeParse(value);
  if (parsed.success) return parsed.data;
  const problems = parsed.error.issues.slice(0, 3).map((issue) => {
    const where = issue.path.join('.');
    if (issue.code === 'unrecognized_keys') return `unknown field${issue.keys.length > 1 ? 's' : ''} ${issue.keys.join(', ')}${where ? ` in ${where}` : ''}`;
    return where ? `${where}: ${issue.message}` : issue.message;
  });
  throw new LibraryError('invalid_input', `invalid job request: ${problems.join('; ')}`, `Job kinds: ${JOB_KINDS.join(', ')}`);
}
