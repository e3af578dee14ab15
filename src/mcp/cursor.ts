import { createHmac, hash, randomBytes, timingSafeEqual } from 'node:crypto';
import { LibraryError } from '../library/errors.js';
import { LIMITS } from '../library/limits.js';

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

/**
 * Cursors are signed with a secret of the server that issued them (made when it starts, never
 * stored), so a cursor an agent built or changed, or one from another server or an earlier run,
 * is refused before any search runs; and what it points at is bounded by LIMITS.searchOffset.
 */
const secrets = new WeakMap<object, Buffer>();

/** The signing secret of one server (its context), made on first use. */
export function cursorSecret(server: object): Buffer {
  let secret = secrets.get(server);
  if (!secret) {
    secret = randomBytes(32);
    secrets.set(server, secret);
  }
  return secret;
}

function scopeHash(scope: SearchScope): string {
  const key = JSON.stringify([scope.query.trim(), scope.vendor ?? '', scope.product ?? '', scope.version ?? '', ...(scope.inferScope === false ? ['exact'] : [])]);
  // The one-shot digest: a Hash object costs several times more, on every search that has a next page.
  return hash('sha256', key, 'base64url').slice(0, 16);
}

const sign = (body: string, secret: Buffer) => createHmac('sha256', secret).update(body).digest().subarray(0, 16);

/** An opaque cursor: agents must pass it back verbatim, never build one. */
export function encodeCursor(offset: number, scope: SearchScope, secret: Buffer): string {
  const payload: CursorPayload = { o: offset, h: scopeHash(scope) };
  const body = Buffer.from(JSON.stringify(payload)).toString('base64url');
  return `${body}.${sign(body, secret).toString('base64url')}`;
}

const NOT_ISSUED_HINT = 'Pass the next_cursor of a previous search_docs result verbatim, or omit cursor to start from the first page';

/** The offset a cursor points at, or an error the agent can act on when it does not fit the query. */
export function decodeCursor(cursor: string, scope: SearchScope, secret: Buffer): number {
  const [body = '', signature = '', ...rest] = cursor.length <= LIMITS.cursorChars ? cursor.split('.') : [];
  const presented = Buffer.from(signature, 'base64url');
  const expected = sign(body, secret);
  if (rest.length > 0 || presented.length !== expected.length || !timingSafeEqual(presented, expected)) {
    throw new LibraryError('invalid_input', 'cursor is not one that this server issued (it was changed, built by hand, or comes from another server or an earlier run)', NOT_ISSUED_HINT);
  }
  let payload: Partial<CursorPayload> | undefined;
  try {
    payload = JSON.parse(Buffer.from(body, 'base64url').toString('utf8')) as Partial<CursorPayload>;
  } catch {
    payload = undefined;
  }
  if (!payload || !Number.isSafeInteger(payload.o) || (payload.o as number) < 0 || (payload.o as number) > LIMITS.searchOffset || typeof payload.h !== 'string') {
    throw new LibraryError('invalid_input', 'cursor is not one that search_docs issued', NOT_ISSUED_HINT);
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
