/**
 * The benchmark suite: `npm run bench [-- --only quality,latency --sizes 10000]`.
 * Each benchmark writes bench/results/<name>.json; the report and charts are then rebuilt from
 * every result file present, so a partial run refreshes its own sections and keeps the others.
 * Libraries and indexes are cached in bench/work, so only the first run pays for embedding.
 */
import { runColdStart } from './cold-start.js';
import { runFusion } from './fusion.js';
import { runIngestScaling } from './ingest-scaling.js';
import { runIngestSpeed } from './ingest-speed.js';
import { runIngestWeb } from './ingest-web.js';
import { runKnownItem } from './known-item.js';
import { runLatency } from './latency.js';
import { log } from './lib/run/log.js';
import { BENCHMARKS, parseOptions, USAGE, UsageError, type BenchmarkName, type BenchOptions } from './lib/run/options.js';
import { writeReport } from './lib/report/report.js';
import { writeRunRecord } from './lib/report/run-record.js';
import { runMemory } from './memory.js';
import { runProfile } from './profile.js';
import { runQa } from './qa.js';
import { runQuality } from './quality.js';
import { runThroughput } from './throughput.js';

const RUNNERS: Record<BenchmarkName, (options: BenchOptions) => Promise<unknown>> = {
  quality: runQuality,
  fusion: runFusion,
  'known-item': runKnownItem,
  qa: runQa,
  ingest: runIngestSpeed,
  'ingest-web': runIngestWeb,
  latency: runLatency,
  profile: runProfile,
  throughput: runThroughput,
  memory: runMemory,
  'cold-start': runColdStart,
  'ingest-scaling': runIngestScaling,
};

async function main(argv: string[]): Promise<number> {
  let options: ReturnType<typeof parseOptions>;
  try {
    options = parseOptions(argv);
  } catch (error) {
    if (!(error instanceof UsageError) && !(error instanceof TypeError)) throw error;
    process.stderr.write(`${(error as Error).message}\n\n${USAGE}`);
    return 2;
  }
  if (options.help) {
    process.stdout.write(USAGE);
    return 0;
  }
  const started = performance.now();
  const failed: string[] = [];
  if (!options.reportOnly) {
    const parts: { benchmark: BenchmarkName; seconds: number; ok: boolean }[] = [];
    for (const name of options.only) {
      log(`bench: ${name}`);
      const partStarted = performance.now();
      let ok = true;
      try {
        await RUNNERS[name](options);
      } catch (error) {
        ok = false;
        failed.push(name);
        log(`bench: ${name} FAILED: ${(error as Error).stack ?? error}`);
      }
      const seconds = Math.round((performance.now() - partStarted) / 1000);
      parts.push({ benchmark: name, seconds, ok });
      log(`bench: ${name} ${ok ? 'done' : 'failed'} in ${seconds} s`);
    }
    if (options.only.length === BENCHMARKS.length) writeRunRecord(argv, parts, Math.round((performance.now() - started) / 1000));
  }
  const report = writeReport();
  log(`bench: wrote ${report.join(', ')} in ${((performance.now() - started) / 1000).toFixed(0)} s total`);
  if (failed.length > 0) log(`bench: failed: ${failed.join(', ')}`);
  return failed.length > 0 ? 1 : 0;
}

process.exitCode = await main(process.argv.slice(2));
