import fs from 'node:fs';
import { convertFile } from '../../../src/ingest/convert/index.js';
import { popplerPages } from './poppler-pages.js';
import { runningLines, withoutRunningLines } from './running-lines.js';
import { oneWordRowTables } from './table-shapes.js';
import { lcsLength, markdownWords, words } from '../../../test/support/word-overlap.js';

/** How much of poppler's reading-order text of a page McDewey's page keeps, in order. */
export interface PageFidelity {
  page: number;
  /** Words on poppler's side, running headers and footers left out. */
  popplerWords: number;
  mcdeweyWords: number;
  /** Longest common subsequence of the two word sequences over popplerWords. */
  score: number;
  ocr: boolean;
}

export interface DocumentFidelity {
  file: string;
  pages: PageFidelity[];
  /** Pages poppler finds no words on (image-only): not scored. */
  pagesWithoutText: number[];
  runningLinesLeftOut: number;
  oneWordRowTables: { page: number; start: string }[];
  convertMs: number;
}

export async function documentFidelity(file: string): Promise<DocumentFidelity> {
  const started = performance.now();
  const converted = await convertFile({ bytes: new Uint8Array(fs.readFileSync(file)), fileName: file });
  const convertMs = performance.now() - started;
  const poppler = await popplerPages(file, converted.pages.length);
  const running = runningLines(poppler);
  const result: DocumentFidelity = { file, pages: [], pagesWithoutText: [], runningLinesLeftOut: 0, oneWordRowTables: [], convertMs };
  for (const page of converted.pages) {
    const reference = poppler[page.number - 1]!;
    const kept = withoutRunningLines(reference.lines, running[page.number - 1]!);
    result.runningLinesLeftOut += reference.lines.length - kept.length;
    for (const start of oneWordRowTables(page.markdown)) result.oneWordRowTables.push({ page: page.number, start });
    const expected = words(kept.join('\n'));
    const actual = markdownWords(page.markdown);
    if (expected.length === 0) {
      result.pagesWithoutText.push(page.number);
      continue;
    }
    const score = lcsLength(expected, actual) / expected.length;
    result.pages.push({ page: page.number, popplerWords: expected.length, mcdeweyWords: actual.length, score, ocr: page.ocr === true });
  }
  return result;
}
