import assert from 'node:assert/strict';
import { test } from 'node:test';

/**
 * The server's request thread keeps the engine's own JSON.parse and JSON.stringify. pdf.js's legacy
 * build replaces both with JavaScript polyfills when it loads; imported statically by the PDF
 * converter, it came into every process that imports the converters (the REST schemas do), and in
 * the hostile soak those polyfills were a tenth of the request thread's work. The converter now
 * loads pdf.js when it converts a PDF.
 */
const { parse, stringify } = JSON;

test('importing the server and the CLI leaves JSON.parse and JSON.stringify native', async () => {
  await import('../../src/server/serve.js');
  await import('../../src/cli/main.js');
  await import('../../src/ingest/convert/index.js');
  assert.equal(JSON.stringify, stringify, 'JSON.stringify was replaced');
  assert.equal(JSON.parse, parse, 'JSON.parse was replaced');
});

test('converting a PDF still loads pdf.js (this check can fail: it sees the polyfill arrive)', async () => {
  await import('../../src/ingest/convert/pdf/open-document.js');
  assert.notEqual(JSON.stringify, stringify, 'pdf.js no longer replaces JSON.stringify: the first test no longer proves anything and can go');
});
