import { httpSearch } from './lib/parts/clients.js';
import { ensureLibrary, LIBRARY_DESCRIPTIONS, type LibraryName } from './lib/fixtures/libraries.js';
import { log } from './lib/run/log.js';
import { loadavg } from './lib/parts/machine.js';
import { commandFor, type BenchOptions } from './lib/run/options.js';
import { measure, type ResultFile } from './lib/report/results.js';
import { serveArgs, startServerProcess } from './lib/parts/server-process.js';
import { median } from './lib/parts/stats.js';

/**
 * Cold start: from spawning `node bin/mcdewey.js serve --port 0` to the first hybrid search
 * answered over HTTP (which loads the model and the BM25 statistics), median of several runs.
 * "Cold" is the process, not the disk: the OS page cache is warm after the first run. The CPU the
 * server used up to the first answer (every thread) is recorded too: on a shared 2-core machine it
 * moves far less with the load than the wall time does.
 */
export interface ColdStartRow {
  size: LibraryName;
  chunks: number;
  runs: { listeningMs: number; firstSearchMs: number; secondSearchMs: number; firstSearchCpuMs: number | null }[];
  median: { listeningMs: number; firstSearchMs: number; secondSearchMs: number; firstSearchCpuMs: number | null };
  loadavg: number[];
}

export interface ColdStartResults {
  query: string;
  rows: ColdStartRow[];
}

const QUERY = 'configure request filtering for a website';

export async function runColdStart(options: BenchOptions): Promise<ResultFile<ColdStartResults>> {
  const conditions = {
    libraries: Object.fromEntries(options.sizes.map((s) => [s, LIBRARY_DESCRIPTIONS[s]])),
    embedder: options.embedder, runs: options.coldRuns, query: QUERY, mode: 'hybrid',
    command: `node ${serveArgs('<library>', options.embedder).map((a) => a.replace(/^.*\/bin\//, 'bin/')).join(' ')}`,
  };
  return measure('cold-start', commandFor('cold-start', options, ['sizes', 'embedder', 'coldRuns']), conditions, async () => {
    const rows: ColdStartRow[] = [];
    for (const size of options.sizes) {
      const built = await ensureLibrary(size, options.embedder);
      const runs: ColdStartRow['runs'] = [];
      for (let i = 0; i < options.coldRuns; i++) {
        const server = await startServerProcess(built.data, options.embedder);
        try {
          await httpSearch(server.url, QUERY, 'hybrid');
          const firstSearchMs = performance.now() - server.spawnedAt;
          const firstSearchCpuMs = server.cpuMs();
          const second = performance.now();
          await httpSearch(server.url, QUERY, 'hybrid');
          runs.push({ listeningMs: Math.round(server.readyMs), firstSearchMs: Math.round(firstSearchMs), secondSearchMs: Math.round((performance.now() - second) * 10) / 10, firstSearchCpuMs });
        } finally {
          await server.stop();
        }
      }
      const med = (k: Exclude<keyof ColdStartRow['runs'][number], 'firstSearchCpuMs'>) => median(runs.map((r) => r[k]));
      const cpu = runs.map((r) => r.firstSearchCpuMs).filter((ms): ms is number => ms !== null);
      const row: ColdStartRow = {
        size, chunks: built.chunks, runs, median: { listeningMs: med('listeningMs'), firstSearchMs: med('firstSearchMs'), secondSearchMs: med('secondSearchMs'), firstSearchCpuMs: cpu.length ? median(cpu) : null }, loadavg: loadavg(),
      };
      log(`cold start ${size}: listening after ${row.median.listeningMs} ms, first search answered after ${row.median.firstSearchMs} ms, ${row.median.firstSearchCpuMs ?? '-'} ms CPU (median of ${runs.length})`);
      rows.push(row);
    }
    return { query: QUERY, rows };
  });
}
