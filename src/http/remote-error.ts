import { LibraryError, type ErrorCode } from '../library/errors.js';
import { storageFailureCode, type StorageFailureCode } from '../library/storage-failure.js';

/**
 * What a remote client (the REST API, MCP) is told about a failure: the one place where error
 * text leaving the server is stripped of absolute server paths. The CLI may name the user's own
 * data directory; a remote client learns nothing about the server's file system.
 */
export interface RemoteError {
  code: ErrorCode;
  message: string;
  hint?: string;
}

/**
 * An absolute path: POSIX (`/srv/data/library/x.md`), Windows (`C:\data\x.md`) or UNC
 * (`\\server\share`), starting where a path can start (not inside a URL, an id, a relative path
 * or a word) and running to the next space or quote.
 */
const ABSOLUTE_PATH = /(?<![\w:/\\.~>-])(?:\/(?=[^\s/'"`])|[A-Za-z]:\\|\\\\(?=\w))[^\s'"`]*/g;

export function redactServerPaths(text: string): string {
  return text.replace(ABSOLUTE_PATH, '<path>');
}

const STORAGE: Readonly<Record<StorageFailureCode, { message: string; hint: string }>> = {
  disk_full: { message: 'the disk holding the library on the server is full', hint: 'Ask the operator to free space on the server, then retry' },
  read_only: { message: 'the library on the server cannot be written (read-only)', hint: 'Ask the operator to make the data directory writable' },
  damaged: { message: 'the index on the server is damaged', hint: 'Ask the operator to run `mcdewey reindex`' },
  io: { message: 'the index on the server could not be read or written (disk I/O error)', hint: 'Retry; if it persists, ask the operator to check the server (see `mcdewey check`)' },
  unavailable: { message: 'another writer kept the library on the server busy for too long', hint: 'Retry once the running add, remove or reindex has finished' },
};

/**
 * The remote form of a library error or a storage failure, with server paths removed;
 * undefined for anything else (a bug: the caller logs it and answers with a generic message).
 */
export function remoteError(error: unknown): RemoteError | undefined {
  if (error instanceof LibraryError) {
    const remote: RemoteError = { code: error.code, message: redactServerPaths(error.detail) };
    if (error.hint) remote.hint = redactServerPaths(error.hint);
    return remote;
  }
  const kind = storageFailureCode(error);
  return kind ? { code: kind, ...STORAGE[kind] } : undefined;
}
