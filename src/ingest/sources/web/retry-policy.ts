/**
 * When to try a request again and how long to wait first: transient statuses and network
 * failures are retried with exponential backoff and jitter, and a server's Retry-After wins.
 */
export interface RetryOptions {
  /** Retries after the first attempt. */
  retries: number;
  retryBaseDelayMs: number;
  retryMaxDelayMs: number;
  /** A Retry-After longer than this is not waited for: the URL fails with the server's wish stated. */
  maxRetryAfterMs: number;
}

/** Request Timeout, Too Early, Too Many Requests, and the server errors that mean "not now". */
const RETRYABLE_STATUSES = new Set([408, 425, 429, 500, 502, 503, 504]);

export function isRetryableStatus(status: number): boolean {
  return RETRYABLE_STATUSES.has(status);
}

/** Network failures worth another try (a host name that does not exist is not one). */
const RETRYABLE_CODES = new Set(['ECONNRESET', 'ECONNREFUSED', 'ETIMEDOUT', 'EPIPE', 'EAI_AGAIN', 'ECONNABORTED', 'ENETUNREACH', 'EHOSTUNREACH', 'UND_ERR_SOCKET']);

export function isRetryableNetworkCode(code: string | undefined): boolean {
  return code === undefined || RETRYABLE_CODES.has(code);
}

/** Retry-After as milliseconds from `now`: delta-seconds or an HTTP date. */
export function retryAfterMs(header: string | string[] | undefined, now = Date.now()): number | undefined {
  const value = (Array.isArray(header) ? header[0] : header)?.trim();
  if (!value) return undefined;
  if (/^\d+$/.test(value)) return Number(value) * 1000;
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

/**
 * Delay before retry number `attempt` (0 for the first retry): the exponential step, half of it
 * fixed and half random ("equal jitter"), so retries from parallel workers spread out but never
 * come back immediately.
 */
export function backoffMs(attempt: number, options: RetryOptions, random: () => number = Math.random): number {
  const step = Math.min(options.retryMaxDelayMs, options.retryBaseDelayMs * 2 ** attempt);
  return Math.round(step / 2 + random() * (step / 2));
}
