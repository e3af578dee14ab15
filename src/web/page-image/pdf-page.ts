/**
 * A page of a document's kept PDF, checked before anything runs: the document exists, is a PDF,
 * has that page, and its original is kept. Page images and word boxes both start here.
 */
import path from 'node:path';
import { LibraryError } from '../../library/errors.js';
import { pageCacheDir } from '../../library/page-cache.js';
import type { DocumentInfo, Library } from '../../service/library.js';

export interface PdfPage {
  document: DocumentInfo;
  page: number;
  /** The kept original PDF. */
  file: string;
  /** Where this page's images and word boxes are cached. */
  cacheDir: string;
}

export function pdfPage(library: Library, docId: string, page: number): PdfPage {
  const document = library.document(docId);
  if (document.format !== 'pdf') {
    throw new LibraryError('not_found', `${docId} is ${document.format === 'html' ? 'an HTML' : `a ${document.format}`} document, not a PDF, so it has no page images`, 'Read it in the document viewer');
  }
  if (!Number.isInteger(page) || page < 1 || page > document.pageCount) {
    throw new LibraryError('not_found', `${docId} has no page ${page}`, `Pages run from 1 to ${document.pageCount}`);
  }
  const original = library.original(docId);
  const cacheDir = pageCacheDir(library.dir, document.contentHash);
  if (!cacheDir) throw new LibraryError('not_found', `the original of ${docId} is not kept`, 'Add the document again to keep its original');
  return { document, page, file: original.file, cacheDir };
}

export const cacheFile = (page: PdfPage, name: string): string => path.join(page.cacheDir, name);
