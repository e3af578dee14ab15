import { LibraryError, type ErrorCode } from './errors.js';
import { WAL_HINT } from './wal-hint.js';
import { WRITE_LOCK_WAIT_MS } from './write-lock.js';

/** The storage failures people can act on. */
export type StorageFailureCode = Extract<ErrorCode, 'disk_full' | 'read_only' | 'damaged' | 'io' | 'unavailable'>;

/** Which storage failure a system or SQLite error is, recognised by its error code; undefined for anything else. */
export function storageFailureCode(error: unknown): StorageFailureCode | undefined {
  if (error instanceof LibraryError) return undefined;
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code !== 'string') return undefined;
  if (code === 'ENOSPC' || code === 'EDQUOT' || code === 'SQLITE_FULL') return 'disk_full';
  if (code === 'EROFS' || code.startsWith('SQLITE_READONLY')) return 'read_only';
  if (code.startsWith('SQLITE_CORRUPT') || code === 'SQLITE_NOTADB') return 'damaged';
  if (code.startsWith('SQLITE_IOERR')) return 'io';
  if (code.startsWith('SQLITE_BUSY')) return 'unavailable';
  return undefined;
}

/**
 * What a storage failure means for the person who hit it: a full disk, a data directory that
 * cannot be written, a damaged index, an index that cannot be read. Undefined for anything else,
 * which callers report as it is.
 */
export function storageFailure(error: unknown): LibraryError | undefined {
  const failure = storageFailureCode(error);
  if (!failure) return undefined;
  const message = (error as Error).message;
  switch (failure) {
    case 'disk_full':
      return new LibraryError(failure, `the disk holding the data directory is full (${message})`, 'Free some space and run the command again', { cause: error });
    case 'read_only':
      return new LibraryError(failure, `the data directory cannot be written (${message})`, 'Make it writable, or use another --data directory', { cause: error });
    case 'damaged':
      return new LibraryError(failure, `the index is damaged (${message})`, 'Run `mcdewey reindex` to rebuild it from the Markdown files', { cause: error });
    case 'io':
      return new LibraryError(failure, `the index could not be read or written (${message}, ${(error as { code: string }).code})`, WAL_HINT, { cause: error });
    case 'unavailable':
      return new LibraryError(
        failure,
        `another McDewey process kept the library's write lock for longer than ${WRITE_LOCK_WAIT_MS / 1000} s (${message})`,
        'Run the command again once the other add, remove or reindex has finished',
        { cause: error },
      );
  }
}

/** The message to show for any failure: a storage failure explained, anything else as it is. */
export function failureMessage(error: unknown): string {
  return storageFailure(error)?.message ?? (error instanceof Error ? error.message : String(error));
}
