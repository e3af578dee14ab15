import fs from 'node:fs';
import path from 'node:path';
import { machineInfo } from '../parts/machine.js';
import { RESULTS_DIR } from '../run/paths.js';

/**
 * How long the last full `npm run bench` took, part by part (bench/results/last-full-run.json):
 * the report quotes it so that a reader knows what a re-run costs with the caches as they were.
 */
export interface RunRecord {
  command: string;
  startedAt: string;
  seconds: number;
  parts: { benchmark: string; seconds: number; ok: boolean }[];
  machine: ReturnType<typeof machineInfo>;
}

export const RUN_RECORD = 'last-full-run.json';

export function writeRunRecord(argv: string[], parts: RunRecord['parts'], seconds: number): void {
  const record: RunRecord = {
    command: ['npm run bench', ...(argv.length > 0 ? ['--', ...argv] : [])].join(' '),
    startedAt: new Date(Date.now() - seconds * 1000).toISOString(),
    seconds,
    parts,
    machine: machineInfo(),
  };
  fs.mkdirSync(RESULTS_DIR, { recursive: true });
  fs.writeFileSync(path.join(RESULTS_DIR, RUN_RECORD), `${JSON.stringify(record, null, 2)}\n`);
}

export function readRunRecord(): RunRecord | undefined {
  const file = path.join(RESULTS_DIR, RUN_RECORD);
  return fs.existsSync(file) ? (JSON.parse(fs.readFileSync(file, 'utf8')) as RunRecord) : undefined;
}
