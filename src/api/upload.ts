/**
 * POST /api/documents: one uploaded file, ingested as a job like every other addition. The answer
 * is 202 with the job; with `?wait=1` it comes once the job has ended and reads as it did before
 * jobs existed: 201 added, 200 updated/relabelled/unchanged, 409 refused (another document holds
 * the id), 422 not ingestible.
 */
import type { z } from 'zod';
import { jobsOf, linksOf, type ServerContext } from '../http/context.js';
import type { FileOutcome } from '../ingest/progress.js';
import { presentDocument } from '../present/library-json.js';
import { jobJson } from '../present/job-json.js';
import type { UploadResult } from '../present/schemas.js';
import { uploadLabels } from './jobs.js';
import { Reply } from './route.js';
import type { UploadFormInput } from './schemas.js';

export async function ingestUpload(ctx: ServerContext, form: UploadFormInput, wait: boolean, request: Request): Promise<Reply> {
  const job = await jobsOf(ctx).submitUpload([form.file], uploadLabels(form, 1), form.replace);
  if (!wait) return new Reply(202, jobJson(job));
  const ended = await jobsOf(ctx).wait(job.id, { signal: request.signal });
  const results = (ended.details?.['results'] ?? []) as FileOutcome[];
  const result = results[0];
  if (!result) {
    // The job ended before it reached the file (cancelled), or the client went away first.
    return new Reply(202, jobJson(ended));
  }
  const name = ended.request.kind === 'add-upload' ? ended.request.files[0]!.name : result.file;
  const body: z.input<typeof UploadResult> = {
    status: result.status === 'failed' ? 'failed' : (result.status as 'added' | 'updated' | 'relabelled' | 'unchanged'),
    file: name,
    warnings: result.warnings,
    ...(result.docId === undefined ? {} : { doc_id: result.docId }),
    ...(result.sourcePath === undefined ? {} : { source_path: result.sourcePath }),
    ...(result.pages === undefined ? {} : { pages: result.pages }),
    ...(result.chunks === undefined ? {} : { chunks: result.chunks }),
    ...(result.embedded === undefined ? {} : { embedded: result.embedded }),
  };
  if (result.status === 'failed') {
    const code = result.code === 'conflict' ? 'conflict' : 'ingest_failed';
    return new Reply(code === 'conflict' ? 409 : 422, { ...body, error: { code, message: result.error ?? 'ingestion failed' } });
  }
  body.document = presentDocument(linksOf(ctx), ctx.library.document(result.docId!));
  return new Reply(result.status === 'added' ? 201 : 200, body);
}
