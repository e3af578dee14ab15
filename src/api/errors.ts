import { HTTPException } from 'hono/http-exception';
import { remoteError, type RemoteErrorCode } from '../service/remote-errors.js';

/**
 * Every failure the API reports has one shape, `{ error: { code, message, hint? } }`, and a
 * status from this list; the OpenAPI document describes each status with the same words.
 */
export type ErrorStatus = 400 | 401 | 403 | 404 | 405 | 409 | 413 | 415 | 500 | 503 | 507;

export const ERROR_DESCRIPTIONS: Readonly<Record<ErrorStatus, string>> = {
  400: 'Invalid input: a parameter or form field is missing, malformed or out of range',
  401: 'Missing or wrong bearer token',
  403: 'Writes are disabled: the server was started without a token',
  404: 'Nothing matches: unknown id, page, vendor, product, version or route',
  405: 'The path exists but not with this method',
  409: 'Conflicts with what is in the library',
  413: 'The upload is larger than the server accepts',
  415: 'Wrong Content-Type for this route',
  500: 'Unexpected server error',
  503: 'The library is temporarily unavailable',
  507: 'The disk holding the library on the server is full; nothing was changed',
};

export interface ErrorBody {
  error: { code: string; message: string; hint?: string };
}

export class ApiError extends Error {
  constructor(
    readonly status: ErrorStatus,
    readonly code: string,
    message: string,
    readonly hint?: string,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

const STATUS_BY_CODE: Readonly<Record<RemoteErrorCode, ErrorStatus>> = {
  invalid_input: 400,
  not_found: 404,
  conflict: 409,
  embedder_mismatch: 409,
  unavailable: 503,
  disk_full: 507,
  read_only: 503,
  damaged: 503,
  io: 503,
};

export function errorBody(code: string, message: string, hint?: string): ErrorBody {
  return { error: hint ? { code, message, hint } : { code, message } };
}

/**
 * Turns anything thrown by a handler into a status and a body; library and storage errors are
 * told without server paths (see remote-errors.ts), unexpected errors are logged, never shown.
 */
export function errorReply(error: unknown): { status: ErrorStatus; body: ErrorBody } {
  if (error instanceof ApiError) return { status: error.status, body: errorBody(error.code, error.message, error.hint) };
  const remote = remoteError(error);
  if (remote) return { status: STATUS_BY_CODE[remote.code], body: errorBody(remote.code, remote.message, remote.hint) };
  if (error instanceof HTTPException && error.status in ERROR_DESCRIPTIONS) {
    const status = error.status as ErrorStatus;
    return { status, body: errorBody('http_error', ERROR_DESCRIPTIONS[status]) };
  }
  console.error('mcdewey api: unexpected error', error);
  return { status: 500, body: errorBody('internal', 'the server failed to answer this request', 'Retry; if it keeps failing, see the server log') };
}

