/**
 * Worker side of isolated conversion: converts one file per message. Runs in its own thread so
 * that a document that makes a parser loop or balloon can be stopped without harming the
 * process (see isolated-convert.ts).
 */

import { parentPort } from 'node:worker_threads';
import { convertFile } from './index.js';
import { ConversionError } from './types.js';

interface Request { id: number; bytes: Uint8Array; fileName: string }

parentPort!.on('message', async ({ id, bytes, fileName }: Request) => {
  // OCR runs helper processes: the parent hears of them, to allow them time and to stop them with this thread.
  const monitor = {
    extendTimeLimit: (ms: number) => parentPort!.postMessage({ id, extendMs: ms }),
    process: (pid: number, running: boolean) => parentPort!.postMessage({ id, pid, running }),
  };
  try {
    const result = await convertFile({ bytes, fileName, monitor, loading: (busy) => parentPort!.postMessage({ id, loading: busy }) });
    parentPort!.postMessage({ id, ok: true, result });
  } catch (error) {
    const conversion = error instanceof ConversionError
      ? { fileName: error.fileName, problem: error.problem, hint: error.hint }
      : undefined;
    parentPort!.postMessage({ id, ok: false, message: (error as Error).message, conversion });
  }
});

// Modules are loaded once this runs: tell the parent, whose time and memory limits start now.
parentPort!.postMessage({ ready: true });
