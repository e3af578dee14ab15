import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { buildPdf, firstExtraObject, streamObject, textContent, type PdfPage } from '../hardening/pdf-builder.js';

/**
 * "Scanned" PDFs: pages rendered to greyscale images with poppler's pdftoppm, in a new PDF that
 * holds nothing but those images (no text layer, no fonts), as a scanner would write it; typed
 * pages can be mixed in. Used by the OCR tests and the fidelity benchmark.
 */
const run = promisify(execFile);

export interface PageImage {
  width: number;
  height: number;
  dpi: number;
  /** 8-bit grey, row by row. */
  pixels: Buffer;
}

/** A binary PGM (P5) image: pdftoppm's -gray output. */
function parsePgm(data: Buffer, dpi: number): PageImage {
  const header = /^P5\s+(\d+)\s+(\d+)\s+(\d+)\s/.exec(data.subarray(0, 64).toString('latin1'));
  if (!header || header[3] !== '255') throw new Error('pdftoppm did not write an 8-bit PGM image');
  const width = Number(header[1]);
  const height = Number(header[2]);
  return { width, height, dpi, pixels: data.subarray(header[0].length, header[0].length + width * height) };
}

export async function renderPageImage(file: string, page: number, dpi = 300): Promise<PageImage> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mcdewey-scan-'));
  try {
    const prefix = path.join(dir, 'page');
    await run('pdftoppm', ['-r', String(dpi), '-gray', '-singlefile', '-f', String(page), '-l', String(page), file, prefix]);
    return parsePgm(fs.readFileSync(`${prefix}.pgm`), dpi);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** A PDF of image pages and typed pages (lines of Helvetica), in the order given. */
export function pdfOfPages(pages: readonly (PageImage | { lines: string[] })[]): Uint8Array {
  const images = pages.filter((page): page is PageImage => 'pixels' in page);
  const first = firstExtraObject(pages.length);
  const points = (pixels: number, dpi: number) => Math.round((pixels * 72 * 100) / dpi) / 100;
  const built: PdfPage[] = pages.map((page) => {
    if (!('pixels' in page)) return { content: textContent(page.lines) };
    const [width, height] = [points(page.width, page.dpi), points(page.height, page.dpi)];
    return { content: `q ${width} 0 0 ${height} 0 0 cm /Im1 Do Q`, size: [width, height], resources: `/XObject << /Im1 ${first + images.indexOf(page)} 0 R >>` };
  });
  return buildPdf(built, {
    extraObjects: images.map((image) =>
      streamObject(image.pixels, {
        dictionary: `/Type /XObject /Subtype /Image /Width ${image.width} /Height ${image.height} /ColorSpace /DeviceGray /BitsPerComponent 8`,
        compress: true,
      }),
    ),
  });
}

/** Image-only copies of some pages of a PDF. */
export async function scannedCopy(file: string, pages: readonly number[], dpi = 300): Promise<Uint8Array> {
  const images: PageImage[] = [];
  for (const page of pages) images.push(await renderPageImage(file, page, dpi));
  return pdfOfPages(images);
}
