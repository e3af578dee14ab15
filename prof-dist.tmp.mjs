import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Library } from './dist/service/library.js';
import { loadConfig } from './dist/config/config.js';
const { serveFolder, startTestSite } = await import('./test/ingest/sources/web/support/test-site.ts');
const FRR = '/work/shared/corpus/markdown/frrouting-user-manual-html/8.4.4';
const site = await startTestSite([serveFolder('/frr/', FRR)]);
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'prof-'));
const library = await Library.open(loadConfig({ data: dir, embedder: 'none' }, {}), 'write');
for (let run = 0; run < 5; run++) {
  const t0 = performance.now();
  const r = await library.addSite({ url: site.url('/frr/'), labels: { vendor: 'F', product: 'frr', version: String(run) }, crawl: { allowPrivateHosts: ['127.0.0.1'] } });
  const ms = performance.now() - t0;
  console.log(`run ${run}: ${r.outcomes.length} pages in ${ms.toFixed(0)} ms = ${(r.outcomes.length / ms * 1000).toFixed(1)} pages/s`);
}
await library.close();
fs.rmSync(dir, { recursive: true, force: true });
await site.close();
