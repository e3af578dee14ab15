import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { log } from './lib/run/log.js';
import { loadavg } from './lib/parts/machine.js';
import type { BenchOptions } from './lib/run/options.js';
import { corpus, displayPath, REPO_ROOT, WORK_DIR } from './lib/run/paths.js';
import { measure, type ResultFile } from './lib/report/results.js';

/**
 * Bulk ingestion of many small Markdown files, lexical only, as a person runs it: the real CLI
 * (`bin/mcdewey.js add <folder>`, which runs dist/ when built) in its own process, into a fresh
 * data directory. The files are SciFact's 5,183 abstracts, each written once as
 * `<_id>.md` = `# <title>\n\n<text>\n`; the first 1,000 and 2,500 of them (in file-name order)
 * are added too, so the cost per file can be compared as the library grows. Wall time is the
 * child's; CPU time and peak memory come from /usr/bin/time when it is installed.
 *
 *     npm run build && npm run bench -- --only ingest --embedder none
 */
export interface IngestMarkdownResults {
  files: number;
  goalSeconds: number;
  runs: {
    files: number;
    wallSeconds: number;
    msPerFile: number;
    userCpuSeconds: number | null;
    systemCpuSeconds: number | null;
    maxRssMB: number | null;
    summary: string;
    loadavgAtStart: number[];
    loadavgAtEnd: number[];
  }[];
}

const SIZES = [1000, 2500];
const GOAL_SECONDS = 40;
const TIME = '/usr/bin/time';

/** The abstracts as Markdown files, written once into bench/work (git-ignored). */
function scifactFolder(): string[] {
  const folder = path.join(WORK_DIR, 'scifact-markdown');
  const done = path.join(folder, '.complete');
  if (!fs.existsSync(done)) {
    fs.rmSync(folder, { recursive: true, force: true });
    fs.mkdirSync(folder, { recursive: true });
    for (const line of fs.readFileSync(path.join(corpus.scifact, 'corpus.jsonl'), 'utf8').split('\n')) {
      if (!line.trim()) continue;
      const doc = JSON.parse(line) as { _id: string; title: string; text: string };
      fs.writeFileSync(path.join(folder, `${doc._id}.md`), `# ${doc.title}\n\n${doc.text}\n`);
    }
    fs.writeFileSync(done, '');
  }
  return fs.readdirSync(folder).filter((name) => name.endsWith('.md')).sort().map((name) => path.join(folder, name));
}

/** A folder holding the first `count` files, as hard links (the same bytes, no copies). */
function subset(files: string[], count: number): string {
  const folder = path.join(WORK_DIR, `scifact-markdown-${count}`);
  fs.rmSync(folder, { recursive: true, force: true });
  fs.mkdirSync(folder, { recursive: true });
  for (const file of files.slice(0, count)) fs.linkSync(file, path.join(folder, path.basename(file)));
  return folder;
}

function addOnce(folder: string, files: number): IngestMarkdownResults['runs'][number] {
  const data = path.join(WORK_DIR, 'ingest-markdown-run');
  fs.rmSync(data, { recursive: true, force: true });
  const args = [path.join(REPO_ROOT, 'bin', 'mcdewey.js'), '--data', data, '--embedder', 'none', 'add', folder, '--vendor', 'SciFact', '--product', 'scifact', '--version', '1'];
  const timed = fs.existsSync(TIME);
  const loadavgAtStart = loadavg();
  const started = performance.now();
  const child = timed
    ? spawnSync(TIME, ['-f', 'cpu %U %S %M', process.execPath, ...args], { cwd: REPO_ROOT, encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 })
    : spawnSync(process.execPath, args, { cwd: REPO_ROOT, encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
  const wallSeconds = (performance.now() - started) / 1000;
  if (child.status !== 0) throw new Error(`mcdewey add of ${files} files ended ${child.status}: ${child.stderr.slice(-2000)}`);
  const summary = /^\d+ added, .*$/m.exec(child.stdout)?.[0] ?? '';
  if (!summary.startsWith(`${files} added`)) throw new Error(`expected ${files} files added, the CLI said: ${summary || child.stdout.slice(-500)}`);
  const cpu = /^cpu ([\d.]+) ([\d.]+) (\d+)$/m.exec(child.stderr);
  fs.rmSync(data, { recursive: true, force: true });
  return {
    files, wallSeconds: round(wallSeconds), msPerFile: round((wallSeconds * 1000) / files),
    userCpuSeconds: cpu ? Number(cpu[1]) : null, systemCpuSeconds: cpu ? Number(cpu[2]) : null, maxRssMB: cpu ? Math.round(Number(cpu[3]) / 1024) : null,
    summary, loadavgAtStart, loadavgAtEnd: loadavg(),
  };
}

export async function runIngestMarkdown(_options: BenchOptions): Promise<ResultFile<IngestMarkdownResults>> {
  const files = scifactFolder();
  const conditions = {
    corpus: `${displayPath(corpus.scifact)}/corpus.jsonl, each abstract written to bench/work/scifact-markdown/<_id>.md as '# <title>\\n\\n<text>\\n'`,
    command: 'node bin/mcdewey.js --data <fresh dir> --embedder none add <folder> --vendor SciFact --product scifact --version 1',
    cli: fs.existsSync(path.join(REPO_ROOT, 'dist', 'cli', 'main.js')) ? 'dist (npm run build)' : 'tsx (src)',
    sizes: `the first ${SIZES.join(' and ')} files (by name), then all ${files.length}`,
  };
  return measure('ingest-markdown', 'npm run bench -- --only ingest --embedder none', conditions, async () => {
    const runs: IngestMarkdownResults['runs'] = [];
    for (const size of [...SIZES.filter((s) => s < files.length), files.length]) {
      const folder = size === files.length ? path.dirname(files[0]!) : subset(files, size);
      log(`ingest-markdown: adding ${size} files`);
      runs.push(addOnce(folder, size));
      log(`ingest-markdown: ${size} files in ${runs.at(-1)!.wallSeconds} s`);
      if (folder !== path.dirname(files[0]!)) fs.rmSync(folder, { recursive: true, force: true });
    }
    return { files: files.length, goalSeconds: GOAL_SECONDS, runs };
  });
}

const round = (n: number) => Math.round(n * 100) / 100;
