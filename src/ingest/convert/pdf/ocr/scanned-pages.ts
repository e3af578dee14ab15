import { roundSize } from '../text-layout.js';
import type { PdfContent, RawPage } from '../model.js';
import type { OcrOptions } from './ocr-options.js';
import { recognisedRuns } from './ocr-runs.js';
import { recognisePages, type OcrMonitor } from './recognise-pages.js';

function isScanned(page: RawPage): boolean {
  return page.error === undefined && page.runs.length === 0 && page.drawsImages === true;
}

/** The size most typed text is set in, so recognised text can be given the same size. */
function typedBodySize(pages: readonly RawPage[]): number | undefined {
  const chars = new Map<number, number>();
  for (const page of pages) for (const run of page.runs) chars.set(roundSize(run.fontSize), (chars.get(roundSize(run.fontSize)) ?? 0) + run.text.length);
  return [...chars].sort((a, b) => b[1] - a[1])[0]?.[0];
}

/**
 * Gives the pages of a PDF that have no text layer but draw images (scans) the text OCR finds
 * in them, in place. Each such page records the outcome in `page.ocr`; a page OCR could not read
 * keeps no runs and says why, so that the document is still added without it.
 */
export async function recogniseScannedPages(content: PdfContent, bytes: Uint8Array, options: OcrOptions, monitor?: OcrMonitor): Promise<void> {
  const scanned = content.pages.filter(isScanned);
  if (!options.enabled || scanned.length === 0) return;
  const bodySize = typedBodySize(content.pages);
  const outcome = await recognisePages(bytes, scanned, options, monitor);
  const runs = recognisedRuns(outcome.recognised, bodySize);
  for (const page of scanned) {
    const recognised = runs.get(page.number);
    if (recognised) {
      page.runs = recognised;
      page.ocr = { recognised: true };
    } else {
      const { unavailable } = outcome;
      page.ocr = unavailable
        ? { recognised: false, problem: unavailable.reason, debianPackage: unavailable.debianPackage }
        : { recognised: false, problem: outcome.failed.get(page.number) ?? 'OCR gave no result' };
    }
  }
}
