import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** Where the benchmark reads from and writes to, all relative to the repository root. */
export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
export const BENCH_DIR = path.join(REPO_ROOT, 'bench');
/** Cached, rebuildable data (libraries, indexes, generated corpora); git-ignored. */
export const WORK_DIR = path.join(BENCH_DIR, 'work');
/** Commit-worthy output: JSON per benchmark, REPORT.md and the charts. */
export const RESULTS_DIR = path.join(BENCH_DIR, 'results');
/** The shared real-world corpus beside the repository (see its SOURCES.md). */
export const CORPUS_DIR = path.resolve(process.env['MCDEWEY_BENCH_CORPUS'] ?? path.join(REPO_ROOT, '..', 'shared', 'corpus'));

export const corpus = {
  pdf: path.join(CORPUS_DIR, 'pdf'),
  scifact: path.join(CORPUS_DIR, 'beir', 'scifact'),
  iis: path.join(CORPUS_DIR, 'markdown', 'microsoft-iis-docs', 'iis'),
  netbox: path.join(CORPUS_DIR, 'markdown', 'netbox-docs', 'docs'),
  frr: path.join(CORPUS_DIR, 'markdown', 'frrouting-user-manual-html', '8.4.4'),
  juniper: path.join(CORPUS_DIR, 'markdown', 'juniper-techpost', 'articles'),
};

/** Paths in results are written relative to the repository so they read the same on any machine. */
export function displayPath(file: string): string {
  return path.relative(REPO_ROOT, file) || '.';
}
