import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, describe, test } from 'node:test';
import { corpusPath, REPO_ROOT } from '../support/corpus.js';
import { loadConfig } from '../../src/config/config.js';
import { Library } from '../../src/service/library.js';
import { assertLibraryConsistent, mcdewey, snapshotLibrary, type LibrarySnapshot } from './library-state.js';
import { fileSource } from '../../src/ingest/sources/source.js';

/**
 * kill -9 in the middle of writing, with real processes, and what the next start finds:
 *
 * - at the three exact points of a document switch (file renamed into place with no index rows;
 *   rows written but not committed; committed but not cleaned up), for a new document and for a
 *   new version of an existing one: the next start settles the journal, so `mcdewey check` agrees
 *   and the library holds exactly the old state (first two points) or the complete new document
 *   (third); a re-run of `add` then finishes the job;
 * - `mcdewey add` of the 58-page PDF with the USE-lite embedder, killed at random moments while
 *   it loads the model, converts and embeds: the library is as before or has the whole document,
 *   `check` agrees, and a re-run adds it;
 * - `mcdewey add` of 80 Microsoft IIS documents, killed at random moments (commits come every few
 *   tens of milliseconds), then a re-run with a second folder of 55: every document present is
 *   complete after each crash, and all the while another process searches in a loop and every
 *   answer is valid (hits on real chunks of real documents, pages in range, no SQLITE_BUSY);
 * - a folder added in batches, killed in the middle of a batch's transaction and just after its
 *   commit: the batch in flight is entirely out or entirely in, every document present is whole,
 *   `mcdewey check` agrees, and a re-run adds the rest;
 * - `mcdewey reindex` switching to USE-lite, killed after its first document: the known
 *   recoverable state — `check` names the passages left without a vector and says to run
 *   `mcdewey reindex`, which completes it.
 */

const sandbox = fs.mkdtempSync(path.join(os.tmpdir(), 'mcdewey-kill-'));
after(() => fs.rmSync(sandbox, { recursive: true, force: true }));

const BIG_PDF = corpusPath('pdf', 'cisco', 'ftdv-autoscale-aws', 'latest-2025-06', 'deploy-ftdv-auto-scale-for-aws.pdf');
const NOTES_1 = corpusPath('pdf', 'paloalto', 'vm-series-aws-autoscaling-template', '1.0', 'Release_Notes_AWS_CFT_v1.pdf');
const NOTES_2 = corpusPath('pdf', 'paloalto', 'vm-series-aws-autoscaling-template', '1.1', 'Release_Notes_AWS_CFT_v1.1.pdf');
/** Two longer guides of different text: whatever order reindex takes, one is still being embedded after its first document. */
const GUIDES = [
  corpusPath('pdf', 'paloalto', 'vm-series-aws-autoscaling-template', '2.0', 'Auto_Scaling_Template_for_AWS_v2.0_rev2018-02.pdf'),
  corpusPath('pdf', 'paloalto', 'aws-transit-vpc', 'rev2019-05-31', 'AWS_Transit_VPC_deployment_guide.pdf'),
];
const IIS = (folder: string) => corpusPath('markdown', 'microsoft-iis-docs', 'iis', folder);
const CLI = path.join(REPO_ROOT, 'src', 'cli', 'main.ts');

const dataDir = (name: string) => path.join(sandbox, name);
const random = (min: number, max: number) => min + Math.random() * (max - min);

/** Runs `mcdewey` without blocking this process; kills it with SIGKILL after `ms`, or once `until` matches its stderr. */
async function run(args: string[], kill: { ms?: number; until?: RegExp } = {}): Promise<{ status: number | null; killed: boolean; stderr: string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', CLI, ...args], { cwd: REPO_ROOT, env: { ...process.env, NO_COLOR: '1' } });
  let stderr = '';
  let exited = false;
  const done = new Promise<void>((resolve) => child.on('exit', () => {
    exited = true;
    resolve();
  }));
  const stop = () => {
    if (!exited) child.kill('SIGKILL');
  };
  child.stdout.resume();
  child.stderr.on('data', (data: Buffer) => {
    stderr += data.toString();
    if (kill.until?.test(stderr)) stop();
  });
  const timer = kill.ms === undefined ? undefined : setTimeout(stop, kill.ms);
  await done;
  clearTimeout(timer);
  return { status: child.exitCode, killed: child.signalCode === 'SIGKILL', stderr };
}

function pending(data: string): string[] {
  const tmp = path.join(data, 'tmp');
  return fs.existsSync(tmp) ? fs.readdirSync(tmp) : [];
}

// Each test has its own data directory, so they run side by side (the CLI spends most of its time starting up).
describe('kill -9 while writing', { concurrency: true }, () => {
  test('a crash at each point of a document switch is settled on the next start: the old state or the whole new one', async () => {
    const source = path.join(sandbox, 'in', 'manual.md');
    fs.mkdirSync(path.dirname(source), { recursive: true });
    const version = (n: number) => fs.writeFileSync(source, `# Manual\n\nVersion ${n} of the manual.\n\n## Setup\n\n${'Configure the thing. '.repeat(40 * n)}\n`);
    const add = async (data: string) => {
      const library = await Library.open(loadConfig({ data, embedder: 'none' }, {}), 'write');
      try {
        // The crash child files it the same way: crash/1/manual/manual.md.
        const [result] = await library.add([fileSource(source, { vendor: 'Crash', product: 'crash', version: '1', document: 'manual' })]);
        assert.notEqual(result!.status, 'failed', result!.error);
      } finally {
        await library.close();
      }
    };
    for (const existing of [false, true]) {
      for (const [point, outcome] of [['before-index-write', 'old'], ['before-commit', 'old'], ['after-commit', 'new']] as const) {
        const data = dataDir(`switch-${existing ? 'update' : 'new'}-${point}`);
        fs.mkdirSync(data, { recursive: true });
        version(1);
        if (existing) await add(data);
        const before = snapshotLibrary(data);

        version(2);
        const child = spawnSync(process.execPath, ['--import', 'tsx', path.join(REPO_ROOT, 'test', 'hardening', 'crash-at.ts'), data, source, point], { cwd: REPO_ROOT, encoding: 'utf8' });
        assert.equal(child.signal, 'SIGKILL', `the child died at ${point}: ${child.stderr}`);
        assert.ok(pending(data).some((name) => name.endsWith('.journal')), `${point}: the crash left its journal`);

        // The first command to open the library settles the journal: here the real `mcdewey check`.
        const settled = await assertLibraryConsistent(data, { via: existing && point === 'before-commit' ? 'cli' : 'service' });
        assert.deepEqual(pending(data), [], `${point}: nothing left in tmp/`);
        if (outcome === 'old') assert.deepEqual(settled, before, `${point}: the library is exactly as before`);
        else {
          assert.deepEqual(Object.keys(settled.documents), ['crash::1::manual::manual'], point);
          assert.match(fs.readFileSync(path.join(data, 'library', 'crash', '1', 'manual', 'manual.md'), 'utf8'), /Version 2 of the manual/);
        }
        await add(data); // a re-run finishes the job
        const done = await assertLibraryConsistent(data);
        assert.match(fs.readFileSync(path.join(data, 'library', 'crash', '1', 'manual', 'manual.md'), 'utf8'), /Version 2 of the manual/);
        assert.equal(Object.keys(done.documents).length, 1);
      }
    }
  });

  test('a batch of documents killed mid-batch or just after its commit: the batch is all in or all out, every document whole, check clean', async () => {
    const folder = path.join(sandbox, 'batch-in');
    fs.mkdirSync(folder, { recursive: true });
    const files = 30;
    for (let i = 0; i < files; i++) {
      fs.writeFileSync(path.join(folder, `note-${i}.md`), `# Note ${i}\n\nThe ${i}th note of the batch.\n\n## Details\n\n${`Detail ${i} of the note. `.repeat(30)}\n`);
    }
    for (const point of ['mid-batch', 'after-commit'] as const) {
      const data = dataDir(`batch-${point}`);
      fs.mkdirSync(data, { recursive: true });
      const child = spawnSync(process.execPath, ['--import', 'tsx', path.join(REPO_ROOT, 'test', 'hardening', 'crash-batch-at.ts'), data, folder, point], { cwd: REPO_ROOT, encoding: 'utf8' });
      assert.equal(child.signal, 'SIGKILL', `the child died at ${point}: ${child.stderr}`);
      const batch = /^batch (.+)$/m.exec(child.stdout)?.[1]?.split(' ') ?? [];
      assert.ok(batch.length >= 2, `${point}: the child named the batch it died in: ${child.stdout}`);
      assert.ok(pending(data).some((name) => name.endsWith('.journal')), `${point}: the crash left the batch's journal`);

      // The real `mcdewey check` opens the library, which settles the journal, and must then find nothing wrong.
      const settled = await assertLibraryConsistent(data, { via: 'cli' });
      assert.deepEqual(pending(data), [], `${point}: nothing left in tmp/`);
      for (const [docId, [, chunks, pages]] of Object.entries(settled.documents)) {
        assert.ok(chunks > 0 && pages === 1, `${point}: ${docId} is whole`);
      }
      for (const docId of batch) {
        assert.equal(docId in settled.documents, point === 'after-commit', `${point}: ${docId} of the batch in flight is ${point === 'after-commit' ? 'in' : 'out'}`);
      }
      const rerun = mcdewey(data, ['add', folder, '--vendor', 'Crash', '--product', 'batch', '--version', '1']);
      assert.equal(rerun.status, 0, rerun.stderr);
      assert.equal(Object.keys((await assertLibraryConsistent(data)).documents).length, files, `${point}: a re-run adds the rest`);
    }
  });

  function assertBeforeOrComplete(now: LibrarySnapshot, before: LibrarySnapshot, docId: string, pages: number): void {
    if (now.documents[docId]) {
      assert.equal(now.documents[docId]![2], pages, 'a document present is complete');
      assert.deepEqual({ ...now.documents, [docId]: undefined }, { ...before.documents, [docId]: undefined });
    } else {
      assert.deepEqual(now, before, 'without the document, the library is exactly as before');
    }
  }

  test('add of the 58-page PDF with USE-lite, killed at random moments: as before or complete, then a re-run adds it', async () => {
    const data = dataDir('use-lite');
    const add = ['--data', data, '--embedder', 'use-lite', 'add', BIG_PDF, '--vendor', 'Cisco', '--product', 'ftdv', '--version', '7'];
    const before = snapshotLibrary(data);
    const docId = 'ftdv::7::deploy-ftdv-auto-scale-for-aws::deploy-ftdv-auto-scale-for-aws';
    const moments = [random(1500, 2500), random(3000, 5000)];
    for (const ms of moments) {
      const { killed, stderr } = await run(add, { ms });
      assert.ok(killed, `expected it still running after ${Math.round(ms)} ms, but it ended:\n${stderr}`);
      assertBeforeOrComplete(await assertLibraryConsistent(data, { embedder: 'use-lite' }), before, docId, 58);
    }
    const rerun = await run(add);
    assert.equal(rerun.status, 0, rerun.stderr);
    const done = await assertLibraryConsistent(data, { embedder: 'use-lite', via: 'cli' });
    assert.equal(done.documents[docId]?.[2], 58, `killed at ${moments.map(Math.round).join(', ')} ms, then re-run`);
  });

  test('add of many documents, killed at random moments, while another process searches: nothing half-done, every answer valid', async () => {
    const data = dataDir('many');
    const add = (...folders: string[]) => ['--data', data, '--embedder', 'none', 'add', ...folders.map(IIS), '--vendor', 'Microsoft', '--product', 'iis', '--version', '10'];
    fs.mkdirSync(data, { recursive: true });
    assert.equal(mcdewey(data, ['list']).status, 0); // creates the index the reader opens
    // The reader is its own process, as a server would be: this one blocks while it runs the CLI.
    const reader = spawn(process.execPath, ['--import', 'tsx', path.join(REPO_ROOT, 'test', 'hardening', 'search-loop.ts'), data], { cwd: REPO_ROOT });
    let report = '';
    reader.stdout.on('data', (chunk: Buffer) => (report += chunk.toString()));
    const readerDone = new Promise<void>((resolve) => reader.on('exit', () => resolve()));
    try {
      let previous = 0;
      for (const ms of [random(1300, 1900), random(1700, 2600)]) {
        await run(add('manage'), { ms });
        const now = await assertLibraryConsistent(data);
        const count = Object.keys(now.documents).length;
        assert.ok(count >= previous, 'documents added before a crash stay');
        previous = count;
      }
      const rerun = await run(add('manage', 'get-started'));
      assert.equal(rerun.status, 0, rerun.stderr);
    } finally {
      reader.stdin.end();
      await readerDone;
    }
    assert.equal(Object.keys((await assertLibraryConsistent(data)).documents).length, 80 + 55);
    const summary = JSON.parse(report) as { answers: number; withHits: number; invalid: string[]; errors: string[] };
    assert.deepEqual(summary.errors, [], 'every search was answered (no SQLITE_BUSY, no damage seen)');
    assert.deepEqual(summary.invalid, []);
    assert.ok(summary.answers > 50 && summary.withHits > 10, JSON.stringify(summary));
  });

  test('reindex switching to USE-lite, killed after its first document: check names the gap, reindex closes it', async () => {
    const data = dataDir('reindex');
    const add = mcdewey(data, ['add', NOTES_1, NOTES_2, ...GUIDES, '--vendor', 'Palo Alto', '--product', 'notes', '--version', '1']);
    assert.equal(add.status, 0, add.stderr);
    const before = snapshotLibrary(data);
    const { killed, stderr } = await run(['--data', data, '--embedder', 'use-lite', 'reindex'], { until: /^reindexed /m });
    assert.ok(killed, stderr);
    const check = mcdewey(data, ['check'], { embedder: 'use-lite' });
    assert.equal(check.status, 1);
    assert.match(check.stdout, /^problem: \d+ of \d+ passages have no vector \(an interrupted re-index\?\)$/m);
    assert.match(check.stdout, /^Fix: mcdewey reindex$/m);
    assert.deepEqual(snapshotLibrary(data).files, before.files, 'the Markdown files are untouched');
    const reindex = mcdewey(data, ['reindex'], { embedder: 'use-lite' });
    assert.equal(reindex.status, 0, reindex.stderr);
    await assertLibraryConsistent(data, { embedder: 'use-lite' });
  });
});
