/**
 * Ingests one uploaded file through the same plan/add path as `mcdewey add`. The upload is
 * written under the data directory's tmp folder (same filesystem, never a client-chosen path)
 * with a name made of slug characters only, and removed afterwards whatever happens.
 */

import fs from 'node:fs';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ReadableStream as NodeReadableStream } from 'node:stream/web';
import type { z } from 'zod';
import { linksOf, type ServerContext } from '../http/context.js';
import type { LabelFlags } from '../ingest/sources/discover.js';
import { slugify } from '../library/slug.js';
import { Reply } from './route.js';
import { presentDocument } from '../present/library-json.js';
import type { UploadResult } from '../present/schemas.js';
import { fileExtension, type UploadFormInput } from './schemas.js';

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
  const folder = path.join(library.dir.tmpDir, `upload-${randomUUID()}`);
  const stored = path.join(folder, safeFileName(originalName));
  try {
    fs.mkdirSync(folder, { recursive: true });
    await pipeline(Readable.fromWeb(form.file.stream() as NodeReadableStream), fs.createWriteStream(stored, { flags: 'wx' }));
    const sources = library.plan([stored], labelFlags(form)).map((source) => ({ ...source, origin: { kind: 'upload' as const, name: originalName }, location: originalName }));
    const results = await library.add(sources);
    const result = results[0];
    if (!result) throw new Error(`planning ${stored} produced no source`);
    const body: z.input<typeof UploadResult> = {
      status: result.status,
      file: originalName,
      warnings: result.warnings,
      ...(result.docId === undefined ? {} : { doc_id: result.docId }),
      ...(result.sourcePath === undefined ? {} : { source_path: result.sourcePath }),
      ...(result.pages === undefined ? {} : { pages: result.pages }),
      ...(result.chunks === undefined ? {} : { chunks: result.chunks }),
      ...(result.embedded === undefined ? {} : { embedded: result.embedded }),
    };
    if (result.status === 'failed') {
      const message = (result.error ?? 'ingestion failed').replaceAll(stored, originalName);
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
 * gives the document its slug and fallback title, and cannot contain a path.
 */
function safeFileName(originalName: string): string {
  const extension = fileExtension(originalName);
  const stem = originalName.slice(0, originalName.length - extension.length);
  let slug: string;
  try {
    slug = slugify(stem, 'file name');
  } catch {
    slug = 'upload';
  }
  return `${slug}${extension}`;
}
