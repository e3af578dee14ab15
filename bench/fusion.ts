import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { commandFor, type BenchOptions } from './lib/run/options.js';
import { BENCH_DIR, corpus, REPO_ROOT, WORK_DIR } from './lib/run/paths.js';
import { measure, resultPath, type ResultFile } from './lib/report/results.js';

/**
 * Re-runs the existing fusion tuning (bench/tune-fusion.ts: weights chosen on SciFact train,
 * reported once on test) against the cached evaluation index, and keeps its own output file,
 * bench/results/fusion-tuning.json, which the report links.
 */
export interface FusionSummary {
  chosen: unknown;
  /** The engine's default fusion (src/search/fusion.ts), when the tuning recorded it. */
  default?: unknown;
  test: { lexicalOnly: { ndcg10: number }; chosen: { ndcg10: number }; default?: { ndcg10: number } };
  trainCandidates: number;
}

export async function runFusion(options: BenchOptions): Promise<ResultFile<FusionSummary>> {
  const conditions = { corpus: 'SciFact train (809 queries) for tuning, test (300) reported once', embedder: options.embedder, output: 'bench/results/fusion-tuning.json' };
  return measure('fusion', commandFor('fusion', options, ['embedder']), conditions, async () => {
    const script = path.join(BENCH_DIR, 'tune-fusion.ts');
    const args = ['--import', 'tsx', script, '--beir', corpus.scifact, '--work', path.join(WORK_DIR, 'eval'), '--embedder', options.embedder];
    const run = spawnSync(process.execPath, args, { cwd: REPO_ROOT, stdio: ['ignore', 'inherit', 'inherit'] });
    if (run.status !== 0) throw new Error(`bench/tune-fusion.ts exited with ${run.status}`);
    const tuning = JSON.parse(fs.readFileSync(resultPath('fusion-tuning'), 'utf8')) as { chosen: unknown; default?: unknown; train: unknown[]; test: FusionSummary['test'] };
    return { chosen: tuning.chosen, ...(tuning.default === undefined ? {} : { default: tuning.default }), test: tuning.test, trainCandidates: tuning.train.length };
  });
}
