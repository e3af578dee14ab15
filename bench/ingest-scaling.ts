import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { ensureLibrary, LIBRARY_DESCRIPTIONS, type LibraryName } from './lib/fixtures/libraries.js';
import { log } from './lib/run/log.js';
import { loadavg } from './lib/parts/machine.js';
import type { TimedAdd } from './lib/parts/timed-add.js';
import { commandFor, type BenchOptions } from './lib/run/options.js';
import { BENCH_DIR, corpus, displayPath, REPO_ROOT, WORK_DIR } from './lib/run/paths.js';
import { measure, type ResultFile } from './lib/report/results.js';

/**
 * Ingestion cost per file as the library grows: the same fixed set of real files (the IIS docs,
 * under a product and version no library holds yet) added with `Library.add`, as `mcdewey add`
 * does, to a copy of each cached library, from the PDFs alone up to the 100k (and, when asked, the
 * 1M) library. Flat rows mean that what an added file costs does not depend on what the library
 * already holds. Each add runs in a process of its own (lib/parts/timed-add.ts), so that its CPU
 * time and peak memory are its own; the copies are removed afterwards.
 */
export interface IngestScalingRow {
  library: LibraryName;
  before: { documents: number; chunks: number };
  after: { documents: number; chunks: number };
  files: number;
  added: number;
  failed: number;
  wallSeconds: number;
  cpuSeconds: number;
  wallMsPerFile: number;
  cpuMsPerFile: number;
  peakRssMB: number;
  loadavgAtStart: number[];
  loadavgAtEnd: number[];
}

export interface IngestScalingResults {
  input: string;
  labels: { vendor: string; product: string; version: string };
  rows: IngestScalingRow[];
}

const LABELS = { vendor: 'Microsoft', product: 'iis-ingest-scaling', version: '1' };
const CHILD = path.join(BENCH_DIR, 'lib', 'parts', 'timed-add.ts');

/** The libraries a run adds to: always the smallest (the PDFs), then the sizes asked for, smallest first. */
export function scalingLibraries(sizes: readonly LibraryName[]): LibraryName[] {
  const order: LibraryName[] = ['pdf', '10k', '100k', '1m'];
  return order.filter((name) => name === 'pdf' || sizes.includes(name));
}

function timedAdd(data: string, embedder: string): TimedAdd {
  const child = spawnSync(process.execPath, ['--import', 'tsx', CHILD, data, embedder, corpus.iis, LABELS.vendor, LABELS.product, LABELS.version], {
    cwd: REPO_ROOT, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024, env: { ...process.env, NO_COLOR: '1' },
  });
  if (child.status !== 0) throw new Error(`the timed add into ${displayPath(data)} ended with ${child.status ?? child.signal}: ${child.stderr.slice(-2000)}`);
  const line = child.stdout.trim().split('\n').at(-1) ?? '';
  return JSON.parse(line) as TimedAdd;
}

export async function runIngestScaling(options: BenchOptions): Promise<ResultFile<IngestScalingResults>> {
  const libraries = scalingLibraries(options.sizes);
  const conditions = {
    input: `${displayPath(corpus.iis)} (every file, as \`mcdewey add\` discovers them)`,
    labels: LABELS,
    embedder: options.embedder,
    libraries: Object.fromEntries(libraries.map((name) => [name, LIBRARY_DESCRIPTIONS[name]])),
    method: 'each cached library copied to bench/work/ingest-scaling/<name> and flushed to disk (sync), the input added with Library.add in a child process (bench/lib/parts/timed-add.ts), the copy removed; CPU is process.cpuUsage() over the add (every thread), peak RSS the child\'s',
  };
  return measure('ingest-scaling', commandFor('ingest-scaling', options, ['sizes', 'embedder']), conditions, async () => {
    const rows: IngestScalingRow[] = [];
    const scratch = path.join(WORK_DIR, 'ingest-scaling');
    for (const name of libraries) {
      const built = await ensureLibrary(name, options.embedder);
      const copy = path.join(scratch, name);
      fs.rmSync(copy, { recursive: true, force: true });
      log(`ingest-scaling ${name}: copying the library (${built.documents} documents, ${built.chunks} chunks)`);
      fs.cpSync(built.data, copy, { recursive: true });
      // Written back before the add starts: otherwise the add's fsyncs wait behind hundreds of MB of the
      // copy's dirty pages, and the larger libraries look slower for it (measured: 100k 32.8 s wall for 13 s CPU).
      spawnSync('sync', { stdio: 'ignore' });
      try {
        const loadavgAtStart = loadavg();
        const add = timedAdd(copy, options.embedder);
        if (add.failed > 0) log(`ingest-scaling ${name}: ${add.failed} files failed, e.g. ${add.failures.join('; ')}`);
        const row: IngestScalingRow = {
          library: name, before: add.before, after: add.after, files: add.files, added: add.added, failed: add.failed,
          wallSeconds: round(add.wallMs / 1000), cpuSeconds: round(add.cpuMs / 1000),
          wallMsPerFile: round(add.wallMs / Math.max(1, add.files)), cpuMsPerFile: round(add.cpuMs / Math.max(1, add.files)),
          peakRssMB: add.peakRssMB, loadavgAtStart, loadavgAtEnd: loadavg(),
        };
        log(`ingest-scaling ${name}: ${row.files} files in ${row.wallSeconds} s (${row.cpuSeconds} s CPU): ${row.wallMsPerFile} ms wall, ${row.cpuMsPerFile} ms CPU per file, peak RSS ${row.peakRssMB} MB`);
        rows.push(row);
      } finally {
        fs.rmSync(copy, { recursive: true, force: true });
      }
    }
    fs.rmSync(scratch, { recursive: true, force: true });
    return { input: displayPath(corpus.iis), labels: LABELS, rows };
  });
}

const round = (n: number) => Math.round(n * 100) / 100;
