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
    `no text layer on any of its ${pageCount} pages (a scanned PDF?)`,
    'Run OCR on it first (e.g. ocrmypdf) and add the OCRed file.',
  );
}

/** Maps anything pdfjs throws to a ConversionError; a ConversionError passes through unchanged. */
export function toConversionError(error: unknown, fileName: string): ConversionError {
  if (error instanceof ConversionError) return error;
  if (error instanceof Error && error.name === 'PasswordException') return passwordProtectedPdf(fileName);
  const message = error instanceof Error ? error.message : String(error);
  return unreadablePdf(fileName, message || 'unknown error');
}
