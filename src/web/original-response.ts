import fs from 'node:fs';
import { Readable } from 'node:stream';
import type { Library } from '../service/library.js';

/**
 * GET /doc/:docId/original: the document's original file. A PDF opens in the browser's own viewer
 * (`#page=N` jumps to a page); HTML and Markdown originals are shown as plain text, never rendered,
 * because they came from elsewhere and could carry script.
 */
export function originalResponse(library: Library, docId: string): Response {
  const original = library.original(docId);
  const pdf = original.mediaType === 'application/pdf';
  const headers: Record<string, string> = {
    'Content-Type': pdf ? original.mediaType : 'text/plain; charset=utf-8',
    'Content-Disposition': `inline; filename*=UTF-8''${encodeURIComponent(original.fileName)}`,
    'Cache-Control': 'private, max-age=3600',
  };
  // Streamed from disk: an original can be as large as an upload may be.
  const body = Readable.toWeb(fs.createReadStream(original.file)) as ReadableStream<Uint8Array>;
  return new Response(body, { status: 200, headers });
}
