/**
 * Checks of a PDF's byte-level frame that pdf.js is too forgiving about: it reads a cut-off file
 * as far as it goes and rebuilds a broken cross-reference table by scanning, silently. A cut-off
 * download is refused (its missing pages would look like a complete document); a damaged
 * cross-reference table is repaired by pdf.js, so it only earns a warning.
 */

import { unreadablePdf } from './conversion-errors.js';

const HEADER = '%PDF-';
/** Readers look for the header in the first 1024 bytes and for %%EOF in the last 1024. */
const WINDOW = 1024;

const latin1 = (bytes: Uint8Array) => Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('latin1');

/** Throws a ConversionError for a file that is not a PDF or is cut off; returns warnings otherwise. */
export function checkPdfStructure(bytes: Uint8Array, fileName: string): string[] {
  if (bytes.length === 0) throw unreadablePdf(fileName, 'the file is empty');
  if (!latin1(bytes.subarray(0, WINDOW)).includes(HEADER)) {
    throw unreadablePdf(fileName, `it does not start with ${HEADER}, so it is not a PDF file`);
  }
  let end = bytes.length;
  while (end > 0 && (bytes[end - 1] === 0 || bytes[end - 1]! <= 0x20)) end--; // trailing whitespace and padding
  const tail = latin1(bytes.subarray(Math.max(0, end - WINDOW), end));
  if (!tail.includes('%%EOF')) {
    throw unreadablePdf(fileName, `the file is truncated: it does not end with the %%EOF marker (${bytes.length} bytes)`);
  }
  const startxref = /startxref\s+(\d+)\s*%%EOF\s*$/.exec(tail);
  const offset = startxref ? Number(startxref[1]) : undefined;
  const at = offset !== undefined && offset < bytes.length ? latin1(bytes.subarray(offset, offset + 32)) : '';
  // A classic table starts with `xref`; a cross-reference stream is an object, `12 0 obj`.
  if (!/^\s*(?:xref|\d+\s+\d+\s+obj)/.test(at)) {
    return ['the cross-reference table is damaged; the PDF was read by scanning it, so check the result'];
  }
  return [];
}
