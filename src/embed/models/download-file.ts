import { open, rename, rm, stat } from 'node:fs/promises';
import { errorMessageWithCause } from '../error-message.js';
import type { RemoteFile } from './hub-listing.js';
import { fileMismatch } from './verify-file.js';

export interface DownloadRequest {
  url: string;
  /** Final location; the transfer goes to `<target>.partial` and is renamed only once verified. */
  target: string;
  expected: RemoteFile;
  headers?: Record<string, string>;
  /** Called with the number of bytes of this file on disk so far. */
  onProgress?: (bytes: number) => void;
  /** Transfers tried before giving up (each resumes where the last one stopped). Default 5. */
  maxAttempts?: number;
  /** A transfer that receives nothing for this long counts as cut. Default 60 s. */
  stallTimeoutMs?: number;
  /** First pause between attempts, doubled each time. Default 1 s. */
  retryDelayMs?: number;
}

/** `present`: already on disk and verified. `resumed`: some bytes came from an earlier, interrupted transfer. */
export type DownloadOutcome = 'present' | 'downloaded' | 'resumed';

export const partialPath = (target: string): string => `${target}.partial`;

/** A failed transfer; `retryable` when trying again (resuming) can help. */
class TransferError extends Error {
  constructor(message: string, readonly retryable: boolean) {
    super(message);
  }
}

/**
 * Downloads one file so that it is either absent or complete and verified at `target`, never half-written: bytes
 * go to a `.partial` file, a cut transfer resumes from its end with an HTTP Range request (now, or in a later run),
 * and the file is renamed into place only after its size and checksum match the listing. A mismatch removes the
 * partial file, since resuming would only keep the bad bytes.
 */
export async function downloadFile(request: DownloadRequest): Promise<DownloadOutcome> {
  const { target, expected } = request;
  if ((await fileMismatch(target, expected)) === undefined) {
    request.onProgress?.(expected.size);
    return 'present';
  }
  await rm(target, { force: true });

  const partial = partialPath(target);
  const maxAttempts = request.maxAttempts ?? 5;
  let resumed = false;
  for (let attempt = 1; ; attempt++) {
    try {
      resumed = (await transfer(request, partial)) || resumed;
      break;
    } catch (error) {
      if (!(error instanceof TransferError) || !error.retryable) throw error;
      if (attempt >= maxAttempts) {
        const kept = (await stat(partial).catch(() => undefined))?.size ?? 0;
        throw new Error(
          `downloading ${expected.path} failed after ${attempt} attempt${attempt === 1 ? '' : 's'}: ${error.message}. ` +
            `${kept} of ${expected.size} bytes are kept in ${partial}; run the same pull again to resume`,
        );
      }
      await sleep(Math.min((request.retryDelayMs ?? 1000) * 2 ** (attempt - 1), 30_000));
    }
  }

  const problem = await fileMismatch(partial, expected);
  if (problem !== undefined) {
    await rm(partial, { force: true });
    throw new Error(
      `${expected.path} from ${request.url} is corrupt: ${problem}. The download was removed; run the pull again, ` +
        'and if it fails the same way the hub or mirror serves a file that does not match its own listing',
    );
  }
  await rename(partial, target);
  return resumed ? 'resumed' : 'downloaded';
}

/** One HTTP transfer into the partial file. Resolves to whether it continued existing bytes. */
async function transfer(request: DownloadRequest, partial: string): Promise<boolean> {
  const { url, expected } = request;
  let have = (await stat(partial).catch(() => undefined))?.size ?? 0;
  if (have > expected.size) {
    await rm(partial, { force: true });
    have = 0;
  }
  if (have === expected.size && expected.size > 0) return true;

  const stallMs = request.stallTimeoutMs ?? 60_000;
  const controller = new AbortController();
  let stallTimer: NodeJS.Timeout | undefined;
  const armStallTimer = (): void => {
    clearTimeout(stallTimer);
    stallTimer = setTimeout(() => controller.abort(new Error(`no data arrived for ${stallMs / 1000} s`)), stallMs);
  };

  armStallTimer();
  try {
    let response: Response;
    try {
      response = await fetch(url, {
        headers: { ...request.headers, ...(have > 0 ? { range: `bytes=${have}-` } : {}) },
        signal: controller.signal,
      });
    } catch (error) {
      throw new TransferError(`could not connect to ${url}: ${errorMessageWithCause(error)}`, true);
    }

    const start = await startOffset(response, have, url, expected.path);
    if (start === undefined) {
      // The server could not continue this partial file (e.g. it changed upstream): start from zero next time.
      await response.body?.cancel();
      await rm(partial, { force: true });
      throw new TransferError(`${url} refused to resume at byte ${have} (HTTP ${response.status})`, true);
    }

    const handle = await open(partial, start > 0 ? 'a' : 'w');
    let onDisk = start;
    try {
      if (response.body) {
        for await (const chunk of response.body) {
          armStallTimer();
          onDisk += chunk.byteLength;
          if (onDisk > expected.size) {
            throw new TransferError(`${url} sent more than the ${expected.size} bytes its listing gives for ${expected.path}`, false);
          }
          await handle.write(chunk);
          request.onProgress?.(onDisk);
        }
      }
      await handle.datasync();
    } catch (error) {
      if (error instanceof TransferError) {
        if (!error.retryable) await rm(partial, { force: true });
        throw error;
      }
      throw new TransferError(`the transfer of ${expected.path} broke after ${onDisk} of ${expected.size} bytes: ${errorMessageWithCause(error)}`, true);
    } finally {
      await handle.close();
    }
    if (onDisk < expected.size) throw new TransferError(`the transfer of ${expected.path} ended after ${onDisk} of ${expected.size} bytes`, true);
    return start > 0;
  } finally {
    clearTimeout(stallTimer);
  }
}

/**
 * Where the body of `response` starts in the file: 0 for a whole file, `have` for a matching partial answer, or
 * undefined when the answer cannot continue the partial file. Errors that retrying cannot fix are thrown.
 */
async function startOffset(response: Response, have: number, url: string, filePath: string): Promise<number | undefined> {
  if (response.status === 200) return 0;
  if (response.status === 206) {
    const match = /^bytes (\d+)-\d+\/(\d+|\*)$/.exec(response.headers.get('content-range') ?? '');
    return match && Number(match[1]) === have ? have : undefined;
  }
  if (response.status === 416) return undefined;
  await response.body?.cancel();
  const retryable = response.status === 408 || response.status === 429 || response.status >= 500;
  const detail = response.status === 404 ? ' (the listing names it, but the server does not have it)' : '';
  throw new TransferError(`${url} answered HTTP ${response.status} ${response.statusText} for ${filePath}${detail}`, retryable);
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));
