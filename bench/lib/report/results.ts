import fs from 'node:fs';
import path from 'node:path';
import { loadavg, machineInfo, type MachineInfo } from '../parts/machine.js';
import { takeLibraryUses, type LibraryUse } from '../run/library-uses.js';
import { RESULTS_DIR } from '../run/paths.js';

/**
 * One benchmark's machine-readable output, bench/results/<benchmark>.json. Besides the figures
 * it records everything needed to read them: the machine, the load before and after, the
 * conditions (corpus, sizes, embedder, concurrency) and the command that reproduces it.
 */
export interface ResultFile<T = unknown> {
  benchmark: string;
  command: string;
  startedAt: string;
  seconds: number;
  machine: MachineInfo;
  loadavgAtEnd: number[];
  conditions: Record<string, unknown>;
  /** The cached libraries the run read, and whether the ingestion code that built them is src/'s now. */
  libraries?: LibraryUse[];
  results: T;
}

export async function measure<T>(
  benchmark: string,
  command: string,
  conditions: Record<string, unknown>,
  body: () => Promise<T>,
): Promise<ResultFile<T>> {
  const startedAt = new Date().toISOString();
  const machine = machineInfo();
  const started = performance.now();
  takeLibraryUses();
  const results = await body();
  const libraries = takeLibraryUses();
  const file: ResultFile<T> = {
    benchmark, command, startedAt, seconds: Math.round((performance.now() - started) / 100) / 10,
    machine, loadavgAtEnd: loadavg(), conditions, ...(libraries.length > 0 ? { libraries } : {}), results,
  };
  fs.mkdirSync(RESULTS_DIR, { recursive: true });
  fs.writeFileSync(resultPath(benchmark), `${JSON.stringify(file, null, 2)}\n`);
  return file;
}

export function resultPath(benchmark: string): string {
  return path.join(RESULTS_DIR, `${benchmark}.json`);
}

export function readResult<T>(benchmark: string): ResultFile<T> | undefined {
  const file = resultPath(benchmark);
  return fs.existsSync(file) ? (JSON.parse(fs.readFileSync(file, 'utf8')) as ResultFile<T>) : undefined;
}
