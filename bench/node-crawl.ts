import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadConfig } from '../src/config/config.js';
import { Library } from '../src/service/library.js';
import { serveFolder, startTestSite } from '../test/ingest/sources/web/support/test-site.js';
import { corpusPath } from '../test/support/corpus.js';
import { startTestPostgres } from '../test/support/postgres.js';
import { loadavg } from './lib/parts/machine.js';
import { median } from './lib/parts/stats.js';
import { log } from './lib/run/log.js';

/**
 * A site crawl into an embedded library and into a scale-out node over PostgreSQL, back to back:
 * the FRR user manual served on 127.0.0.1, lexical only, each run into a new library (a new data
 * directory, a new database), so the two differ only in where documents are committed.
 *
 *     node --import tsx bench/node-crawl.ts [--runs 3]
 */
const runs = Number(process.argv[process.argv.indexOf('--runs') + 1]) || 3;
const LABELS = { vendor: 'FRRouting', product: 'frr', version: '8.4.4' };
const CRAWL = { allowPrivateHosts: ['127.0.0.1'], maxRequestsPerSecond: 0 };

const site = await startTestSite([serveFolder('/frr/', corpusPath('markdown', 'frrouting-user-manual-html', '8.4.4'))]);
const cluster = await startTestPostgres();
const root = fs.mkdtempSync(path.join(os.tmpdir(), 'mcdewey-node-crawl-'));
const seconds: Record<'embedded' | 'node', number[]> = { embedded: [], node: [] };
let pages = 0;
try {
  for (let run = 0; run < runs; run++) {
    for (const engine of ['embedded', 'node'] as const) {
      const data = path.join(root, `${engine}-${run}`);
      const store = engine === 'node' ? { store: cluster.createDatabase(`crawl_${run}`) } : {};
      const library = await Library.open(loadConfig({ data, embedder: 'none', ...store }, {}), 'write');
      try {
        const started = performance.now();
        const result = await library.addSite({ url: site.url('/frr/'), labels: LABELS, crawl: CRAWL });
        seconds[engine].push((performance.now() - started) / 1000);
        pages = result.outcomes.filter((o) => o.status === 'added').length;
      } finally {
        await library.close();
      }
      log(`node-crawl: ${engine} run ${run + 1}: ${pages} pages in ${seconds[engine].at(-1)!.toFixed(2)} s, load ${loadavg().join(' / ')}`);
    }
  }
  const row = (engine: 'embedded' | 'node') => ({ medianSeconds: Math.round(median(seconds[engine]) * 100) / 100, pagesPerSecond: Math.round((pages / median(seconds[engine])) * 10) / 10 });
  process.stdout.write(`${JSON.stringify({ pages, runs, embedded: row('embedded'), node: row('node'), loadavg: loadavg() }, null, 2)}\n`);
} finally {
  await site.close();
  cluster.stop();
  fs.rmSync(root, { recursive: true, force: true });
}
