import type { LibraryError } from '../library/errors.js';
import { claimsRevision } from './protocol-era.js';
import { errorResult, remoteErrorText } from './tool-results.js';
import { completeToolResult } from './result-frame.js';

/**
 * Under overload nearly every POST to /mcp is a search_docs call the search pool turns away, and
 * the SDK's work on each (classifying it, a server, checking the arguments, the exchange) cost the
 * main thread more than the refusal itself. Whether the pool takes a search depends on no argument,
 * so a 2026-07-28 tools/call of search_docs it would refuse is answered here with the result the
 * tool gives then (isError, the busy text and Retry-After advice), framed as the SDK frames a
 * complete result (test/api/search-admission.test.ts compares the two). Anything else, 2025-era
 * requests included, goes to the SDK; under overload a malformed search call is answered busy
 * rather than told what is wrong with it, as on REST.
 */
export function busySearchAnswer(body: unknown, searchRefusal: () => LibraryError | undefined, serverInfo: object): object | undefined {
  if (!isSearchCall(body) || !claimsRevision(body)) return undefined;
  const refusal = searchRefusal();
  if (!refusal) return undefined;
  return completeToolResult(body.id, errorResult(remoteErrorText(refusal)), serverInfo);
}

function isSearchCall(body: unknown): body is { id: string | number; params: { name: string } } {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) return false;
  const { method, id, params } = body as Record<string, unknown>;
  return method === 'tools/call' && (typeof id === 'string' || typeof id === 'number') &&
    params !== null && typeof params === 'object' && (params as Record<string, unknown>)['name'] === 'search_docs';
}
