import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { decodeCursor, encodeCursor } from '../../src/mcp/cursor.js';
import { LibraryError } from '../../src/library/errors.js';

describe('search_docs cursors', () => {
  const scope = { query: 'scale out threshold', product: 'asav-autoscale-azure', version: '9.19' };

  it('round-trips the offset for the same query and filters', () => {
    assert.equal(decodeCursor(encodeCursor(40, scope), scope), 40);
    assert.equal(decodeCursor(encodeCursor(5, scope), { ...scope, query: '  scale out threshold ' }), 5, 'surrounding spaces do not matter');
  });

  it('is opaque: no query text or offset in plain sight', () => {
    const cursor = encodeCursor(40, scope);
    assert.doesNotMatch(cursor, /scale|asav|40/);
    assert.match(cursor, /^[A-Za-z0-9_-]+$/);
  });

  it('refuses a cursor from another query or other filters, saying what to do', () => {
    const cursor = encodeCursor(10, scope);
    for (const other of [{ ...scope, query: 'scale in' }, { ...scope, version: '9.15' }, { query: scope.query }]) {
      assert.throws(() => decodeCursor(cursor, other), (error: LibraryError) => error.code === 'invalid_input' && /different search/.test(error.message) && /omit cursor/.test(error.message));
    }
  });

  it('refuses anything it did not issue', () => {
    const forged = Buffer.from(JSON.stringify({ o: -5, h: 'x' })).toString('base64url');
    for (const cursor of ['', 'garbage', forged, Buffer.from('[1,2]').toString('base64url')]) {
      assert.throws(() => decodeCursor(cursor, scope), LibraryError, cursor);
    }
  });
});
