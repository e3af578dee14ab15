import assert from 'node:assert/strict';
import { test } from 'node:test';
import { scalingLibraries } from '../../bench/ingest-scaling.js';
import { commandFor, parseOptions } from '../../bench/lib/run/options.js';

test('ingest-scaling adds to the PDF library, then to the sizes asked for, smallest first', () => {
  assert.deepEqual(scalingLibraries(parseOptions(['--only', 'ingest-scaling']).sizes), ['pdf', '10k', '100k']);
  assert.deepEqual(scalingLibraries(parseOptions(['--sizes', '1000000,10000']).sizes), ['pdf', '10k', '1m']);
  assert.deepEqual(scalingLibraries(parseOptions(['--sizes', '100k']).sizes), ['pdf', '100k']);
});

test('ingest-scaling is a part of the suite, and its command says its sizes and embedder', () => {
  const options = parseOptions(['--only', 'ingest-scaling', '--sizes', '10000,100000,1000000', '--embedder', 'none']);
  assert.deepEqual(options.only, ['ingest-scaling']);
  assert.equal(commandFor('ingest-scaling', options, ['sizes', 'embedder']), 'npm run bench -- --only ingest-scaling --sizes 10000,100000,1000000 --embedder none');
});
