/**
 * Runs poppler's command-line tools (pdftoppm, pdftotext) for the viewer's page images: found on
 * PATH at each call (so installing poppler-utils takes effect without a restart), bounded in time
 * and output, and never more than two at once, because each one holds a whole core while it draws.
 */
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { LibraryError } from '../../library/errors.js';

export type PopplerTool = 'pdftoppm' | 'pdftotext';

export const POPPLER_PACKAGE_HINT = 'Install the poppler-utils package (Debian and Ubuntu: apt install poppler-utils; macOS: brew install poppler)';

/** A page that takes longer than this to draw is not worth waiting for: the text view is already there. */
const TIME_LIMIT_MS = 20_000;
const MAX_OUTPUT_BYTES = 32 * 1024 * 1024;
const MAX_RUNNING = 2;
/** Requests beyond this many waiting are refused rather than queued without bound. */
const MAX_WAITING = 32;

/** The tool's path on PATH, or undefined when it is not installed. */
export function findTool(tool: PopplerTool): string | undefined {
  const extensions = process.platform === 'win32' ? ['.exe', ''] : [''];
  for (const folder of (process.env['PATH'] ?? '').split(path.delimiter)) {
    if (!folder) continue;
    for (const extension of extensions) {
      const candidate = path.join(folder, tool + extension);
      try {
        fs.accessSync(candidate, fs.constants.X_OK);
        if (fs.statSync(candidate).isFile()) return candidate;
      } catch {
        // not here: try the next folder
      }
    }
  }
  return undefined;
}

export function missingTool(tool: PopplerTool): LibraryError {
  return new LibraryError('unavailable', `${tool} is not installed on the server, so PDF pages cannot be shown as images`, POPPLER_PACKAGE_HINT);
}

let running = 0;
const waiting: (() => void)[] = [];

async function slot(): Promise<() => void> {
  if (running >= MAX_RUNNING) {
    if (waiting.length >= MAX_WAITING) {
      throw new LibraryError('unavailable', 'too many page images are being drawn at once', 'Retry in a moment');
    }
    await new Promise<void>((resolve) => waiting.push(resolve));
  }
  running++;
  return () => {
    running--;
    waiting.shift()?.();
  };
}

/**
 * Runs a poppler tool and returns what it wrote to stdout; every failure is a LibraryError that says
 * what to do. `timeoutMs` overrides the time limit (tests use a short one).
 */
export async function runTool(tool: PopplerTool, args: string[], what: string, timeoutMs = TIME_LIMIT_MS): Promise<Buffer> {
  const command = findTool(tool);
  if (!command) throw missingTool(tool);
  const release = await slot();
  try {
    return await new Promise<Buffer>((resolve, reject) => {
      execFile(command, args, { timeout: timeoutMs, killSignal: 'SIGKILL', maxBuffer: MAX_OUTPUT_BYTES, encoding: 'buffer' }, (error, stdout, stderr) => {
        if (!error) return resolve(stdout);
        const failure = error as NodeJS.ErrnoException & { killed?: boolean };
        if (failure.code === 'ENOENT') return reject(missingTool(tool));
        if (failure.killed) {
          return reject(new LibraryError('unavailable', `${tool} took longer than ${timeoutMs / 1000} s on ${what}`, 'Open the original PDF instead'));
        }
        const reason = stderr.toString('utf8').trim().split('\n')[0]?.slice(0, 200) || failure.message;
        reject(new LibraryError('unavailable', `${tool} failed on ${what}: ${reason}`, 'Open the original PDF instead'));
      });
    });
  } finally {
    release();
  }
}
