import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { DocumentOriginSchema } from '../../src/library/origin-schema.js';
import { originFromOriginalFile, originOf, parseOrigin, sameSource } from '../../src/library/origin.js';

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

test('parseOrigin accepts exactly what DocumentOriginSchema accepts, and returns the same value', () => {
  const field = fc.constantFrom(undefined, '', 'x', 'https://a.example/', 1, null);
  const fieldsOf = { file: ['path', 'folder'], upload: ['name'], url: ['url', 'etag', 'lastModified', 'site'] } as const;
  // Mostly a kind with its own fields (each absent, empty, a string or not one), sometimes a field of another kind or an unknown kind.
  const candidate = fc.tuple(fc.constantFrom('file', 'upload', 'url', 'other'), fc.array(field, { minLength: 4, maxLength: 4 }), fc.constantFrom(undefined, 'path', 'name', 'url', 'extra'), field)
    .map(([kind, values, foreign, foreignValue]) => {
      const origin: Record<string, unknown> = { kind };
      (fieldsOf[kind as keyof typeof fieldsOf] ?? ['path']).forEach((key, i) => { if (values[i] !== undefined) origin[key] = values[i]; });
      if (foreign !== undefined && foreignValue !== undefined) origin[foreign] = foreignValue;
      return origin;
    });
  fc.assert(fc.property(fc.oneof(candidate, fc.anything()), (value) => {
    const schema = DocumentOriginSchema.safeParse(value);
    const parsed = parseOrigin(value);
    assert.equal(parsed !== undefined, schema.success, JSON.stringify(value));
    if (schema.success) assert.deepEqual(parsed, schema.data);
  }), { numRuns: 5000 });
});
