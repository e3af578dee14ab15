/**
 * The one error vocabulary. Every failure McDewey reports is a `LibraryError` (or a subclass that
 * carries extra fields for the code that catches it) with a code from this catalogue, what failed,
 * and what to do next. Surfaces map codes, never classes: HTTP statuses in `http/error-envelope.ts`,
 * web pages in `web/error-page.ts`, MCP `isError` results in `mcp/tool-results.ts`, CLI exit codes
 * in `cli/main.ts`.
 */
export const ERROR_CODES = {
  invalid_input: 'A parameter, flag, label or form field is missing, malformed or out of range',
  not_found: 'Nothing matches: unknown id, page, vendor, product, version or route',
  conflict: 'Conflicts with what is in the library',
  embedder_mismatch: 'The index was built with another embedder',
  unavailable: 'The library or a service it needs is temporarily unavailable',
  busy: 'The server has more searches waiting than it accepts; retry after the time it gives',
  deadline_exceeded: 'The search did not finish within the time the server allows',
  disk_full: 'The disk holding the data directory is full',
  read_only: 'The data directory cannot be written',
  damaged: 'The index is damaged and must be rebuilt',
  io: 'The index could not be read or written',
  ingest_failed: 'A document could not be converted or indexed',
  source_refused: 'A source was refused: a private address, robots.txt, or outside the allowed scope',
  source_unreachable: 'A source could not be fetched',
  bad_request: 'The request is not valid HTTP or cannot be routed',
  unauthorized: 'Missing or wrong bearer token',
  writes_disabled: 'Writes are disabled: the server was started without a token',
  method_not_allowed: 'The path exists but not with this method',
  payload_too_large: 'The request body is larger than the server accepts',
  headers_too_large: 'The URL and headers are larger than the server accepts',
  unsupported_media_type: 'Wrong Content-Type for this route',
  request_timeout: 'The request was not received in time',
  internal: 'Unexpected failure; the details are in the server log',
} as const;

export type ErrorCode = keyof typeof ERROR_CODES;

export class LibraryError extends Error {
  /** What failed, without the hint (surfaces that show the hint separately use this). */
  readonly detail: string;
  /** For a refusal that passes with time (busy): when to try again, in whole seconds. */
  readonly retryAfterSeconds?: number;

  constructor(
    readonly code: ErrorCode,
    detail: string,
    readonly hint?: string,
    options?: { cause?: unknown; retryAfterSeconds?: number },
  ) {
    super(hint ? `${detail}. ${hint}` : detail, options?.cause === undefined ? undefined : { cause: options.cause });
    this.detail = detail;
    this.name = 'LibraryError';
    if (options?.retryAfterSeconds !== undefined) this.retryAfterSeconds = options.retryAfterSeconds;
  }
}

export function isLibraryError(error: unknown, ...codes: ErrorCode[]): error is LibraryError {
  return error instanceof LibraryError && (codes.length === 0 || codes.includes(error.code));
}
