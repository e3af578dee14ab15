/**
 * POST /api/documents: one uploaded file, ingested as a job like every other addition. The answer
 * is 202 with the job; with `?wait=1` it comes once the job has ended and reads as it did before
 * jobs existed: 201 added, 200 updated/relabelled/unchanged, 409 refused (another document holds
 * the id), 422 not ingestible, 507 when the server's disk is full.
 *
 * A scale-out node over PostgreSQL has no embedded job table: there the upload becomes a job in
 * PostgreSQL's shared queue (see scale-out/queued-add.ts) and the answer waits for it, as before.
 */
import fs from 'node:fs';
import path from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ReadableStream as NodeReadableStream } from 'node:stream/web';
import type { z } from 'zod';
import { jobsOf, linksOf, type ServerContext } from '../http/context.js';
import type { AddResult } from '../ingest/pipeline.js';
import type { FileOutcome } from '../ingest/progress.js';
import type { LabelFlags } from '../ingest/sources/discover.js';
import { LibraryError } from '../library/errors.js';
import { slugify } from '../library/slug.js';
import { ensureStagingArea, newStagingId, stagingPath } from '../library/staging.js';
import { redactServerPaths } from '../http/remote-error.js';
import { presentDocument } from '../present/library-json.js';
import { jobJson } from '../present/job-json.js';
import type { UploadResult } from '../present/schemas.js';
import { addThroughJobQueue } from '../service/scale-out/queued-add.js';
import type { DocumentInfo } from '../service/types.js';
import { uploadLabels } from './jobs.js';
import { Reply } from './route.js';
import { fileExtension, type UploadFormInput } from './schemas.js';

export async function ingestUpload(ctx: ServerContext, form: UploadFormInput, wait: boolean, request: Request): Promise<Reply> {
  if (ctx.library.scaleOutNode) return ingestOnNode(ctx, form);
  const job = await jobsOf(ctx).submitUpload([form.file], uploadLabels(form, 1), form.replace);
  if (!wait) return new Reply(202, jobJson(job));
  const ended = await jobsOf(ctx).wait(job.id, { signal: request.signal });
  const results = (ended.details?.['results'] ?? []) as (FileOutcome & Pick<AddResult, 'storageFailure'>)[];
  const result = results[0];
  if (!result) {
    // The job ended before it reached the file (cancelled), or the client went away first.
    return new Reply(202, jobJson(ended));
  }
  const name = ended.request.kind === 'add-upload' ? ended.request.files[0]!.name : result.file;
  return uploadAnswer(ctx, { ...result, status: result.status as AddResult['status'] }, name, (text) => redactServerPaths(text));
}

/** The result of an ended upload as the synchronous answer scripts read. */
export function uploadAnswer(ctx: ServerContext, result: AddResult, name: string, clean: (text: string) => string): Reply {
  const body: z.input<typeof UploadResult> = {
    status: result.status === 'failed' ? 'failed' : (result.status as 'added' | 'updated' | 'relabelled' | 'unchanged'),
    file: name,
    warnings: result.warnings.map(clean),
    ...(result.docId === undefined ? {} : { doc_id: result.docId }),
    ...(result.sourcePath === undefined ? {} : { source_path: result.sourcePath }),
    ...(result.pages === undefined ? {} : { pages: result.pages }),
    ...(result.chunks === undefined ? {} : { chunks: result.chunks }),
    ...(result.embedded === undefined ? {} : { embedded: result.embedded }),
  };
  if (result.storageFailure === 'disk_full' || result.code === 'disk_full') {
    throw new LibraryError('disk_full', 'the disk holding the library on the server is full; the upload was not added', 'Ask the operator to free space on the server, then retry');
  }
  if (result.status === 'failed') {
    const code = result.code === 'conflict' ? 'conflict' : 'ingest_failed';
    // Server paths (a staged copy's) mean nothing to the client and are not its business.
    const message = clean(result.error ?? 'ingestion failed');
    return new Reply(code === 'conflict' ? 409 : 422, { ...body, error: { code, message } });
  }
  // Another writer may have removed it between the job's end and this answer: the upload still
  // succeeded, and saying 404 would tell the client it did not.
  const document = documentIfPresent(ctx, result.docId!);
  if (document) body.document = presentDocument(linksOf(ctx), document);
  else body.warnings = [...(body.warnings ?? []), `${result.docId} was added, then removed by another writer before this answer`];
  return new Reply(result.status === 'added' ? 201 : 200, body);
}

function documentIfPresent(ctx: ServerContext, docId: string): DocumentInfo | undefined {
  try {
    return ctx.library.document(docId);
  } catch (error) {
    if (error instanceof LibraryError && error.code === 'not_found') return undefined;
    throw error;
  }
}

let nodeQueue: Promise<unknown> = Promise.resolve();

async function ingestOnNode(ctx: ServerContext, form: UploadFormInput): Promise<Reply> {
  // One at a time per node: each upload is staged, queued in PostgreSQL and waited for.
  const run = nodeQueue.then(() => stageAndQueue(ctx, form));
  nodeQueue = run.catch(() => undefined);
  return run;
}

async function stageAndQueue(ctx: ServerContext, form: UploadFormInput): Promise<Reply> {
  const { library } = ctx;
  const originalName = clientFileName(form.file.name);
  // A staging name, so that a server killed mid-upload leaves nothing that cleanup cannot recognise.
  const folder = stagingPath(library.dir, newStagingId('upload'));
  const { fileName } = safeFileName(originalName);
  const stored = path.join(folder, fileName);
  try {
    ensureStagingArea(library.dir);
    fs.mkdirSync(folder);
    await pipeline(Readable.fromWeb(form.file.stream() as NodeReadableStream), fs.createWriteStream(stored, { flags: 'wx' }));
    const result = await addThroughJobQueue(library, { name: originalName, bytes: fs.readFileSync(stored) }, labelFlags(form));
    return uploadAnswer(ctx, result, originalName, (text) => redactServerPaths(text.replaceAll(stored, originalName)));
  } finally {
    fs.rmSync(folder, { recursive: true, force: true });
  }
}

function labelFlags(form: UploadFormInput): LabelFlags {
  const flags: LabelFlags = { vendor: form.vendor, product: form.product, version: form.version };
  if (form.collection !== undefined) flags.collection = form.collection;
  if (form.title !== undefined) flags.title = form.title;
  return flags;
}

/** The name the client gave, without any folders some browsers and tools prepend. */
function clientFileName(name: string): string {
  return (name.split(/[\\/]/).pop() ?? '').slice(-255) || 'upload';
}

/**
 * The stored name is the slug of the client's name plus its (already validated) extension, so it
 * gives the document its fallback title and cannot contain a path; the name itself labels the
 * document, unless it has nothing to make a slug from.
 */
function safeFileName(originalName: string): { fileName: string; documentLabel?: string } {
  const extension = fileExtension(originalName);
  const stem = originalName.slice(0, originalName.length - extension.length);
  try {
    return { fileName: `${slugify(stem, 'file name')}${extension}`, documentLabel: stem };
  } catch {
    return { fileName: `upload${extension}` };
  }
}
