import { WAL_HINT } from '../store/sqlite/wal-hint.js';

/**
 * Errors every surface can turn into something a person or an agent can act on: what failed,
 * and what to do next. `code` maps to HTTP statuses and MCP `isError` results.
 */
export type LibraryErrorCode = 'invalid_input' | 'not_found' | 'conflict' | 'embedder_mismatch' | 'unavailable';

export class LibraryError extends Error {
  /** What failed, without the hint (surfaces that show the hint separately use this). */
  readonly detail: string;

  constructor(
    readonly code: LibraryErrorCode,
    detail: string,
    readonly hint?: string,
  ) {
    super(hint ? `${detail}. ${hint}` : detail);
    this.detail = detail;
    this.name = 'LibraryError';
  }
}

/** The storage failures people can act on, recognised by their error code. */
export type StorageFailure = 'disk_full' | 'read_only' | 'damaged' | 'io';

export function storageFailureKind(error: unknown): StorageFailure | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code !== 'string') return undefined;
  if (code === 'ENOSPC' || code === 'EDQUOT' || code === 'SQLITE_FULL') return 'disk_full';
  if (code === 'EROFS' || code.startsWith('SQLITE_READONLY')) return 'read_only';
  if (code.startsWith('SQLITE_CORRUPT') || code === 'SQLITE_NOTADB') return 'damaged';
  if (code.startsWith('SQLITE_IOERR')) return 'io';
  return undefined;
}

/**
 * What a storage failure means for the person who hit it: a full disk, a data directory that
 * cannot be written, a damaged index, an index that cannot be read. Undefined for anything else.
 */
export function storageFailureMessage(error: unknown): string | undefined {
  const kind = storageFailureKind(error);
  const message = (error as Error).message;
  switch (kind) {
    case 'disk_full':
      return `the disk holding the data directory is full (${message}). Free some space and run the command again`;
    case 'read_only':
      return `the data directory cannot be written (${message}). Make it writable, or use another --data directory`;
    case 'damaged':
      return `the index is damaged (${message}). Run \`mcdewey reindex\` to rebuild it from the Markdown files`;
    case 'io':
      return `the index could not be read or written (${message}, ${(error as { code: string }).code}). ${WAL_HINT}`;
    default:
      return undefined;
  }
}
