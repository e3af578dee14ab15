import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Library } from './src/service/library.js';
import { loadConfig } from './src/config/config.js';
import { serveFolder, startTestSite } from './test/ingest/sources/web/support/test-site.js';
import { FRR, LOCAL } from './test/ingest/sources/web/support/crawl-helpers.js';
import { IsolatedConverter } from './src/ingest/convert/isolated-convert.js';
import * as indexer from './src/ingest/indexer.js';
let convMs = 0;
const orig = IsolatedConverter.prototype.convert;
IsolatedConverter.prototype.convert = async function (input) { const t = performance.now(); try { return await orig.call(this, input); } finally { convMs += performance.now() - t; } };
const site = await startTestSite([serveFolder('/frr/', FRR)]);
for (let run = 0; run < 3; run++) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'prof-'));
  const library = await Library.open(loadConfig({ data: dir, embedder: 'none' }, {}), 'write');
  let last = performance.now(); const gaps: number[] = [];
  const t0 = performance.now();
  const r = await library.addSite({ url: site.url('/frr/'), labels: { vendor: 'F', product: 'frr', version: '1' }, crawl: LOCAL }, {
    start() {}, fileStarted() {}, embedding() {}, finish() {},
    fileFinished(o) { const now = performance.now(); gaps.push(Math.round(now - last)); last = now; },
  });
  const ms = performance.now() - t0;
  console.log(`convert ${convMs.toFixed(0)} ms`); convMs = 0;
  console.log(`run ${run}: ${r.outcomes.length} pages in ${ms.toFixed(0)} ms = ${(r.outcomes.length / ms * 1000).toFixed(1)} pages/s; first ${gaps[0]} ms; gaps ${gaps.slice(1).join(' ')}`);
  await library.close();
  fs.rmSync(dir, { recursive: true, force: true });
}
await site.close();
