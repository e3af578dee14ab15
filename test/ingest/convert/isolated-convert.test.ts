import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { IsolatedConverter } from '../../../src/ingest/convert/isolated-convert.js';
import { ConversionError } from '../../../src/ingest/convert/types.js';
import { corpusPath } from '../../support/corpus.js';

const big = corpusPath('pdf', 'cisco', 'ftdv-autoscale-aws', 'latest-2025-06', 'deploy-ftdv-auto-scale-for-aws.pdf');
const small = corpusPath('pdf', 'paloalto', 'vm-series-azure-autoscaling', '1.1', 'azure-auto-scale-template-1.1-release-notes.pdf');
const read = (file: string) => ({ bytes: new Uint8Array(fs.readFileSync(file)), fileName: file });

test('a document over its time limit is stopped, and the next one converts in a fresh worker', async () => {
  const converter = new IsolatedConverter({ timeoutMs: 1, msPerMegabyte: 0, maxMemoryMb: 512 });
  await assert.rejects(converter.convert(read(big)), (e: unknown) => e instanceof ConversionError && /took longer than 0 s and was stopped/.test(e.message));
  const generous = new IsolatedConverter();
  const converted = await generous.convert(read(small));
  assert.equal(converted.format, 'pdf');
  assert.equal(converted.pages.length, 1);
  await generous.stop();
  await converter.stop();
});

test('a document that needs more memory than allowed fails alone', async () => {
  const converter = new IsolatedConverter({ timeoutMs: 120_000, msPerMegabyte: 0, maxMemoryMb: 8 });
  await assert.rejects(converter.convert(read(big)), (e: unknown) => e instanceof ConversionError && /more than 8 MB of memory|crashed|stopped/.test(e.message));
  await converter.stop();
});

test('conversion errors keep their file name, problem and hint across the thread boundary', async () => {
  const converter = new IsolatedConverter();
  await assert.rejects(
    converter.convert({ bytes: new TextEncoder().encode('not a pdf at all'), fileName: 'junk.pdf' }),
    (e: unknown) => e instanceof ConversionError && e.fileName === 'junk.pdf' && /not a readable PDF/.test(e.message),
  );
  const ok = await converter.convert(read(small));
  assert.equal(ok.pages.length, 1);
  await converter.stop();
});
