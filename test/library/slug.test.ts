import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { InvalidLabelError, isSlug, slugify } from '../../src/library/slug.js';

test('slugify keeps the seed shapes', () => {
  assert.equal(slugify('finesse'), 'finesse');
  assert.equal(slugify('v12.5'), 'v12.5');
  assert.equal(slugify('Developer Guide'), 'developer-guide');
  assert.equal(slugify('12.5(1)'), '12.5-1');
  assert.equal(slugify('12.6 SU2'), '12.6-su2');
  assert.equal(slugify('latest-2025-06'), 'latest-2025-06');
});

test('hostile labels cannot become paths', () => {
  assert.equal(slugify('../../etc/passwd'), 'etc-passwd');
  assert.equal(slugify('/absolute/path'), 'absolute-path');
  assert.equal(slugify('a\0b'), 'a-b');
  assert.equal(slugify('..\\..\\windows'), 'windows');
  assert.equal(slugify('ｆｉｎｅｓｓｅ'), 'finesse'); // fullwidth look-alikes fold to ASCII
  assert.equal(slugify('Café'), 'cafe');
  assert.ok(slugify('x'.repeat(500)).length <= 80);
  assert.throws(() => slugify('..'), InvalidLabelError);
  assert.throws(() => slugify('////'), InvalidLabelError);
  assert.throws(() => slugify('\u200b\u202e'), /no letters or digits/);
});

test('property: every slug is a safe single path segment and idempotent', () => {
  fc.assert(
    fc.property(fc.string({ unit: 'binary', maxLength: 200 }), (label) => {
      let slug: string;
      try {
        slug = slugify(label);
      } catch (error) {
        assert.ok(error instanceof InvalidLabelError);
        return;
      }
      assert.match(slug, /^[\p{L}\p{N}](?:[\p{L}\p{N}\p{M}._-]*[\p{L}\p{N}\p{M}])?$/u);
      assert.equal(slug, slug.toLowerCase().normalize('NFC'));
      assert.ok(!slug.includes('..'));
      assert.ok(slug.length <= 80 && Buffer.byteLength(slug) <= 240);
      assert.equal(slugify(slug), slug);
      assert.ok(isSlug(slug));
    }),
    { numRuns: 2000 },
  );
});
