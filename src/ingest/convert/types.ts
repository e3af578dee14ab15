import { LibraryError } from '../../library/errors.js';
import type { OcrSettings } from './pdf/ocr/ocr-options.js';
import type { OcrMonitor } from './pdf/ocr/recognise-pages.js';

/**
 * What every converter produces: a document as an ordered list of pages of Markdown.
 * PDFs have one entry per physical page; HTML, Markdown and text documents have a single page
 * (number 1) because they have no physical pages.
 */
export interface ConvertedPage {
  /** 1-based physical page number. */
  number: number;
  /** Printed page label where the source has one (PDF /PageLabels), e.g. "43" or "iv". */
  label?: string;
  /** The page as Markdown: `#` headings, paragraphs, fenced code, pipe tables. No page markers. */
  markdown: string;
  /** The text was recognised (OCR) from the page's image: it had no text layer. */
  ocr?: boolean;
}

export interface ConvertedDocument {
  /** Best title found in the source (PDF metadata/outline/first heading, HTML <title>/h1, front matter). */
  title: string;
  pages: ConvertedPage[];
  /** Problems that did not stop conversion (e.g. "page 12 has no text layer"). */
  warnings: string[];
}

export interface ConvertInput {
  /** Raw bytes of the source file. */
  bytes: Uint8Array;
  /** File name (used for the fallback title and for error messages). */
  fileName: string;
  /** OCR settings for PDF pages without a text layer (defaults in pdf/ocr/ocr-options.ts). */
  ocr?: OcrSettings;
  /** Told about slow work in helper processes (OCR), so a caller with a time limit can allow for it and stop them with the conversion. */
  monitor?: OcrMonitor;
  /** Told when loading this format's converter starts and ends: that time is not the document's. */
  loading?: (busy: boolean) => void;
}

export type Converter = (input: ConvertInput) => Promise<ConvertedDocument>;

/** A conversion failure a user can act on: names the file and says what to do. */
export class ConversionError extends LibraryError {
  constructor(
    readonly fileName: string,
    readonly problem: string,
    override readonly hint: string,
  ) {
    super('ingest_failed', `${fileName}: ${problem}`, hint);
    this.name = 'ConversionError';
  }
}
