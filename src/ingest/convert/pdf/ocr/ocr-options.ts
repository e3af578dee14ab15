import os from 'node:os';
import { z } from 'zod';

/**
 * How pages without a text layer are read: rendered to an image with poppler's pdftoppm, then
 * recognised with tesseract. Both run as separate processes, a few at a time, each with a time
 * limit.
 */
export const OcrOptionsSchema = z.object({
  enabled: z.boolean().default(true),
  /** tesseract's -l: language packs joined by "+", e.g. "eng" or "eng+deu" (Debian: tesseract-ocr-deu). */
  languages: z.string().regex(/^[A-Za-z][A-Za-z0-9_]*(\+[A-Za-z][A-Za-z0-9_]*)*$/, 'language codes joined by "+", e.g. "eng+deu"').default('eng'),
  /** Rendering resolution; tesseract reads best at about 300 dpi. */
  dpi: z.number().int().min(72).max(600).default(300),
  /** Pages recognised at the same time (tesseract is held to one thread each). */
  concurrency: z.number().int().min(1).max(16).default(Math.max(1, Math.min(4, os.availableParallelism()))),
  /** Time limit for rendering one page, and again for recognising it. */
  pageTimeoutMs: z.number().int().min(1000).default(120_000),
  pdftoppm: z.string().min(1).default('pdftoppm'),
  tesseract: z.string().min(1).default('tesseract'),
});

export type OcrOptions = z.infer<typeof OcrOptionsSchema>;
export type OcrSettings = z.input<typeof OcrOptionsSchema>;

/** Settings checked and completed with the defaults; a bad value throws, naming the setting. */
export function resolveOcrOptions(settings: OcrSettings = {}): OcrOptions {
  const parsed = OcrOptionsSchema.safeParse(settings);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `${issue.path.join('.') || 'ocr'}: ${issue.message}`);
    throw new TypeError(`invalid OCR settings: ${problems.join('; ')}`);
  }
  return parsed.data;
}
