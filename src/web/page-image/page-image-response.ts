/**
 * GET /doc/:docId/page/:n.png and /doc/:docId/page/:n.svg?chunk=ID: a PDF page as an image, and
 * the boxes that show where a chunk's text is on it, as a transparent SVG the viewer lays over the
 * image. Both are plain images, so the overlay works without JavaScript and can never run script.
 */
import { LibraryError } from '../../library/errors.js';
import type { Library } from '../../service/library.js';
import { highlightBoxes, highlightSvg } from './highlight-boxes.js';
import { DEFAULT_PAGE_IMAGE_WIDTH, isPageImageWidth, pageImage, PAGE_IMAGE_WIDTHS } from './page-render.js';
import { pdfPage } from './pdf-page.js';
import { pageWords } from './word-boxes.js';

const FILE = /^(\d{1,6})\.(png|svg)$/;

/** Links carry the original's hash, so a cached image is never shown for other bytes under the same id. */
export function pageImageVersion(contentHash: string): string {
  return contentHash.slice(0, 12);
}

export async function pageImageResponse(library: Library, docId: string, file: string, query: Record<string, string | undefined>): Promise<Response> {
  const match = FILE.exec(file);
  if (!match) throw new LibraryError('not_found', `no page image "${file.slice(0, 40)}"`, 'Page images are named <page>.png, e.g. 8.png');
  const page = pdfPage(library, docId, Number(match[1]));
  const current = query['v'] === pageImageVersion(page.document.contentHash);
  const headers = { 'Cache-Control': current ? 'private, max-age=31536000, immutable' : 'private, max-age=300' };
  if (match[2] === 'png') {
    const width = query['w'] === undefined ? DEFAULT_PAGE_IMAGE_WIDTH : Number(query['w']);
    if (!isPageImageWidth(width)) {
      throw new LibraryError('invalid_input', `width "${String(query['w']).slice(0, 20)}" is not offered`, `Use one of ${PAGE_IMAGE_WIDTHS.join(', ')}`);
    }
    const png = await pageImage(page, width);
    return new Response(new Uint8Array(png), { headers: { ...headers, 'Content-Type': 'image/png' } });
  }
  const chunkId = query['chunk'];
  if (!chunkId) throw new LibraryError('invalid_input', 'the highlight needs a chunk', 'Add ?chunk=<chunk id>');
  const { chunk } = library.chunk(chunkId, { before: 0, after: 0 });
  if (chunk.docId !== docId) throw new LibraryError('invalid_input', `chunk ${chunkId} belongs to another document`, 'Use a chunk of this document');
  const words = await pageWords(page);
  const boxes = page.page >= chunk.page && page.page <= chunk.pageEnd ? highlightBoxes(words, chunk.text) : [];
  return new Response(highlightSvg(words, boxes), { headers: { ...headers, 'Content-Type': 'image/svg+xml; charset=utf-8' } });
}
