import type { Converter } from './types.js';
import { buildDocument } from './pdf/build-document.js';
import { toConversionError } from './pdf/conversion-errors.js';
import { checkPdfStructure } from './pdf/file-structure.js';
import { resolveOcrOptions } from './pdf/ocr/ocr-options.js';
import { recogniseScannedPages } from './pdf/ocr/scanned-pages.js';
import { openPdf } from './pdf/open-document.js';
import { readPdf } from './pdf/read-pdf.js';

/**
 * PDF to Markdown, one page per physical page: text in reading order, headings from font sizes
 * and the outline, running headers/footers removed, broken words rejoined, tables and code kept.
 * Pages without a text layer that hold images (scans) are read by OCR. Every failure surfaces as
 * a ConversionError.
 */
export const convertPdf: Converter = async ({ bytes, fileName, ocr, monitor }) => {
  const ocrOptions = resolveOcrOptions(ocr);
  const warnings = checkPdfStructure(bytes, fileName);
  const { task, doc } = await openPdf(bytes, fileName);
  try {
    const content = await readPdf(doc);
    await recogniseScannedPages(content, bytes, ocrOptions, monitor);
    const document = buildDocument(content, fileName);
    return { ...document, warnings: [...warnings, ...document.warnings] };
  } catch (error) {
    throw toConversionError(error, fileName);
  } finally {
    await task.destroy().catch(() => undefined);
  }
};
