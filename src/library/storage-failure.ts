import { LibraryError } from './errors.js';

/**
 * What a storage failure means for the person who hit it, recognised by its system or SQLite error
 * code: a full disk, a data directory that cannot be written, a damaged index. Undefined for
 * anything else, which callers report as it is.
 */
export function storageFailure(error: unknown): LibraryError | undefined {
  if (error instanceof LibraryError) return undefined;
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code !== 'string') return undefined;
  const message = (error as Error).message;
  if (code === 'ENOSPC' || code === 'EDQUOT' || code === 'SQLITE_FULL') {
    return new LibraryError('storage_full', `the disk holding the data directory is full (${message})`, 'Free some space and run the command again', { cause: error });
  }
  if (code === 'EROFS' || code.startsWith('SQLITE_READONLY')) {
    return new LibraryError('storage_read_only', `the data directory cannot be written (${message})`, 'Make it writable, or use another --data directory', { cause: error });
  }
  if (code.startsWith('SQLITE_CORRUPT') || code === 'SQLITE_NOTADB') {
    return new LibraryError('index_damaged', `the index is damaged (${message})`, 'Run `mcdewey reindex` to rebuild it from the Markdown files', { cause: error });
  }
  return undefined;
}

/** The message to show for any failure: a storage failure explained, anything else as it is. */
export function failureMessage(error: unknown): string {
  return storageFailure(error)?.message ?? (error instanceof Error ? error.message : String(error));
}
