import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { commandExists } from './command-path.js';
import { CommandError } from './external-command.js';
import type { OcrOptions } from './ocr-options.js';
import type { RecognisedPage } from './ocr-runs.js';
import { missingLanguage, missingTool, OcrUnavailableError, RECOGNISER, RENDERER } from './ocr-tools.js';
import { renderPage } from './page-image.js';
import { recogniseImage } from './recognise-image.js';

/**
 * OCR of some pages of a PDF: each page rendered by pdftoppm and read by tesseract, at most
 * `concurrency` pages at a time, in a temporary folder removed afterwards. A page that fails is
 * reported and the others carry on; a missing program or language pack stops OCR altogether.
 */
export interface PageToRecognise {
  number: number;
  /** Points. */
  width: number;
  height: number;
}

export interface OcrOutcome {
  recognised: RecognisedPage[];
  /** Why a page could not be recognised, per page number. */
  failed: Map<number, string>;
  /** Set when OCR could not run at all on this machine. */
  unavailable?: OcrUnavailableError;
}

export interface OcrMonitor {
  /** More time the conversion needs: the worst case of the OCR about to start. */
  extendTimeLimit?(ms: number): void;
  /** A helper process started (running) or ended. */
  process?(pid: number, running: boolean): void;
}

function checkTools(options: OcrOptions): OcrUnavailableError | undefined {
  if (!commandExists(options.pdftoppm)) return missingTool(RENDERER, options.pdftoppm);
  if (!commandExists(options.tesseract)) return missingTool(RECOGNISER, options.tesseract);
  return undefined;
}

function describeFailure(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

export async function recognisePages(bytes: Uint8Array, pages: readonly PageToRecognise[], options: OcrOptions, monitor: OcrMonitor = {}): Promise<OcrOutcome> {
  const outcome: OcrOutcome = { recognised: [], failed: new Map() };
  if (pages.length === 0) return outcome;
  const unavailable = checkTools(options);
  if (unavailable) return { ...outcome, unavailable };

  const rounds = Math.ceil(pages.length / options.concurrency);
  monitor.extendTimeLimit?.(rounds * 2 * options.pageTimeoutMs);
  const folder = await fs.mkdtemp(path.join(os.tmpdir(), 'mcdewey-ocr-'));
  const onProcess = monitor.process?.bind(monitor);
  try {
    const pdfFile = path.join(folder, 'document.pdf');
    await fs.writeFile(pdfFile, bytes);
    let next = 0;
    const worker = async () => {
      while (next < pages.length && !outcome.unavailable) {
        const page = pages[next++]!;
        try {
          const image = await renderPage(pdfFile, page, folder, options, onProcess);
          const lines = await recogniseImage(image.file, image.dpi, options, onProcess);
          await fs.rm(image.file, { force: true });
          outcome.recognised.push({ number: page.number, lines, scaleX: page.width / image.width, scaleY: page.height / image.height });
        } catch (error) {
          const cannotRun =
            error instanceof CommandError
              ? error.failure === 'missing'
                ? missingTool(error.command === options.tesseract ? RECOGNISER : RENDERER, error.command)
                : missingLanguage(error)
              : undefined;
          if (cannotRun) outcome.unavailable ??= cannotRun;
          else outcome.failed.set(page.number, describeFailure(error));
        }
      }
    };
    await Promise.all(Array.from({ length: Math.min(options.concurrency, pages.length) }, worker));
  } finally {
    await fs.rm(folder, { recursive: true, force: true });
  }
  outcome.recognised.sort((a, b) => a.number - b.number);
  return outcome;
}
