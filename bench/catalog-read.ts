import fs from 'node:fs';
import path from 'node:path';
import { SqliteStore } from '../src/store/sqlite/sqlite-store.js';
import { ensureLibrary, type LibraryName } from './lib/fixtures/libraries.js';
import { loadavg } from './lib/parts/machine.js';
import { median } from './lib/parts/stats.js';
import { RESULTS_DIR } from './lib/run/paths.js';

/**
 * What a process just started pays to know its library's documents, on a fresh store connection
 * each time: every document's whole row (the catalog listings and filing checks read), every
 * document's entry (its filing and labels: what searches read), and every version's counts (the
 * shelves pages and answers show). Medians of `--runs` reads (default 5), and the heap each keeps
 * (run with --expose-gc for that column).
 *
 *   node --expose-gc --import tsx bench/catalog-read.ts [--sizes 100k,1m] [--runs 5]
 *
 * Writes bench/results/catalog-read.json and prints a Markdown table.
 */

const arg = (name: string, fallback: string) => {
  const at = process.argv.indexOf(name);
  return at >= 0 && process.argv[at + 1] ? process.argv[at + 1]! : fallback;
};
const sizes = arg('--sizes', '100k,1m').split(',') as LibraryName[];
const runs = Math.max(1, Number(arg('--runs', '5')) || 5);
const gc = (globalThis as { gc?: () => void }).gc;

const reads: [string, (store: SqliteStore) => number][] = [
  ['whole rows', (store) => store.documents().length],
  ['entries', (store) => store.catalogEntries().length],
  ['summaries', (store) => store.documentSummaries().length],
  ['version counts', (store) => store.versionTotals().length],
];

interface Row { size: LibraryName; documents: number; read: string; ms: number; heapMB: number | null }
const rows: Row[] = [];
for (const size of sizes) {
  const built = await ensureLibrary(size, 'none');
  const file = path.join(built.data, 'index.sqlite');
  for (const [read, run] of reads) {
    const times: number[] = [];
    for (let i = 0; i < runs; i++) {
      const store = new SqliteStore(file, { readonly: true });
      const started = performance.now();
      run(store);
      times.push(performance.now() - started);
      store.close();
    }
    const store = new SqliteStore(file, { readonly: true });
    gc?.();
    const before = process.memoryUsage().heapUsed;
    run(store);
    gc?.();
    const heapMB = gc ? Math.round((process.memoryUsage().heapUsed - before) / 1e5) / 10 : null;
    rows.push({ size, documents: store.documentTotals().documents, read, ms: Math.round(median(times)), heapMB });
    store.close();
  }
}

const results = { runs, rows, loadavg: loadavg() };
fs.mkdirSync(RESULTS_DIR, { recursive: true });
fs.writeFileSync(path.join(RESULTS_DIR, 'catalog-read.json'), `${JSON.stringify(results, null, 2)}\n`);
process.stdout.write(
  `| library | documents | read | ms (median of ${runs}) | heap kept MB |\n|---|---|---|---|---|\n` +
    `${rows.map((r) => `| ${r.size} | ${r.documents} | ${r.read} | ${r.ms} | ${r.heapMB ?? '–'} |`).join('\n')}\n\nload average ${results.loadavg.join(', ')}\n`,
);
