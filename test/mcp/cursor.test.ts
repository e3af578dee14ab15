import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createHash } from 'node:crypto';
import { cursorSecret, decodeCursor, encodeCursor } from '../../src/mcp/cursor.js';
import { LibraryError } from '../../src/library/errors.js';
import { LIMITS } from '../../src/library/limits.js';

describe('search_docs cursors', () => {
  const scope = { query: 'scale out threshold', product: 'asav-autoscale-azure', version: '9.19' };
  const SECRET = cursorSecret({});

  it('round-trips the offset for the same query and filters', () => {
    assert.equal(decodeCursor(encodeCursor(40, scope, SECRET), scope, SECRET), 40);
    assert.equal(decodeCursor(encodeCursor(5, scope, SECRET), { ...scope, query: '  scale out threshold ' }, SECRET), 5, 'surrounding spaces do not matter');
  });

  it('is opaque: no query text or offset in plain sight', () => {
    const cursor = encodeCursor(40, scope, SECRET);
    assert.doesNotMatch(cursor, /scale|asav|40/);
    assert.match(cursor, /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/);
    assert.ok(cursor.length <= LIMITS.cursorChars);
  });

  it('refuses a cursor from another query or other filters, saying what to do', () => {
    const cursor = encodeCursor(10, scope, SECRET);
    for (const other of [{ ...scope, query: 'scale in' }, { ...scope, version: '9.15' }, { query: scope.query }]) {
      assert.throws(() => decodeCursor(cursor, other, SECRET), (error: LibraryError) => error.code === 'invalid_input' && /different search/.test(error.message) && /omit cursor/.test(error.message));
    }
  });

  it('refuses anything this server did not issue: forged, changed, foreign, too deep or too long', () => {
    // A forgery with the right scope hash: the unsigned cursors of before could point anywhere.
    const hash = createHash('sha256').update(JSON.stringify([scope.query, '', scope.product, scope.version])).digest('base64url').slice(0, 16);
    const body = (o: number) => Buffer.from(JSON.stringify({ o, h: hash })).toString('base64url');
    const issued = encodeCursor(10, scope, SECRET);
    const foreign = encodeCursor(10, scope, cursorSecret({}));
    const changed = `${body(1e12)}.${issued.split('.')[1]}`;
    for (const cursor of ['', 'garbage', body(1e12), `${body(20)}.`, changed, foreign, `${issued}.x`, `${issued}${'A'.repeat(LIMITS.cursorChars)}`]) {
      assert.throws(() => decodeCursor(cursor, scope, SECRET), /is not one that this server issued/, cursor.slice(0, 80));
    }
    assert.throws(() => decodeCursor(encodeCursor(LIMITS.searchOffset + 1, scope, SECRET), scope, SECRET), /is not one that search_docs issued/);
  });

  it('one secret per server', () => {
    const server = {};
    assert.equal(cursorSecret(server), cursorSecret(server));
    assert.notDeepEqual(cursorSecret(server), cursorSecret({}));
  });
});
