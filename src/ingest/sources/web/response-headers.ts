import type { IncomingHttpHeaders } from 'node:http';
import type { Validators } from './safe-fetch.js';

/** The first value of a header that may be repeated. */
export function headerValue(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

/** ETag and Last-Modified of a response; a 304 may omit them, so earlier ones can fill in. */
export function validatorsFrom(headers: IncomingHttpHeaders, fallback?: Validators): Validators {
  const etag = headerValue(headers['etag']) ?? fallback?.etag;
  const lastModified = headerValue(headers['last-modified']) ?? fallback?.lastModified;
  return { ...(etag ? { etag } : {}), ...(lastModified ? { lastModified } : {}) };
}
