import path from 'node:path';
import { convertFile } from '../../../src/ingest/convert/index.js';
import { scannedCopy } from '../../../test/support/scanned-pdf.js';
import { popplerPages } from './poppler-pages.js';
import { lcsLength, markdownWords, words } from '../../../test/support/word-overlap.js';

/**
 * OCR on scanned copies of corpus pages: each page rendered at 300 dpi into an image-only PDF,
 * converted by McDewey (which OCRs it), and compared with poppler's text of the original page.
 * Nothing is left out of poppler's side here: a one-page copy has no running lines to detect.
 */
export interface OcrSample {
  file: string;
  page: number;
}

export interface OcrFidelity extends OcrSample {
  popplerWords: number;
  recognisedWords: number;
  /** Longest common subsequence of words / poppler's word count. */
  recovered: number;
  markedOcr: boolean;
  seconds: number;
}

export async function ocrFidelity(sample: OcrSample): Promise<OcrFidelity> {
  const [original] = await popplerPages(sample.file, sample.page, sample.page);
  const bytes = await scannedCopy(sample.file, [sample.page]);
  const started = performance.now();
  const converted = await convertFile({ bytes, fileName: `${path.basename(sample.file, '.pdf')}-page-${sample.page}-scanned.pdf` });
  const seconds = (performance.now() - started) / 1000;
  const expected = words(original!.lines.join('\n'));
  const actual = markdownWords(converted.pages[0]!.markdown);
  return {
    ...sample,
    popplerWords: expected.length,
    recognisedWords: actual.length,
    recovered: expected.length === 0 ? 1 : lcsLength(expected, actual) / expected.length,
    markedOcr: converted.pages[0]!.ocr === true,
    seconds,
  };
}
