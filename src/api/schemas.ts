import { z } from 'zod';
import { SUPPORTED_EXTENSIONS } from '../ingest/convert/formats.js';
import { LIMITS } from '../library/limits.js';
import { AddSiteRequest, AddUrlRequest, RefreshRequest, ReindexRequest, RelabelRequest } from '../service/jobs/job-request.js';

/**
 * One schema per input of the REST API: path parameters, query strings and the upload form.
 * Query strings are strict, so that a misspelt filter (`?verison=9.15`) is an error instead of
 * an answer silently taken from another version.
 */

export { UPLOAD_MAX_BYTES } from '../service/jobs/upload-staging.js';

const label = (what: string) => z.string().trim().min(1).max(LIMITS.filterChars).describe(what);
const boolean = z
  .enum(['true', 'false', '1', '0'])
  .transform((value) => value === 'true' || value === '1');
const integer = (min: number, max: number) => z.coerce.number().int().min(min).max(max);

export const EmptyInput = z.strictObject({});

export const SearchQuery = z.strictObject({
  q: z.string().trim().min(1).max(LIMITS.queryChars).describe('What to look for: words, a "quoted phrase", an identifier or a question'),
  vendor: label('Only this vendor (label or slug, e.g. "Cisco")').optional(),
  product: label('Only this product (label or slug)').optional(),
  version: label('Only this version, as the vendor writes it (e.g. "9.15", "12.5(1)"), "latest" (each product\'s newest) or "all" (every version alike); default: each product answers from its newest version with a relevant passage').optional(),
  document: label('Only this document (document id or document slug)').optional(),
  limit: integer(1, LIMITS.searchLimit).default(10).describe('Hits per page'),
  offset: integer(0, LIMITS.searchOffset).default(0).describe('Hits to skip (pass the previous next_offset)'),
  mode: z.enum(['hybrid', 'lexical', 'vector']).default('hybrid').describe('Ranking: lexical and vector fused (default), or one of them'),
  all_versions: boolean.default(false).describe('Rank every version alike instead of preferring each product\'s newest relevant version (same as version=all)'),
  infer_scope: boolean.default(true).describe('Search only a product and version the query names (e.g. "FTDv 6.6.0"); false searches as filtered'),
  include_weak: boolean.default(false).describe('Return the closest hits even when none is relevant (best_match weak); by default hits is then empty'),
});

export const ChunkParams = z.object({
  id: z.string().min(1).max(500).describe('Chunk id, e.g. finesse::v12.5::developer-guide::developer-guide::43'),
});

export const ChunkQuery = z.strictObject({
  before: integer(0, LIMITS.chunkNeighbours).default(1).describe('Neighbouring chunks to include before the chunk'),
  after: integer(0, LIMITS.chunkNeighbours).default(1).describe('Neighbouring chunks to include after the chunk'),
});

/**
 * Most documents listed at once: a library of 110k documents answered GET /api/documents with
 * 92 MB in 4 s, and the answer of a list that grows with the library must not.
 */
export const DOCUMENT_LIST_MAX = 1000;

export const DocumentListQuery = z.strictObject({
  vendor: label('Only this vendor (label or slug)').optional(),
  product: label('Only this product (label or slug)').optional(),
  version: label('Only this version (label or slug)').optional(),
  limit: integer(1, DOCUMENT_LIST_MAX).default(DOCUMENT_LIST_MAX).describe(`Documents to list, at most ${DOCUMENT_LIST_MAX}; follow next_offset for more`),
  offset: integer(0, 10_000_000).default(0).describe('Documents to skip (pass the previous next_offset)'),
});

export const DocumentParams = z.object({
  docId: z.string().min(1).max(400).describe('Document id, e.g. finesse::v12.5::developer-guide::developer-guide'),
});

export const PageParams = DocumentParams.extend({
  n: integer(1, 1_000_000).describe('Physical page number, 1-based'),
});

export const PageQuery = z.strictObject({
  start: integer(0, 1_000_000_000).optional().describe(`Character offset in the page's Markdown (pass next_start); at most ${LIMITS.pageWindowChars} characters come at once`),
  chunks_offset: integer(0, 10_000_000).optional().describe(`Position among the page's chunks (pass next_chunks_offset); at most ${LIMITS.pageChunks} come at once`),
});

export const DocumentQuery = z.strictObject({
  outline_offset: integer(0, 10_000_000).optional().describe(`Position in the heading outline (pass outline_next_offset); at most ${LIMITS.outlineEntries} entries come at once`),
});

export const TextQuery = z
  .strictObject({
    start: integer(0, 1_000_000_000).optional().describe('Character offset to start at (pass the previous next_start)'),
    page: integer(1, 1_000_000).optional().describe('Start at this physical page instead of an offset'),
    max_chars: integer(200, LIMITS.textWindowChars).default(8000).describe('Longest window to return'),
  })
  .refine((query) => query.start === undefined || query.page === undefined, {
    message: 'pass start or page, not both',
  });

export const ProductParams = z.object({
  product: label('Product label or slug'),
});

export const VersionParams = ProductParams.extend({
  version: label('Version label or slug'),
});

/** `Guide.PDF` → `.pdf`; '' without one. */
export const fileExtension = (name: string): string => /\.[a-z0-9]+$/i.exec(name)?.[0].toLowerCase() ?? '';

export const UploadForm = z.strictObject({
  replace: boolean.default(false).describe('Let the upload replace a different document filed under the same id'),
  file: z
    .file()
    .min(1, 'the file is empty')
    .refine((file) => SUPPORTED_EXTENSIONS.includes(fileExtension(file.name)), {
      message: `unsupported file type; supported: ${SUPPORTED_EXTENSIONS.join(', ')}`,
    })
    .describe('The document (PDF, HTML, Markdown or text); its name gives the document slug and extension'),
  vendor: label('Vendor label, e.g. "Cisco"'),
  product: label('Product label, e.g. "finesse"'),
  version: label('Version as the vendor writes it, e.g. "12.5(1)"'),
  collection: label('Collection (a book or doc set) within the version').optional(),
  title: label('Document title (default: taken from the document)').optional(),
});

export type SearchQueryInput = z.output<typeof SearchQuery>;
export type UploadFormInput = z.output<typeof UploadForm>;

/** `?wait=1`: answer once the job has ended instead of at once (for scripts). */
const waitFlag = boolean.default(false).describe('Wait for the job to end and answer with its outcome (for scripts)');

export const WaitQuery = z.strictObject({ wait: waitFlag });

/** The jobs a client may start with a JSON body; server-side paths and staged uploads are not among them. */
export const JobBody = z.discriminatedUnion('kind', [AddUrlRequest, AddSiteRequest, RefreshRequest, ReindexRequest, RelabelRequest]);

const uploadFile = z
  .file()
  .min(1, 'the file is empty')
  .refine((file) => SUPPORTED_EXTENSIONS.includes(fileExtension(file.name)), {
    message: `unsupported file type; supported: ${SUPPORTED_EXTENSIONS.join(', ')}`,
  });

/** One or more uploaded files with their labels: an add-upload job. */
export const JobUploadForm = z.strictObject({
  file: z.array(uploadFile).min(1, 'send at least one file').max(100, 'at most 100 files per job').describe('The documents; repeat the field for several'),
  vendor: label('Vendor label, e.g. "Cisco"'),
  product: label('Product label, e.g. "finesse"'),
  version: label('Version as the vendor writes it, e.g. "12.5(1)"'),
  collection: label('Collection (a book or doc set) within the version').optional(),
  document: label('Document name (a single file only; default: from its file name)').optional(),
  title: label('Document title (a single file only; default: taken from the document)').optional(),
  replace: boolean.default(false).describe('Let the upload replace a different document filed under the same id'),
});

export const JobListQuery = z.strictObject({
  limit: integer(1, 200).default(50).describe('Newest jobs to list'),
  status: z.enum(['queued', 'running', 'done', 'failed', 'cancelled']).optional().describe('Only jobs in this state'),
});

export const JobParams = z.object({ id: z.string().min(1).max(64).describe('Job id') });

export const JobQuery = z.strictObject({
  items_offset: integer(0, 1_000_000).default(0).describe('Items to skip'),
  items_limit: integer(0, 1000).default(200).describe('Items to return'),
});

export type JobUploadFormInput = z.output<typeof JobUploadForm>;
