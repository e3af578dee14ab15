/**
 * One `Library.add` of a folder into a library, timed, in a process of its own so that its peak
 * memory and CPU time are the add's and not a previous one's. Run by bench/ingest-scaling.ts as
 *
 *     node --import tsx bench/lib/parts/timed-add.ts <data dir> <embedder> <folder> <vendor> <product> <version>
 *
 * and prints one JSON line (TimedAdd) on stdout. Opening the library is outside the timed part.
 */
import { openLibrary } from '../fixtures/open-library.js';

export interface TimedAdd {
  before: { documents: number; chunks: number };
  after: { documents: number; chunks: number };
  files: number;
  added: number;
  failed: number;
  /** The first failures' messages, so that a broken run says why. */
  failures: string[];
  wallMs: number;
  /** User + system CPU of the whole process (every thread) during the add. */
  cpuMs: number;
  /** The process's peak resident set (opening included). */
  peakRssMB: number;
}

async function main(argv: string[]): Promise<void> {
  const [data, embedder, folder, vendor, product, version] = argv;
  if (!data || !embedder || !folder || !vendor || !product || !version) {
    throw new Error('usage: timed-add.ts <data dir> <embedder> <folder> <vendor> <product> <version>');
  }
  const library = await openLibrary(data, embedder, 'write');
  try {
    const counts = () => {
      const { documents, chunks } = library.counts();
      return { documents, chunks };
    };
    const before = counts();
    const sources = library.plan([folder], { vendor, product, version });
    const cpu = process.cpuUsage();
    const started = performance.now();
    const results = await library.add(sources);
    const wallMs = performance.now() - started;
    const used = process.cpuUsage(cpu);
    const failed = results.filter((r) => r.status === 'failed');
    const timed: TimedAdd = {
      before, after: counts(), files: results.length, added: results.filter((r) => r.status === 'added').length, failed: failed.length,
      failures: failed.slice(0, 3).map((r) => `${r.file}: ${r.error ?? 'failed'}`),
      wallMs: Math.round(wallMs), cpuMs: Math.round((used.user + used.system) / 1000),
      peakRssMB: Math.round(process.resourceUsage().maxRSS / 1024),
    };
    process.stdout.write(`${JSON.stringify(timed)}\n`);
  } finally {
    await library.close();
  }
}

await main(process.argv.slice(2));
