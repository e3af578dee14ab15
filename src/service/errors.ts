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
