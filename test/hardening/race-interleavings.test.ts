import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import fc from 'fast-check';
import { REPO_ROOT } from '../support/corpus.js';
import { assertLibraryConsistent, mcdewey, snapshotTree } from './library-state.js';

/**
 * Writers in several processes at once. fast-check draws interleavings of `mcdewey add`,
 * `mcdewey remove` and `mcdewey reindex` (real CLI processes) with REST uploads and deletes (a real
 * `mcdewey serve` process), started at random moments, some of them killed with SIGKILL part-way
 * (the server too). Afterwards:
 *
 * - `mcdewey check` agrees: every document file is indexed and every index entry has its file
 *   (a re-index used to drop the rows of documents added while it ran);
 * - no writer failed with "database is locked" (writers wait their turn);
 * - nothing outside the data directory changed.
 */

const sandbox = fs.mkdtempSync(path.join(os.tmpdir(), 'mcdewey-races-'));
const data = path.join(sandbox, 'data');
const sources = path.join(sandbox, 'sources');
const TOKEN = 'race-test-token-0123456789abcdef';
const DOCUMENTS = 6;
const WORDS = ['router', 'switch', 'license', 'cluster', 'upgrade', 'install', 'interface', 'policy', 'tunnel', 'certificate', 'gateway', 'session'];

/** A Markdown document of about 40 KB, different for each seed. */
function document(seed: number): string {
  let state = seed * 7919 + 17;
  const next = () => (state = (state * 48271) % 2147483647);
  const paragraphs = Array.from({ length: 60 }, () => Array.from({ length: 100 }, () => WORDS[next() % WORDS.length]).join(' '));
  return `# Document ${seed}\n\n${paragraphs.join('.\n\n')}.\n`;
}

let server: { process: ChildProcess; url: string } | undefined;

async function startServe(): Promise<{ process: ChildProcess; url: string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(REPO_ROOT, 'src/cli/main.ts'), '--data', data, '--embedder', 'none', 'serve', '--port', '0'], {
    cwd: REPO_ROOT,
    env: { ...process.env, MCDEWEY_TOKEN: TOKEN, NO_COLOR: '1' },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  const url = await new Promise<string>((resolve, reject) => {
    let output = '';
    child.stderr!.setEncoding('utf8').on('data', (text: string) => {
      output += text;
      const match = /REST API (http:\/\/[^\s]+)\/api/.exec(output);
      if (match) resolve(match[1]!);
    });
    child.on('exit', (code) => reject(new Error(`mcdewey serve exited (${code}): ${output}`)));
  });
  return { process: child, url };
}

async function stopServe(signal: NodeJS.Signals): Promise<void> {
  const running = server;
  server = undefined;
  if (!running || running.process.exitCode !== null || running.process.signalCode !== null) return;
  const exited = new Promise((resolve) => running.process.once('exit', resolve));
  running.process.kill(signal);
  await exited;
}

before(async () => {
  fs.mkdirSync(sources, { recursive: true });
  for (let i = 0; i < DOCUMENTS; i++) fs.writeFileSync(path.join(sources, `doc-${i}.md`), document(i));
  const seeds = path.join(sandbox, 'seed-sources');
  fs.mkdirSync(seeds);
  // Enough already in the library that a re-index takes a few seconds: the window other writers hit.
  for (let i = 0; i < 60; i++) fs.writeFileSync(path.join(seeds, `seed-${i}.md`), document(100 + i));
  const seeded = mcdewey(data, ['add', seeds, '--vendor', 'Vendor', '--product', 'seeded', '--version', '1']);
  assert.equal(seeded.status, 0, seeded.stderr);
  fs.rmSync(seeds, { recursive: true });
});

after(async () => {
  await stopServe('SIGKILL');
  fs.rmSync(sandbox, { recursive: true, force: true });
});

type Operation =
  | { kind: 'add' | 'upload'; doc: number; version: string; delay: number; killAfter?: number }
  | { kind: 'remove' | 'delete'; version: string; delay: number; killAfter?: number }
  | { kind: 'reindex'; delay: number; killAfter?: number }
  | { kind: 'kill-server'; delay: number };

const version = fc.constantFrom('1', '2');
const delay = fc.integer({ min: 0, max: 2500 });
/** Present in about half of the CLI operations (fast-check leaves optional keys out at random). */
const killAfter = fc.integer({ min: 400, max: 5000 });
const operation: fc.Arbitrary<Operation> = fc.oneof(
  fc.record({ kind: fc.constant('add' as const), doc: fc.nat(DOCUMENTS - 1), version, delay, killAfter }, { requiredKeys: ['kind', 'doc', 'version', 'delay'] }),
  fc.record({ kind: fc.constant('upload' as const), doc: fc.nat(DOCUMENTS - 1), version, delay }),
  fc.record({ kind: fc.constant('remove' as const), version, delay, killAfter }, { requiredKeys: ['kind', 'version', 'delay'] }),
  fc.record({ kind: fc.constant('delete' as const), version, delay }),
  fc.record({ kind: fc.constant('reindex' as const), delay, killAfter }, { requiredKeys: ['kind', 'delay'] }),
  fc.record({ kind: fc.constant('kill-server' as const), delay }),
);
/** Every interleaving has a re-index in it: the writer whose final sweep used to drop others' work. */
const interleaving = fc.tuple(fc.record({ kind: fc.constant('reindex' as const), delay }), fc.array(operation, { minLength: 2, maxLength: 5 }))
  .map(([reindex, rest]): Operation[] => [reindex, ...rest]);

interface Outcome { operation: Operation; status: number | string; output: string }

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function runCli(args: string[], killAfter: number | undefined): Promise<{ status: number | string; output: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', path.join(REPO_ROOT, 'src/cli/main.ts'), '--data', data, '--embedder', 'none', ...args], {
      cwd: REPO_ROOT,
      env: { ...process.env, NO_COLOR: '1' },
    });
    let output = '';
    child.stdout.setEncoding('utf8').on('data', (text: string) => (output += text));
    child.stderr.setEncoding('utf8').on('data', (text: string) => (output += text));
    const timer = killAfter === undefined ? undefined : setTimeout(() => child.kill('SIGKILL'), killAfter);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ status: signal ?? code ?? -1, output });
    });
  });
}

async function http(method: string, route: string, body?: FormData): Promise<{ status: number | string; output: string }> {
  const running = server;
  if (!running) return { status: 'no server', output: '' };
  try {
    const response = await fetch(`${running.url}${route}`, { method, headers: { Authorization: `Bearer ${TOKEN}` }, ...(body ? { body } : {}) });
    return { status: response.status, output: await response.text() };
  } catch (error) {
    return { status: 'connection failed', output: String(error) }; // the server was killed meanwhile
  }
}

async function perform(op: Operation): Promise<Outcome> {
  await sleep(op.delay);
  const done = (result: { status: number | string; output: string }): Outcome => ({ operation: op, ...result });
  switch (op.kind) {
    case 'add':
      return done(await runCli(['add', path.join(sources, `doc-${op.doc}.md`), '--vendor', 'Vendor', '--product', 'raced', '--version', op.version], op.killAfter));
    case 'remove':
      return done(await runCli(['remove', 'raced', op.version, '--yes'], op.killAfter));
    case 'reindex':
      return done(await runCli(['reindex'], op.killAfter));
    case 'upload': {
      const form = new FormData();
      form.set('file', new File([fs.readFileSync(path.join(sources, `doc-${op.doc}.md`))], `doc-${op.doc}.md`, { type: 'text/markdown' }));
      for (const [key, value] of Object.entries({ vendor: 'Vendor', product: 'raced', version: op.version })) form.set(key, value);
      // wait=1: an upload is a job; the answer comes once it has ended.
      return done(await http('POST', '/api/documents?wait=1', form));
    }
    case 'delete':
      return done(await http('DELETE', `/api/products/raced/versions/${op.version}`));
    case 'kill-server':
      await stopServe('SIGKILL');
      return { operation: op, status: 'killed', output: '' };
  }
}

/** What a writer that was neither killed nor cut off may answer: success, or "nothing to remove". */
function acceptable({ operation, status, output }: Outcome): boolean {
  if (status === 'SIGKILL' || status === 'connection failed' || status === 'no server' || status === 'killed') return true;
  if (status === 0 || status === 200 || status === 201) return true;
  return (operation.kind === 'remove' || operation.kind === 'delete') && /nothing in the library matches|is not in the library/.test(output);
}

test('property: after any interleaving of writers in several processes, some killed, check agrees and nothing outside the data directory changed', { timeout: 1_800_000 }, async () => {
  const outside = snapshotTree(sandbox, ['data']);
  const repoEntries = fs.readdirSync(REPO_ROOT).sort();
  await fc.assert(
    fc.asyncProperty(interleaving, async (operations) => {
      server ??= await startServe();
      const outcomes = await Promise.all(operations.map(perform));
      await stopServe('SIGTERM');
      for (const outcome of outcomes) {
        assert.doesNotMatch(outcome.output, /database is locked|SQLITE_BUSY/, `${JSON.stringify(outcome.operation)} waited for no one`);
        assert.ok(acceptable(outcome), `${JSON.stringify(outcome.operation)} → ${outcome.status}: ${outcome.output.slice(-600)}`);
      }
      let check = mcdewey(data, ['check', '--json']);
      // A re-index killed before it finished leaves its record, and check says the index may be
      // incomplete until one finishes: check agrees with what happened. Finishing one must clear it.
      if (check.status !== 0 && outcomes.some((o) => o.operation.kind === 'reindex' && o.status === 'SIGKILL')) {
        const { problems } = JSON.parse(check.stdout) as { problems: string[] };
        assert.ok(problems.length === 1 && /a re-index started at \S+ has not finished/.test(problems[0]!), check.stdout);
        const reindex = mcdewey(data, ['reindex']);
        assert.equal(reindex.status, 0, `${reindex.stdout}${reindex.stderr}`);
        check = mcdewey(data, ['check', '--json']);
      }
      assert.equal(check.status, 0, `${JSON.stringify(operations)}\n${check.stdout}${check.stderr}`);
      assert.deepEqual(JSON.parse(check.stdout), { ok: true, problems: [] });
      await assertLibraryConsistent(data);
      assert.deepEqual(snapshotTree(sandbox, ['data']), outside, 'nothing outside the data directory changed');
      assert.deepEqual(fs.readdirSync(REPO_ROOT).sort(), repoEntries, 'nothing appeared in the working directory');
    }),
    { numRuns: 6, endOnFailure: true, includeErrorInReport: true },
  );
});
