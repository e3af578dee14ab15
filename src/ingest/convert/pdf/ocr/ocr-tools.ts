import { CommandError } from './external-command.js';

/**
 * The programs OCR needs, with the Debian package each comes in, so that a machine without them
 * gets a message saying what to install.
 */
export interface OcrTool {
  /** Program name as users know it. */
  name: string;
  /** What it is needed for. */
  role: string;
  debianPackage: string;
}

export const RENDERER: OcrTool = { name: 'pdftoppm', role: 'renders scanned pages to images', debianPackage: 'poppler-utils' };
export const RECOGNISER: OcrTool = { name: 'tesseract', role: 'reads the text in them', debianPackage: 'tesseract-ocr' };

/** OCR cannot run on this machine at all: a tool or a language pack is missing. */
export class OcrUnavailableError extends Error {
  constructor(readonly reason: string, readonly debianPackage: string) {
    super(`${reason}; install the Debian package ${debianPackage} (apt install ${debianPackage})`);
    this.name = 'OcrUnavailableError';
  }
}

export function missingTool(tool: OcrTool, command: string): OcrUnavailableError {
  const named = command === tool.name ? tool.name : `${tool.name} (${command})`;
  return new OcrUnavailableError(`${named} is not installed (it ${tool.role})`, tool.debianPackage);
}

/** tesseract names a language it has no data for in its error: the pack is tesseract-ocr-<code>. */
export function missingLanguage(error: CommandError): OcrUnavailableError | undefined {
  const match = /Failed loading language '([A-Za-z0-9_]+)'/.exec(error.stderr);
  if (!match) return undefined;
  const code = match[1]!;
  const pack = `tesseract-ocr-${code.toLowerCase().replace(/_/g, '-')}`;
  return new OcrUnavailableError(`tesseract has no data for the language "${code}"`, pack);
}
