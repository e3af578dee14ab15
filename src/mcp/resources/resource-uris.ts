/**
 * McDewey resource URIs. Ids keep their readable `::` separators (':' is legal in a URI path);
 * a client that percent-encodes them, as RFC 6570 expansion does, is understood too.
 */

import { ResourceNotFoundError, type Variables } from '@modelcontextprotocol/server';
import { LibraryError } from '../../library/errors.js';
import { remoteErrorText } from '../tool-results.js';

export const DOCUMENT_TEMPLATE = 'mcdewey://documents/{doc_id}';
export const CHUNK_TEMPLATE = 'mcdewey://chunks/{chunk_id}';
export const VERSION_TEMPLATE = 'mcdewey://products/{product}/versions/{version}';

export const documentUri = (docId: string) => `mcdewey://documents/${docId}`;
export const chunkUri = (chunkId: string) => `mcdewey://chunks/${chunkId}`;
export const versionUri = (product: string, version: string) => `mcdewey://products/${product}/versions/${version}`;

/** resources/list stays bounded however large the library grows; search reaches everything else. */
export const RESOURCES_LISTED_MAX = 200;
/** Cache hint for reads: the library only changes when someone adds, removes or re-indexes. */
export const RESOURCE_CACHE_HINT = { ttlMs: 60_000 } as const;

export function variable(variables: Variables, name: string): string {
  const value = variables[name];
  const text = Array.isArray(value) ? value.join(',') : (value ?? '');
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

/**
 * Runs a read; an unknown id becomes the protocol's resource-not-found error for that URI, and
 * any other failure an error that says what it can without server paths (see remote-errors.ts).
 */
export function orNotFound<T>(uri: URL, read: () => T): T {
  try {
    return read();
  } catch (error) {
    if (error instanceof ResourceNotFoundError) throw error;
    if (error instanceof LibraryError && (error.code === 'not_found' || error.code === 'invalid_input')) {
      throw new ResourceNotFoundError(uri.href, `Resource not found: ${uri.href} (${remoteErrorText(error)})`);
    }
    throw new Error(remoteErrorText(error));
  }
}

/** Completion values: those starting with what was typed, then those containing it. */
export function suggest(values: Iterable<string>, typed: string): string[] {
  const wanted = typed.toLowerCase();
  const unique = [...new Set(values)];
  const starting = unique.filter((v) => v.toLowerCase().startsWith(wanted));
  const containing = unique.filter((v) => !v.toLowerCase().startsWith(wanted) && v.toLowerCase().includes(wanted));
  return [...starting, ...containing];
}
