import { runCommand } from './external-command.js';
import type { OcrOptions } from './ocr-options.js';
import { parseHocr, type OcrLine } from './tesseract-hocr.js';

/**
 * Recognising the words of a page image with tesseract: automatic page segmentation (columns
 * and blocks found by tesseract), lines and words with their boxes as hOCR on stdout. tesseract is held to
 * one thread, since pages are already recognised side by side.
 */
export async function recogniseImage(
  imageFile: string,
  dpi: number,
  options: OcrOptions,
  onProcess?: (pid: number, running: boolean) => void,
): Promise<OcrLine[]> {
  const hocr = await runCommand(
    options.tesseract,
    [imageFile, 'stdout', '-l', options.languages, '--psm', '3', '--dpi', String(dpi), 'hocr'],
    {
      timeoutMs: options.pageTimeoutMs,
      env: { ...process.env, OMP_THREAD_LIMIT: '1' },
      ...(onProcess ? { onProcess } : {}),
    },
  );
  return parseHocr(hocr.toString('utf8'));
}
