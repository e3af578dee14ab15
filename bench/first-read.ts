import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { hugeMarkdown, writeHugeDocument } from '../test/support/huge-document.js';
import { loadavg } from './lib/parts/machine.js';
import { RESULTS_DIR } from './lib/run/paths.js';

/**
 * The first read of a window of a huge page in a fresh process, as a server's first request for
 * it: how long it takes and how long the event loop is held at once meanwhile (the longest gap
 * between turns of a 5 ms timer), with no stored layout (a crash before it was written, a library
 * from before layouts: the file is scanned in the background) and with the layout stored when the
 * file was written. The page is `--page-mb` MB (default 30) of Markdown with a non-ASCII character
 * on most lines; each case runs `--runs` times (default 5) in a process of its own
 * (test/support/first-read-stall.ts); medians are reported.
 *
 *   node --import tsx bench/first-read.ts [--page-mb 30] [--runs 5]
 *
 * Writes bench/results/first-read.json and prints a Markdown table.
 */

const arg = (name: string, fallback: number) => {
  const at = process.argv.indexOf(name);
  return at >= 0 ? Number(process.argv[at + 1]) || fallback : fallback;
};
const pageMb = arg('--page-mb', 30);
const runs = arg('--runs', 5);
const root = fileURLToPath(new URL('../', import.meta.url));
const work = fs.mkdtempSync(path.join(os.tmpdir(), 'mcdewey-first-read-'));
const data = path.join(work, 'data');

interface Measure { longestStallMs: number; tookMs: number; turns: number }

try {
  const { docId } = await writeHugeDocument(data, 'big', [
    { number: 1, markdown: hugeMarkdown(pageMb * 1024 * 1024, 40).replace(/cluster/g, 'clüster') },
    { number: 2, markdown: 'The end.' },
  ], 2000, 'pdf');
  const probe = (): Measure => {
    const run = spawnSync(process.execPath, ['--import', 'tsx', path.join(root, 'test/support/first-read-stall.ts'), data, docId, String(pageMb * 500_000)], {
      cwd: root, encoding: 'utf8', timeout: 300_000,
    });
    if (run.status !== 0) throw new Error(`the probe failed: ${run.stderr}`);
    return JSON.parse(run.stdout) as Measure;
  };
  const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
  const cases = { 'no stored layout': [] as Measure[], 'stored layout': [] as Measure[] };
  for (let i = 0; i < runs; i++) {
    fs.rmSync(path.join(data, 'cache'), { recursive: true, force: true });
    cases['no stored layout'].push(probe()); // which stores the layout for the next case
    cases['stored layout'].push(probe());
  }
  const rows = Object.entries(cases).map(([name, measures]) => ({
    case: name,
    firstReadMs: Math.round(median(measures.map((m) => m.tookMs))),
    longestStallMs: Math.round(median(measures.map((m) => m.longestStallMs)) * 10) / 10,
    worstStallMs: Math.round(Math.max(...measures.map((m) => m.longestStallMs)) * 10) / 10,
  }));
  const result = { command: `node --import tsx bench/first-read.ts --page-mb ${pageMb} --runs ${runs}`, pageMb, runs, loadavg: loadavg(), rows };
  fs.mkdirSync(RESULTS_DIR, { recursive: true });
  fs.writeFileSync(path.join(RESULTS_DIR, 'first-read.json'), `${JSON.stringify(result, null, 2)}\n`);
  console.log(`First read of a window of a ${pageMb} MB page, median of ${runs} fresh processes (load ${result.loadavg.join(' ')})\n`);
  console.log('| case | first read ms | longest stall ms (median) | longest stall ms (worst) |\n|---|---|---|---|');
  for (const row of rows) console.log(`| ${row.case} | ${row.firstReadMs} | ${row.longestStallMs} | ${row.worstStallMs} |`);
} finally {
  fs.rmSync(work, { recursive: true, force: true });
}
