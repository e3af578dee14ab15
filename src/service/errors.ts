/**
 * Errors every surface can turn into something a person or an agent can act on: what failed,
 * and what to do next. `code` maps to HTTP statuses and MCP `isError` results.
 */
export type LibraryErrorCode = 'invalid_input' | 'not_found' | 'conflict' | 'embedder_mismatch' | 'unavailable';

export class LibraryError extends Error {
  constructor(
    readonly code: LibraryErrorCode,
    message: string,
    readonly hint?: string,
  ) {
    super(hint ? `${message}. ${hint}` : message);
    this.name = 'LibraryError';
  }
}
