import { ConversionError } from '../types.js';
import { commandExists } from './ocr/command-path.js';

/** The errors a PDF conversion reports, with what the user can do about each. */

export function unreadablePdf(fileName: string, reason: string): ConversionError {
  return new ConversionError(fileName, `not a readable PDF (${reason.replace(/\.$/, '')})`, 'Check that the file is a complete PDF; re-download or re-export it.');
}

export function passwordProtectedPdf(fileName: string): ConversionError {
  return new ConversionError(
    fileName,
    'the PDF is password-protected',
    'Remove the password (e.g. `qpdf --decrypt --password=PASSWORD in.pdf out.pdf`) and add the unprotected file.',
  );
}

export function scannedPdf(fileName: string, pageCount: number): ConversionError {
  return new ConversionError(
    fileName,
    pageCount === 1 ? 'no text layer on its only page (a scanned PDF?)' : `no text layer on any of its ${pageCount} pages (a scanned PDF?)`,
    ocrHint(),
  );
}

/** Why OCR gave no text for a page: it could not run (a missing program or language pack), failed, or found none. */
export type OcrShortfall = { problem: string; debianPackage?: string } | undefined;

/** No page has text, and OCR, tried on the scanned ones, gave none either. */
export function unrecognisedPdf(fileName: string, pageCount: number, shortfall: OcrShortfall): ConversionError {
  const pages = pageCount === 1 ? 'its only page has no text layer' : `none of its ${pageCount} pages has a text layer`;
  if (shortfall === undefined) {
    return new ConversionError(
      fileName,
      `${pages}, and OCR found no text in its images`,
      'Check that the scan is legible: upright, sharp and about 300 dpi; OCR reads English unless told otherwise.',
    );
  }
  const { problem, debianPackage } = shortfall;
  if (debianPackage) {
    return new ConversionError(
      fileName,
      `${pages}, and OCR cannot run here: ${problem}`,
      `Install the Debian package ${debianPackage} (apt install ${debianPackage}) and add the file again, or add a copy that has a text layer.`,
    );
  }
  return new ConversionError(fileName, `${pages}, and OCR failed: ${problem}`, 'Add the file again; if it fails the same way, add a copy that has a text layer.');
}

/** Names the OCR tool this machine has, so the hint is a command that works here. */
function ocrHint(): string {
  if (commandExists('ocrmypdf')) return 'Run OCR on it first and add the OCRed file: `ocrmypdf in.pdf out.pdf` (installed here) adds the text layer.';
  if (commandExists('tesseract')) {
    return 'Run OCR on it first and add the OCRed file: tesseract is installed here, and `ocrmypdf in.pdf out.pdf` (apt install ocrmypdf) uses it to add the text layer.';
  }
  return 'Run OCR on it first (e.g. ocrmypdf) and add the OCRed file.';
}

/** Maps anything pdfjs throws to a ConversionError; a ConversionError passes through unchanged. */
export function toConversionError(error: unknown, fileName: string): ConversionError {
  if (error instanceof ConversionError) return error;
  if (error instanceof Error && error.name === 'PasswordException') return passwordProtectedPdf(fileName);
  const message = error instanceof Error ? error.message : String(error);
  return unreadablePdf(fileName, message || 'unknown error');
}
