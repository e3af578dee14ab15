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

/**
 * What a storage failure means for the person who hit it, recognised by its error code: a full
 * disk, a data directory that cannot be written, a damaged index. Undefined for anything else.
 */
export function storageFailureMessage(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code !== 'string') return undefined;
  const message = (error as Error).message;
  if (code === 'ENOSPC' || code === 'EDQUOT' || code === 'SQLITE_FULL') {
    return `the disk holding the data directory is full (${message}). Free some space and run the command again`;
  }
  if (code === 'EROFS' || code.startsWith('SQLITE_READONLY')) {
    return `the data directory cannot be written (${message}). Make it writable, or use another --data directory`;
  }
  if (code.startsWith('SQLITE_CORRUPT') || code === 'SQLITE_NOTADB') {
    return `the index is damaged (${message}). Run \`mcdewey reindex\` to rebuild it from the Markdown files`;
  }
  return undefined;
}
