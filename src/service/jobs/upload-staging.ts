/**
 * Uploaded files wait for their job under `<data>/uploads/<job id>/<n>/`, each named after the slug
 * of the name the client gave plus its extension: the name gives the document its slug and
 * fallback title, and can never be a path. They stay until the job ends, so a job interrupted by
 * a restart still has them when it resumes.
 */
import fs from 'node:fs';
import path from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ReadableStream as NodeReadableStream } from 'node:stream/web';
import type { DataDir } from '../../library/data-dir.js';
import { resolveInside } from '../../library/paths.js';
import { slugify } from '../../library/slug.js';

/** The largest upload a server accepts in one request (the REST API and the web form alike). */
export const UPLOAD_MAX_BYTES = 200 * 1024 * 1024;

export interface StagedFile {
  staged: string;
  name: string;
}

/** The name the client gave, without any folders some browsers and tools prepend. */
function clientFileName(name: string): string {
  return (name.split(/[\\/]/).pop() ?? '').slice(-255) || 'upload';
}

function stagedName(name: string): string {
  const extension = /\.[a-z0-9]+$/i.exec(name)?.[0].toLowerCase() ?? '';
  try {
    return `${slugify(name.slice(0, name.length - extension.length), 'file name')}${extension}`;
  } catch {
    return `upload${extension}`;
  }
}

export async function stageUploads(dir: DataDir, jobId: string, files: readonly File[]): Promise<StagedFile[]> {
  const staged: StagedFile[] = [];
  try {
    for (const [index, file] of files.entries()) {
      const name = clientFileName(file.name);
      const target = resolveInside(dir.uploadsDir, jobId, String(index + 1), stagedName(name));
      fs.mkdirSync(path.dirname(target), { recursive: true });
      await pipeline(Readable.fromWeb(file.stream() as NodeReadableStream), fs.createWriteStream(target, { flags: 'wx' }));
      staged.push({ staged: target, name });
    }
  } catch (error) {
    discardUploads(dir, jobId);
    throw error;
  }
  return staged;
}

export function discardUploads(dir: DataDir, jobId: string): void {
  fs.rmSync(resolveInside(dir.uploadsDir, jobId), { recursive: true, force: true });
}
