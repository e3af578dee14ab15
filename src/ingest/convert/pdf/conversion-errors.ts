import fs from 'node:fs';
import path from 'node:path';
import { ConversionError } from '../types.js';

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

/** Names the OCR tool this machine has, so the hint is a command that works here. */
function ocrHint(): string {
  if (commandOnPath('ocrmypdf')) return 'Run OCR on it first and add the OCRed file: `ocrmypdf in.pdf out.pdf` (installed here) adds the text layer.';
  if (commandOnPath('tesseract')) {
    return 'Run OCR on it first and add the OCRed file: tesseract is installed here, and `ocrmypdf in.pdf out.pdf` (apt install ocrmypdf) uses it to add the text layer.';
  }
  return 'Run OCR on it first (e.g. ocrmypdf) and add the OCRed file.';
}

function commandOnPath(name: string): boolean {
  return (process.env['PATH'] ?? '').split(path.delimiter).some((folder) => {
    try {
      fs.accessSync(path.join(folder, name), fs.constants.X_OK);
      return folder !== '';
    } catch {
      return false;
    }
  });
}

/** Maps anything pdfjs throws to a ConversionError; a ConversionError passes through unchanged. */
export function toConversionError(error: unknown, fileName: string): ConversionError {
  if (error instanceof ConversionError) return error;
  if (error instanceof Error && error.name === 'PasswordException') return passwordProtectedPdf(fileName);
  const message = error instanceof Error ? error.message : String(error);
  return unreadablePdf(fileName, message || 'unknown error');
}
