import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { compareVersions, latestVersion, sortVersions } from '../../src/library/version.js';

test('vendor version strings sort naturally', () => {
  assert.deepEqual(sortVersions(['9.19', '9.15', '9.2']), ['9.2', '9.15', '9.19']);
  assert.deepEqual(sortVersions(['v12.6', '12.5(1)', 'v12.5', '12.6 SU2']), ['v12.5', '12.5(1)', 'v12.6', '12.6 SU2']);
  assert.deepEqual(sortVersions(['6.7.0', 'latest-2025-06', '6.6.0']), ['6.6.0', '6.7.0', 'latest-2025-06']);
  assert.deepEqual(sortVersions(['1.2', '1.2.1', '1.10', '1.2.2', '2.0', '1.0', '2.0.1']), ['1.0', '1.2', '1.2.1', '1.2.2', '1.10', '2.0', '2.0.1']);
  assert.ok(compareVersions('12.5 beta', '12.5') < 0);
  assert.ok(compareVersions('12.5', '12.5 SU1') < 0);
  assert.equal(latestVersion(['9.15', 'latest-2026-06']), 'latest-2026-06');
  assert.equal(latestVersion(['rev2018-01-30', 'rev2019-05-31']), 'rev2019-05-31');
});

test('property: compareVersions is a total order (antisymmetric, transitive, reflexive)', () => {
  const version = fc.oneof(
    fc.string({ maxLength: 12 }),
    fc.tuple(fc.nat(30), fc.nat(30), fc.constantFrom('', '(1)', ' SU2', ' beta', '.1', 'a')).map(([a, b, s]) => `${a}.${b}${s}`),
  );
  fc.assert(
    fc.property(version, version, version, (a, b, c) => {
      assert.equal(compareVersions(a, a), 0);
      assert.equal(Math.sign(compareVersions(a, b)) + Math.sign(compareVersions(b, a)), 0);
      if (compareVersions(a, b) <= 0 && compareVersions(b, c) <= 0) assert.ok(compareVersions(a, c) <= 0);
    }),
    { numRuns: 3000 },
  );
});
