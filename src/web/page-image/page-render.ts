/**
 * A PDF page as a PNG, drawn by pdftoppm from the kept original at one of a few widths (so the
 * cache stays bounded: at most three images per page) and cached in the data directory.
 */
import { cachedFile } from './page-cache-file.js';
import { cacheFile, type PdfPage } from './pdf-page.js';
import { runTool } from './poppler.js';

/** Widths in pixels a page image can be drawn at: a phone, a desktop column, a zoomed or high-density screen. */
export const PAGE_IMAGE_WIDTHS = [600, 1000, 1600] as const;
export type PageImageWidth = (typeof PAGE_IMAGE_WIDTHS)[number];
export const DEFAULT_PAGE_IMAGE_WIDTH: PageImageWidth = 1000;

export function isPageImageWidth(width: number): width is PageImageWidth {
  return (PAGE_IMAGE_WIDTHS as readonly number[]).includes(width);
}

export function pageImage(page: PdfPage, width: PageImageWidth): Promise<Buffer> {
  return cachedFile(cacheFile(page, `p${page.page}-w${width}.png`), () =>
    runTool(
      'pdftoppm',
      ['-f', String(page.page), '-l', String(page.page), '-singlefile', '-png', '-scale-to-x', String(width), '-scale-to-y', '-1', page.file],
      `page ${page.page} of ${page.document.docId}`,
    ),
  );
}
