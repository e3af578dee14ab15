/**
 * Where the reading views get a document's page text: windows of its document file read at byte
 * offsets where the file can serve them (library/document-file-windows.ts), else the index (also
 * while a file's layout is being found in the background). The
 * index holds a page as one value that SQLite reads whole even to return a slice of it, so a window
 * of a 30 MB page cost 30 MB of reading per request; from the file it costs the window.
 */

import type { DocumentFileTarget, DocumentFileWindows, IndexedVersion } from '../library/document-file-windows.js';
import type { PageSlice, StoredDocument, ContentStore } from '../store/store.js';

export interface PageText {
  /** `length` characters of a page's Markdown from `start`, and the page's length. */
  pageSlice(number: number, start: number, length: number): PageSlice | undefined;
  /** Every page's number, label and length in characters. */
  pageLengths(): { number: number; label?: string; chars: number }[];
  /** A page's Markdown in pieces, in order, for a scan that may stop early. */
  pagePieces(number: number, chars: number): Iterable<string>;
}

/** Characters of a page read at once while scanning it from its file. */
const PIECE_CHARS = 256 * 1024;

/** The index alone, for a library without document files (or a test of the index's reads). */
export function indexPageText(store: ContentStore, document: StoredDocument): PageText {
  return {
    pageSlice: (number, start, length) => store.pageSlice(document.rowid, number, start, length),
    pageLengths: () => store.pageLengths(document.rowid),
    // The index reads a page whole to slice it, so slicing it piece by piece would read it again per piece.
    pagePieces: function* (number) {
      const page = store.page(document.rowid, number);
      if (page) yield page.markdown;
    },
  };
}

/** What the index holds of a document, for its file to be read only where it is the same text. */
export function fileVersion(
  store: ContentStore, document: StoredDocument,
  offThread?: (docRowid: number, fileBytes: ReadonlyMap<number, number>, maxTailBytes: number) => Promise<{ number: number; bytes: number; tail?: string }[]>,
): IndexedVersion {
  const version: IndexedVersion = { markdownHash: document.markdownHash, pageBytes: () => store.pageByteLengths(document.rowid) };
  if (offThread) version.pageBytesOffThread = (fileBytes, maxTailBytes) => offThread(document.rowid, fileBytes, maxTailBytes);
  return version;
}

/** The document file where it can serve a page, the index where it cannot. */
export function filePageText(store: ContentStore, document: StoredDocument, file: DocumentFileTarget, windows: DocumentFileWindows, version = fileVersion(store, document)): PageText {
  const index = indexPageText(store, document);
  return {
    pageSlice: (number, start, length) => {
      const slice = Number.isSafeInteger(number) ? windows.slice(file, version, number, start, length) : undefined;
      if (!slice) return index.pageSlice(number, start, length);
      return slice.label === undefined ? { number, chars: slice.chars, text: slice.text } : { number, label: slice.label, chars: slice.chars, text: slice.text };
    },
    pageLengths: () => windows.pageLengths(file, version) ?? index.pageLengths(),
    pagePieces: function* (number, chars) {
      for (let start = 0; start < Math.max(chars, 1); start += PIECE_CHARS) {
        const slice = windows.slice(file, version, number, start, PIECE_CHARS);
        if (!slice) {
          // The file cannot serve this page (or stopped being this version): the rest comes from the index.
          yield* start === 0 ? index.pagePieces(number, chars) : [index.pageSlice(number, start, Number.MAX_SAFE_INTEGER)?.text ?? ''];
          return;
        }
        yield slice.text;
      }
    },
  };
}
