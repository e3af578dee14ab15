/**
 * Ingests one uploaded file through the same plan/add path as `mcdewey add`. The upload is
 * written under the data directory's tmp folder (same filesystem, never a client-chosen path)
 * with a name made of slug characters only, and removed afterwards whatever happens.
 */

import fs from 'node:fs';
import path from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ReadableStream as NodeReadableStream } from 'node:stream/web';
import type { z } from 'zod';
import { linksOf, type ServerContext } from '../http/context.js';
import type { LabelFlags } from '../ingest/sources/discover.js';
import { slugify } from '../library/slug.js';
import { ensureStagingArea, newStagingId, stagingPath } from '../library/staging.js';
import { redactServerPaths } from '../http/remote-error.js';
import { LibraryError } from '../library/errors.js';
import { Reply } from './route.js';
import { presentDocument } from '../present/library-json.js';
import type { UploadResult } from '../present/schemas.js';
import { fileExtension, type UploadFormInput } from './schemas.js';
import { addThroughJobQueue } from '../service/scale-out/queued-add.js';

let ingestQueue: Promise<unknown> = Promise.resolve();

export async function ingestUpload(ctx: ServerContext, form: UploadFormInput): Promise<Reply> {
  // One ingestion at a time: adding checks what is stored, then converts for seconds, then writes.
  const run = ingestQueue.then(() => ingest(ctx, form));
  ingestQueue = run.catch(() => undefined);
  return run;
}

async function ingest(ctx: ServerContext, form: UploadFormInput): Promise<Reply> {
  const { library } = ctx;
  const originalName = clientFileName(form.file.name);
  // A staging name, so that a server killed mid-upload leaves nothing that cleanup cannot recognise.
  const folder = stagingPath(library.dir, newStagingId('upload'));
  const { fileName, documentLabel } = safeFileName(originalName);
  const stored = path.join(folder, fileName);
  try {
    ensureStagingArea(library.dir);
    fs.mkdirSync(folder);
    await pipeline(Readable.fromWeb(form.file.stream() as NodeReadableStream), fs.createWriteStream(stored, { flags: 'wx' }));
    // The document is labelled with the client's name ("C++ Guide"), not the staged copy's slug, so
    // that two names making one slug are told apart. A node over PostgreSQL queues the upload as a
    // job under the client's name, which labels it the same way.
    const sources = () =>
      library.plan([stored], labelFlags(form)).map((source) => ({
        ...source,
        labels: documentLabel === undefined ? source.labels : { ...source.labels, document: documentLabel },
        originalFile: originalName,
      }));
    const result = library.scaleOutNode
      ? await addThroughJobQueue(library, { name: originalName, bytes: fs.readFileSync(stored) }, labelFlags(form))
      : (await library.add(sources()))[0];
    if (!result) throw new Error(`planning ${stored} produced no source`);
    const body: z.input<typeof UploadResult> = {
      status: result.status,
      file: originalName,
      warnings: result.warnings.map((warning) => redactServerPaths(warning.replaceAll(stored, originalName))),
      ...(result.docId === undefined ? {} : { doc_id: result.docId }),
      ...(result.sourcePath === undefined ? {} : { source_path: result.sourcePath }),
      ...(result.pages === undefined ? {} : { pages: result.pages }),
      ...(result.chunks === undefined ? {} : { chunks: result.chunks }),
      ...(result.embedded === undefined ? {} : { embedded: result.embedded }),
    };
    if (result.storageFailure === 'disk_full') {
      throw new LibraryError('disk_full', 'the disk holding the library on the server is full; the upload was not added', 'Ask the operator to free space on the server, then retry');
    }
    if (result.status === 'failed') {
      // The staged copy's path means nothing to the client; any other server path is not its business.
      const message = redactServerPaths((result.error ?? 'ingestion failed').replaceAll(stored, originalName));
      return new Reply(422, { ...body, error: { code: 'ingest_failed', message } });
    }
    body.document = presentDocument(linksOf(ctx), library.document(result.docId!));
    return new Reply(result.status === 'added' ? 201 : 200, body);
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
