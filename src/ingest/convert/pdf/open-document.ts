import { fileURLToPath } from 'node:url';
import { getDocument, GlobalWorkerOptions, VerbosityLevel } from 'pdfjs-dist/legacy/build/pdf.mjs';
import type { PDFDocumentLoadingTask, PDFDocumentProxy } from 'pdfjs-dist/legacy/build/pdf.mjs';
import { toConversionError } from './conversion-errors.js';

// In Node pdfjs runs its worker code on the main thread (no Worker is started); point it at the
// worker module explicitly so loading does not depend on where pdf.mjs happens to be bundled.
GlobalWorkerOptions.workerSrc = import.meta.resolve('pdfjs-dist/legacy/build/pdf.worker.mjs');

// Character maps for CJK fonts that use predefined encodings; without them such text extracts as nothing.
const CMAP_DIR = fileURLToPath(new URL('./cmaps/', import.meta.resolve('pdfjs-dist/package.json')));

/** An open PDF and the task that owns it: destroy the task when done, whatever happened. */
export interface OpenedPdf {
  task: PDFDocumentLoadingTask;
  doc: PDFDocumentProxy;
}

/** Opens PDF bytes with pdfjs; failures become ConversionErrors. */
export async function openPdf(bytes: Uint8Array, fileName: string): Promise<OpenedPdf> {
  const task = getDocument({
    // pdfjs transfers (detaches) the buffer it is given, so it gets a copy.
    data: bytes.slice(),
    isEvalSupported: false,
    disableFontFace: true,
    useSystemFonts: false,
    cMapUrl: CMAP_DIR,
    cMapPacked: true,
    verbosity: VerbosityLevel.ERRORS,
  });
  try {
    return { task, doc: await task.promise };
  } catch (error) {
    await task.destroy().catch(() => undefined);
    throw toConversionError(error, fileName);
  }
}
