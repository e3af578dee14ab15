import { test } from 'node:test';
import assert from 'node:assert/strict';
import { originFromOriginalFile, originOf, sameSource } from '../../src/library/origin.js';

test('documents stored before origins were kept get one from their original file', () => {
  assert.deepEqual(originFromOriginalFile('https://x.example/a.pdf'), { kind: 'url', url: 'https://x.example/a.pdf' });
  assert.deepEqual(originFromOriginalFile('/srv/docs/a.pdf'), { kind: 'file', path: '/srv/docs/a.pdf' });
  assert.deepEqual(originFromOriginalFile('C:\\docs\\a.pdf'), { kind: 'file', path: 'C:\\docs\\a.pdf' });
  assert.deepEqual(originFromOriginalFile('a.pdf'), { kind: 'upload', name: 'a.pdf' });
  assert.deepEqual(originOf({ originalFile: '/a.pdf', origin: { kind: 'upload', name: 'b.pdf' } }), { kind: 'upload', name: 'b.pdf' });
});

test('the same path or URL (fragment aside) is the same source; uploads never are', () => {
  assert.equal(sameSource({ kind: 'file', path: '/a/guide.pdf' }, { kind: 'file', path: '/a/guide.pdf', folder: '/a' }), true);
  assert.equal(sameSource({ kind: 'file', path: '/a/guide.pdf' }, { kind: 'file', path: '/b/guide.pdf' }), false);
  assert.equal(sameSource({ kind: 'url', url: 'https://x/g.html#a' }, { kind: 'url', url: 'https://x/g.html', etag: '"1"' }), true);
  assert.equal(sameSource({ kind: 'upload', name: 'guide.pdf' }, { kind: 'upload', name: 'guide.pdf' }), false);
  assert.equal(sameSource({ kind: 'file', path: '/guide.pdf' }, { kind: 'upload', name: 'guide.pdf' }), false);
});
