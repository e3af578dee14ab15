import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { loadConfig } from '../../src/config/config.js';
import { Library } from '../../src/service/library.js';
import { NodeJobRunner } from '../../src/service/scale-out/job-runner.js';
import { PgJobs } from '../../src/store/postgres/pg-jobs.js';
import { PgRecordStore } from '../../src/store/postgres/pg-record-store.js';
import { corpusPath } from '../support/corpus.js';
import { runCliAsync } from '../support/cli.js';
import { postgresTestOptions, startTestPostgres, type TestPostgres } from '../support/postgres.js';
import { startServeNode, TEST_TOKEN, type ServeNode } from '../support/serve-node.js';

/**
 * Three `mcdewey serve` processes over one PostgreSQL library, as behind a load balancer: writes
 * through one node reach the others within two seconds, every node (and an embedded library built
 * from the same files) answers a query with the same hits, a node killed in the middle of a job
 * leaves it to another, and a PostgreSQL restart under load crashes nothing.
 */
const LABELS = { vendor: 'NetBox Labs', product: 'netbox', version: '4.1' };
const QUERIES = ['circuit termination', 'provider account', 'circuit group assignment', 'commit rate', 'provider network'];

let cluster: TestPostgres | undefined;
let store = '';
const nodes: ServeNode[] = [];
const temp: string[] = [];

function folder(prefix: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  temp.push(dir);
  return dir;
}

/** NetBox's Markdown pages with distinct file names (a file's name names its document). */
function netboxFiles(count: number, skip = 0): string[] {
  const seen = new Set<string>();
  const files: string[] = [];
  const walk = (dir: string) => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (entry.name.endsWith('.md') && entry.name !== 'index.md' && !seen.has(entry.name)) {
        seen.add(entry.name);
        files.push(full);
      }
    }
  };
  walk(corpusPath('markdown', 'netbox-docs', 'docs', 'models'));
  return files.slice(skip, skip + count);
}

async function upload(node: ServeNode, file: string): Promise<Response> {
  const form = new FormData();
  form.set('file', new File([fs.readFileSync(file)], path.basename(file)));
  for (const [key, value] of Object.entries(LABELS)) form.set(key, value);
  return fetch(`${node.url}/api/documents`, { method: 'POST', body: form, headers: { authorization: `Bearer ${TEST_TOKEN}` } });
}

interface Hit { chunk_id: string; score: number }

async function hits(node: ServeNode, query: string): Promise<Hit[]> {
  const response = await fetch(`${node.url}/api/search?q=${encodeURIComponent(query)}&limit=10`);
  assert.equal(response.status, 200, `search on ${node.url}`);
  return ((await response.json()) as { hits: Hit[] }).hits.map((h) => ({ chunk_id: h.chunk_id, score: h.score }));
}

async function until(what: string, timeoutMs: number, check: () => Promise<boolean>): Promise<number> {
  const started = performance.now();
  for (;;) {
    if (await check()) return performance.now() - started;
    if (performance.now() - started > timeoutMs) throw new Error(`${what}: not within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

const options = postgresTestOptions();

before(async () => {
  if (options.skip) return;
  cluster = await startTestPostgres();
  store = cluster.createDatabase('three_nodes');
  // The first node creates the schema; the other two start against it together.
  nodes.push(await startServeNode({ data: folder('mcdewey-node-a-'), store }));
  nodes.push(...(await Promise.all([startServeNode({ data: folder('mcdewey-node-b-'), store }), startServeNode({ data: folder('mcdewey-node-c-'), store })])));
});

after(async () => {
  await Promise.all(nodes.map((n) => n.stop()));
  cluster?.stop();
  for (const dir of temp) fs.rmSync(dir, { recursive: true, force: true });
});

describe('three serve nodes over one PostgreSQL library', options, () => {
  test('a document added through one node is searchable on the other two within 2 s', async () => {
    const [a, b, c] = nodes as [ServeNode, ServeNode, ServeNode];
    const [file] = netboxFiles(1);
    const response = await upload(a, file!);
    const body = (await response.json()) as { doc_id: string };
    assert.equal(response.status, 201, JSON.stringify(body));
    const docId = body.doc_id;
    for (const node of [b, c]) {
      // Searchable, not only listed: a node's replica shows the document a moment before its search
      // indexes (followed from the replica's change log by the index thread) do.
      const ms = await until(`${docId} searchable on ${node.url}`, 2_000, async () =>
        (await fetch(`${node.url}/api/documents/${encodeURIComponent(docId)}`)).status === 200 && (await hits(node, 'circuit')).some((h) => h.chunk_id.startsWith(`${docId}::`)));
      assert.ok(ms < 2_000);
    }
  });

  test('the same query gives the same hits on every node and on an embedded library built from the same files', async () => {
    const files = netboxFiles(8);
    for (const file of files.slice(1)) assert.ok([200, 201].includes((await upload(nodes[1]!, file)).status));
    for (const node of nodes) await until(`ready ${node.url}`, 5_000, async () => (await fetch(`${node.url}/api/ready`)).status === 200);
    const embedded = await Library.open(loadConfig({ data: folder('mcdewey-embedded-'), embedder: 'none' }, {}), 'write');
    try {
      await embedded.add(files.flatMap((file) => embedded.plan([file], LABELS).map((source) => ({ ...source, originalFile: path.basename(file) }))));
      for (const query of QUERIES) {
        const expected = (await embedded.search({ query, limit: 10 })).hits.map((h) => ({ chunk_id: h.chunkId, score: Math.round(h.score * 1e4) / 1e4 }));
        assert.ok(expected.length > 0, query);
        for (const node of nodes) assert.deepEqual(await hits(node, query), expected, `${query} on ${node.url}`);
      }
    } finally {
      await embedded.close();
    }
  });

  test('kill -9 of the node running an ingestion job: another node finishes it and check agrees', async () => {
    const record = await PgRecordStore.open(store);
    const jobs = new PgJobs(record.pool);
    try {
      const files = netboxFiles(40, 8);
      const job = await NodeJobRunner.submit(jobs, files.map((f) => ({ name: path.basename(f), bytes: fs.readFileSync(f) })), LABELS);
      let runner: ServeNode | undefined;
      await until('a node takes the job and adds a file', 60_000, async () => {
        const state = await jobs.get(job.id);
        runner = nodes.find((n) => state?.owner?.includes(`:${n.pid}:`));
        return runner !== undefined && (await jobs.items(job.id)).length >= 2;
      });
      await runner!.kill9();
      const doneAt = (await jobs.items(job.id)).length;
      assert.ok(doneAt < files.length, 'killed before the job ended');
      await until('another node finishes the job', 90_000, async () => (await jobs.get(job.id))?.status === 'done');
      const finished = (await jobs.get(job.id))!;
      assert.equal(finished.attempts, 2);
      assert.ok(!finished.owner);
      const items = await jobs.items(job.id);
      assert.deepEqual(items.map((i) => i.item).sort(), files.map((f, i) => `${i}:${path.basename(f)}`).sort(), 'every file recorded once');
      assert.deepEqual(items.filter((i) => i.status === 'failed'), []);
      const ids = new Set((await record.documents()).map((d) => d.docId));
      for (const item of items) assert.ok(ids.has(item.docId!), `${item.item} is in the library`);
      const check = await runCliAsync(['--data', folder('mcdewey-check-'), '--store', store, 'check', '--json']);
      assert.equal(check.status, 0, check.stdout + check.stderr);
      assert.deepEqual(JSON.parse(check.stdout), { ok: true, problems: [] });
      nodes.splice(nodes.indexOf(runner!), 1);
    } finally {
      await record.close();
    }
  });

  test('PostgreSQL restarted under load: searches keep being answered, nodes reconnect and catch up', async () => {
    const live = [...nodes];
    let stop = false;
    let answered = 0;
    const failures: string[] = [];
    const load = Promise.all(live.map(async (node) => {
      while (!stop) {
        try {
          const response = await fetch(`${node.url}/api/search?q=webhook`);
          if (response.status === 200) answered++;
          else failures.push(`${node.url}: ${response.status}`);
        } catch (error) {
          failures.push(`${node.url}: ${(error as Error).message}`);
        }
      }
    }));
    cluster!.stopImmediately();
    await until('a node reports it cannot reach the store', 10_000, async () => (await fetch(`${live[0]!.url}/api/ready`)).status === 503);
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    cluster!.start();
    for (const node of live) await until(`${node.url} ready again`, 20_000, async () => (await fetch(`${node.url}/api/ready`)).status === 200);
    stop = true;
    await load;
    assert.deepEqual(failures, [], 'searches are answered from the replica while PostgreSQL is down');
    assert.ok(answered > 0);
    for (const node of live) assert.equal(node.child.exitCode, null, `${node.url} still runs`);

    const [file] = netboxFiles(1, 60);
    assert.equal((await upload(live[0]!, file!)).status, 201);
    const other = live[1]!;
    await until('the write after the restart reaches the other node', 2_000, async () => {
      const body = (await (await fetch(`${other.url}/api/health`)).json()) as { documents: number };
      return body.documents === (await (await fetch(`${live[0]!.url}/api/health`)).json() as { documents: number }).documents;
    });
  });
});
