import { createHash } from 'node:crypto';
import { LibraryError } from '../library/errors.js';

/** What a search_docs page is a page of: a cursor is only valid for the same query and filters. */
export interface SearchScope {
  query: string;
  vendor?: string | undefined;
  product?: string | undefined;
  version?: string | undefined;
  /** False when the agent turned off recognising a product or version named in the query. */
  inferScope?: boolean | undefined;
}

interface CursorPayload {
  /** Offset of the first hit of the next page. */
  o: number;
  /** Hash of the scope the cursor was issued for. */
  h: string;
}

function scopeHash(scope: SearchScope): string {
  const key = JSON.stringify([scope.query.trim(), scope.vendor ?? '', scope.product ?? '', scope.version ?? '', ...(scope.inferScope === false ? ['exact'] : [])]);
  return createHash('sha256').update(key).digest('base64url').slice(0, 16);
}

/** An opaque cursor: agents must pass it back verbatim, never build one. */
export function encodeCursor(offset: number, scope: SearchScope): string {
  const payload: CursorPayload = { o: offset, h: scopeHash(scope) };
  return Buffer.from(JSON.stringify(payload)).toString('base64url');
}

/** The offset a cursor points at, or an error the agent can act on when it does not fit the query. */
export function decodeCursor(cursor: string, scope: SearchScope): number {
  let payload: Partial<CursorPayload> | undefined;
  try {
    payload = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as Partial<CursorPayload>;
  } catch {
    payload = undefined;
  }
  if (!payload || !Number.isSafeInteger(payload.o) || (payload.o as number) < 0 || typeof payload.h !== 'string') {
    throw new LibraryError('invalid_input', 'cursor is not one that search_docs issued', 'Pass the next_cursor of a previous search_docs result verbatim, or omit cursor to start from the first page');
  }
  if (payload.h !== scopeHash(scope)) {
    throw new LibraryError(
      'invalid_input',
      'cursor belongs to a different search (query or vendor/product/version filters changed)',
      'Repeat the exact query and filters of the search that returned it, or omit cursor to start a new search',
    );
  }
  return payload.o as number;
}
