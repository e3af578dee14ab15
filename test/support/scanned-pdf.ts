import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { buildPdf, firstExtraObject, streamObject } from '../hardening/pdf-builder.js';

/**
 * A "scanned" copy of PDF pages: each page rendered to a greyscale image with poppler's pdftoppm,
 * and a new PDF holding nothing but those images (no text layer, no fonts), as a scanner would
 * write it. Used by the OCR tests and the fidelity benchmark.
 */
const run = promisify(execFile);

/** A binary PGM (P5) image: pdftoppm's -gray output. */
function parsePgm(data: Buffer): { width: number; height: number; pixels: Buffer } {
  const header = /^P5\s+(\d+)\s+(\d+)\s+(\d+)\s/.exec(data.subarray(0, 64).toString('latin1'));
  if (!header || header[3] !== '255') throw new Error('pdftoppm did not write an 8-bit PGM image');
  const width = Number(header[1]);
  const height = Number(header[2]);
  return { width, height, pixels: data.subarray(header[0].length, header[0].length + width * height) };
}

export async function scannedCopy(file: string, pages: readonly number[], dpi = 300): Promise<Uint8Array> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mcdewey-scan-'));
  try {
    const images: { width: number; height: number; pixels: Buffer }[] = [];
    for (const page of pages) {
      const prefix = path.join(dir, `page-${page}`);
      await run('pdftoppm', ['-r', String(dpi), '-gray', '-singlefile', '-f', String(page), '-l', String(page), file, prefix]);
      images.push(parsePgm(fs.readFileSync(`${prefix}.pgm`)));
    }
    const first = firstExtraObject(images.length);
    const points = (pixels: number) => Math.round((pixels * 72 * 100) / dpi) / 100;
    return buildPdf(
      images.map((image, i) => ({
        content: `q ${points(image.width)} 0 0 ${points(image.height)} 0 0 cm /Im1 Do Q`,
        size: [points(image.width), points(image.height)],
        resources: `/XObject << /Im1 ${first + i} 0 R >>`,
      })),
      {
        extraObjects: images.map((image) =>
          streamObject(image.pixels, {
            dictionary: `/Type /XObject /Subtype /Image /Width ${image.width} /Height ${image.height} /ColorSpace /DeviceGray /BitsPerComponent 8`,
            compress: true,
          }),
        ),
      },
    );
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
