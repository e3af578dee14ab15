import { HTTPException } from 'hono/http-exception';
import { LibraryError, type ErrorCode } from '../library/errors.js';
import { remoteError } from './remote-error.js';

/**
 * How every HTTP surface reports a failure: one JSON shape, `{ error: { code, message, hint? } }`,
 * and one status per error code (the web pages use the same statuses for their HTML). The OpenAPI
 * document describes each status with the words below.
 */
export type ErrorStatus = 400 | 401 | 403 | 404 | 405 | 408 | 409 | 413 | 415 | 422 | 431 | 500 | 502 | 503 | 507;

export const STATUS_OF: Readonly<Record<ErrorCode, ErrorStatus>> = {
  invalid_input: 400,
  bad_request: 400,
  unauthorized: 401,
  writes_disabled: 403,
  not_found: 404,
  method_not_allowed: 405,
  request_timeout: 408,
  conflict: 409,
  embedder_mismatch: 409,
  payload_too_large: 413,
  unsupported_media_type: 415,
  ingest_failed: 422,
  source_refused: 403,
  source_unreachable: 502,
  headers_too_large: 431,
  internal: 500,
  damaged: 503,
  io: 503,
  unavailable: 503,
  busy: 503,
  deadline_exceeded: 503,
  read_only: 503,
  disk_full: 507,
};

export const STATUS_DESCRIPTIONS: Readonly<Record<ErrorStatus, string>> = {
  400: 'Invalid input: a parameter or form field is missing, malformed or out of range',
  401: 'Missing or wrong bearer token',
  403: 'Writes are disabled: the server was started without a token',
  404: 'Nothing matches: unknown id, page, vendor, product, version or route',
  405: 'The path exists but not with this method',
  408: 'The request was not received in time',
  409: 'Conflicts with what is in the library',
  413: 'The request body is larger than the server accepts',
  415: 'Wrong Content-Type for this route',
  422: 'The document could not be converted or indexed',
  431: 'The URL and headers are larger than the server accepts',
  500: 'Unexpected server error',
  502: 'A source the server had to fetch could not be fetched',
  503: 'The library is temporarily unavailable, or the server is busy (then Retry-After says when to try again)',
  507: 'The disk holding the library on the server is full; nothing was changed',
};

export interface ErrorBody {
  error: { code: ErrorCode; message: string; hint?: string };
}

export function errorBody(code: ErrorCode, message: string, hint?: string): ErrorBody {
  return { error: hint ? { code, message, hint } : { code, message } };
}

export interface ErrorReply {
  status: ErrorStatus;
  body: ErrorBody;
  /** Response headers the failure calls for (Retry-After on a busy server). */
  headers: Record<string, string>;
}

/** A status and body for an error code: the status always comes from `STATUS_OF`. */
export function errorReplyFor(code: ErrorCode, message: string, hint?: string, retryAfterSeconds?: number): ErrorReply {
  return { status: STATUS_OF[code], body: errorBody(code, message, hint), headers: retryAfterSeconds === undefined ? {} : { 'Retry-After': String(retryAfterSeconds) } };
}

const INTERNAL = { message: 'the server failed to answer this request', hint: 'Retry; if it keeps failing, see the server log' };

/**
 * Turns anything thrown by a handler into a status and a body; library and storage errors are told
 * without server paths (see remote-error.ts), unexpected errors are logged, never shown.
 */
export function errorReply(error: unknown): ErrorReply {
  const remote = remoteError(error);
  if (remote) return errorReplyFor(remote.code, remote.message, remote.hint, error instanceof LibraryError ? error.retryAfterSeconds : undefined);
  if (error instanceof HTTPException) {
    const code = (Object.keys(STATUS_OF) as ErrorCode[]).find((c) => STATUS_OF[c] === error.status && c !== 'internal');
    if (code) return errorReplyFor(code, STATUS_DESCRIPTIONS[STATUS_OF[code]]);
  }
  console.error('mcdewey server: unexpected error', error);
  return errorReplyFor('internal', INTERNAL.message, INTERNAL.hint);
}
