import { pathToFileURL } from 'node:url';
import { crawlSite } from '../src/ingest/sources/web/index.js';
import type { CrawlOptionsInput } from '../src/ingest/sources/web/index.js';
import { serveFolder, startTestSite } from '../test/ingest/sources/web/support/test-site.js';
import { corpusPath } from '../test/support/corpus.js';
import { log } from './lib/run/log.js';
import { loadavg } from './lib/parts/machine.js';
import { measure, type ResultFile } from './lib/report/results.js';
import { median } from './lib/parts/stats.js';

/**
 * Crawler speed: the FRR user manual (Sphinx HTML, 41 pages, 4.3 MB) served over HTTP on
 * 127.0.0.1 by the crawler tests' server, crawled end to end (robots.txt, llms.txt and sitemap
 * probes, fetch, content sniffing, link extraction, hashing, ordered hand-out). The server runs in
 * the same process, so its work counts against the crawler: the figures are a lower bound.
 *
 *     node --import tsx bench/crawl-speed.ts [--runs 5]
 */
export interface CrawlSpeedRow {
  label: string;
  options: CrawlOptionsInput;
  pages: number;
  requests: number;
  bytes: number;
  runsMs: number[];
  medianMs: number;
  pagesPerSecond: number;
  /** Process CPU time (crawler and server) per page handed out, median over the runs. */
  cpuMsPerPage: number;
  loadavg: number[];
}

const CONFIGS: Array<{ label: string; options: CrawlOptionsInput }> = [
  { label: 'defaults (concurrency 4; no rate limit on a private address)', options: {} },
  { label: 'concurrency 4, 10 requests/s per host (the default for public hosts)', options: { maxRequestsPerSecond: 10 } },
  { label: 'concurrency 1, no rate limit', options: { concurrency: 1, maxRequestsPerSecond: 0 } },
  { label: 'concurrency 4, no rate limit', options: { concurrency: 4, maxRequestsPerSecond: 0 } },
  { label: 'concurrency 8, no rate limit', options: { concurrency: 8, maxRequestsPerSecond: 0 } },
];

export async function runCrawlSpeed(runs: number): Promise<ResultFile<{ rows: CrawlSpeedRow[] }>> {
  const conditions = { corpus: 'markdown/frrouting-user-manual-html/8.4.4', server: 'in-process node:http on 127.0.0.1', runs };
  return measure('crawl', `node --import tsx bench/crawl-speed.ts --runs ${runs}`, conditions, async () => {
    const site = await startTestSite([serveFolder('/frr/', corpusPath('markdown', 'frrouting-user-manual-html', '8.4.4'))]);
    const rows: CrawlSpeedRow[] = [];
    try {
      for (const config of CONFIGS) {
        const options: CrawlOptionsInput = { ...config.options, allowPrivateHosts: ['127.0.0.1'] };
        const runsMs: number[] = [];
        const cpu: number[] = [];
        let pages = 0;
        let requests = 0;
        let bytes = 0;
        for (let run = 0; run < runs; run += 1) {
          const hitsBefore = site.hits.length;
          const cpuBefore = process.cpuUsage();
          const started = performance.now();
          pages = 0;
          bytes = 0;
          for await (const event of crawlSite(site.url('/frr/'), options)) {
            if (event.type !== 'resource') continue;
            pages += 1;
            bytes += event.resource.bytes.length;
          }
          runsMs.push(performance.now() - started);
          const used = process.cpuUsage(cpuBefore);
          cpu.push((used.user + used.system) / 1000 / pages);
          requests = site.hits.length - hitsBefore;
        }
        const medianMs = median(runsMs);
        const row: CrawlSpeedRow = {
          label: config.label,
          options: config.options,
          pages,
          requests,
          bytes,
          runsMs: runsMs.map((ms) => Math.round(ms)),
          medianMs: Math.round(medianMs),
          pagesPerSecond: Math.round((pages / (medianMs / 1000)) * 10) / 10,
          cpuMsPerPage: Math.round(median(cpu) * 100) / 100,
          loadavg: loadavg(),
        };
        log(`crawl ${row.label}: ${row.pages} pages in ${row.medianMs} ms (median of ${runs}) = ${row.pagesPerSecond} pages/s, ${row.cpuMsPerPage} ms CPU/page, load ${row.loadavg.join(' / ')}`);
        rows.push(row);
      }
    } finally {
      await site.close();
    }
    return { rows };
  });
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const at = process.argv.indexOf('--runs');
  const runs = at > 0 ? Number(process.argv[at + 1]) : 5;
  if (!Number.isInteger(runs) || runs < 1) {
    process.stderr.write('usage: node --import tsx bench/crawl-speed.ts [--runs <n ≥ 1>]\n');
    process.exit(2);
  }
  const result = await runCrawlSpeed(runs);
  const table = ['| configuration | pages | median ms | pages/s | CPU ms/page |', '|---|---|---|---|---|'];
  for (const row of result.results.rows) table.push(`| ${row.label} | ${row.pages} | ${row.medianMs} | ${row.pagesPerSecond} | ${row.cpuMsPerPage} |`);
  process.stdout.write(`${table.join('\n')}\n\nload average at start ${result.machine.loadavg.join(' / ')}, at end ${result.loadavgAtEnd.join(' / ')}\n`);
}
