import fs from 'node:fs';
import path from 'node:path';
import { runCommand } from './external-command.js';
import type { OcrOptions } from './ocr-options.js';

/** Rendering a PDF page to a greyscale PNG with pdftoppm, for tesseract to read. */

/** No side of a rendered page is longer than this (pixels): a poster-sized page is rendered at a lower resolution. */
const MAX_SIDE_PX = 10_000;

export interface PageImage {
  file: string;
  /** Pixels. */
  width: number;
  height: number;
  dpi: number;
}

/** Width and height from a PNG's IHDR chunk. */
export function pngSize(file: string): { width: number; height: number } {
  const header = Buffer.alloc(24);
  const fd = fs.openSync(file, 'r');
  try {
    fs.readSync(fd, header, 0, 24, 0);
  } finally {
    fs.closeSync(fd);
  }
  if (header.toString('latin1', 12, 16) !== 'IHDR') throw new Error(`${path.basename(file)} is not a PNG image`);
  return { width: header.readUInt32BE(16), height: header.readUInt32BE(20) };
}

/** The resolution to render a page of this size (points) at: the wanted dpi, less for very large pages. */
export function renderDpi(widthPt: number, heightPt: number, dpi: number): number {
  const longest = Math.max(widthPt, heightPt, 1);
  return Math.max(36, Math.min(dpi, Math.floor((MAX_SIDE_PX * 72) / longest)));
}

export async function renderPage(
  pdfFile: string,
  page: { number: number; width: number; height: number },
  folder: string,
  options: OcrOptions,
  onProcess?: (pid: number, running: boolean) => void,
): Promise<PageImage> {
  const prefix = path.join(folder, `page-${page.number}`);
  const dpi = renderDpi(page.width, page.height, options.dpi);
  const number = String(page.number);
  await runCommand(
    options.pdftoppm,
    ['-r', String(dpi), '-gray', '-png', '-singlefile', '-f', number, '-l', number, pdfFile, prefix],
    { timeoutMs: options.pageTimeoutMs, ...(onProcess ? { onProcess } : {}) },
  );
  const file = `${prefix}.png`;
  return { file, dpi, ...pngSize(file) };
}
