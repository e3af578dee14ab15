import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { loadConfig } from '../../src/config/config.js';
import { crawlSite } from '../../src/ingest/sources/web/crawler.js';
import { Library } from '../../src/service/library.js';
import { PgJobs } from '../../src/store/postgres/pg-jobs.js';
import { PgRecordStore } from '../../src/store/postgres/pg-record-store.js';
import { collect, FRR, LOCAL, resources } from '../ingest/sources/web/support/crawl-helpers.js';
import { serveFolder, startTestSite, type TestSite } from '../ingest/sources/web/support/test-site.js';
import { runCliAsync } from '../support/cli.js';
import { REPO_ROOT } from '../support/corpus.js';
import { postgresTestOptions, usePostgresCluster } from '../support/postgres.js';
import { startServeNode, TEST_TOKEN, type ServeNode } from '../support/serve-node.js';

/**
 * Site crawls as PostgreSQL jobs on `mcdewey serve` nodes, over the FRR manual served slowly on
 * 127.0.0.1: a crawl queued through one node's REST API shows its progress there (JSON and events);
 * that node SIGKILLed mid-crawl, another node resumes the job from its checkpoint once the lease has
 * run out, and the library ends with every page exactly once and `check` clean. Cancelling works
 * from any node, and the CLI's `add --site` and `relabel` against PostgreSQL run as such jobs too (a
 * CLI killed mid-crawl is resumed by a serve node).
 */
const pg = usePostgresCluster();
const LABELS = { vendor: 'FRRouting', product: 'frr', version: '8.4.4' };
const PAGE_DELAY_MS = 120;
/** Crawl options a node is given: the test site's address let through, one page at a time. */
const CRAWL = { ...LOCAL, concurrency: 1 };
const auth = { authorization: `Bearer ${TEST_TOKEN}` };

let site: TestSite;
/** Paths (under the mount) of every page an uninterrupted crawl hands out. */
let reference: string[];
const nodes: ServeNode[] = [];

before(async () => {
  const slow = serveFolder('/frr/', FRR);
  site = await startTestSite([
    serveFolder('/fast/', FRR),
    { path: slow.path, handler: async (req, res, url) => { await sleep(PAGE_DELAY_MS); return slow.handler(req, res, url); } },
  ]);
  reference = resources(await collect(crawlSite(site.url('/fast/'), LOCAL))).map((r) => new URL(r.url).pathname.slice('/fast/'.length)).sort();
});
after(async () => {
  for (const node of nodes) await node.kill9();
  await site?.close();
});

async function serve(store: string): Promise<ServeNode> {
  const node = await startServeNode({ data: pg.folder('mcdewey-node-'), store });
  nodes.push(node);
  return node;
}

interface JobJson { id: string; status: string; attempts: number; cancel_requested: boolean; progress: { items_done: number }; summary?: string; error?: string }

async function job(node: ServeNode, id: string): Promise<JobJson> {
  const response = await fetch(`${node.url}/api/jobs/${id}`, { headers: auth });
  assert.equal(response.status, 200, `GET /api/jobs/${id} on ${node.url}`);
  return (await response.json()) as JobJson;
}

async function until<T>(what: string, timeoutMs: number, check: () => Promise<T | undefined>): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`${what}: not within ${timeoutMs} ms`);
    await sleep(100);
  }
}

/** A fresh library over the store, caught up: the state every node converges to. */
async function reader(store: string): Promise<Library> {
  return Library.open(loadConfig({ data: pg.folder('mcdewey-reader-'), store, embedder: 'none' }, {}), 'read');
}

function pagePaths(library: Library, mount: string): string[] {
  return library.documents({ product: LABELS.product }).map((d) => (d.origin?.kind === 'url' ? new URL(d.origin.url).pathname.slice(mount.length) : d.sourcePath)).sort();
}

describe('site crawls as PostgreSQL jobs', postgresTestOptions(), () => {
  test('a node killed mid-crawl leaves the job to another node, which continues from the checkpoint: every page once, check clean', async () => {
    const store = pg.database('node_site_kill');
    const a = await serve(store);
    const posted = await fetch(`${a.url}/api/jobs`, {
      method: 'POST', headers: { ...auth, 'content-type': 'application/json' },
      body: JSON.stringify({ kind: 'add-site', url: site.url('/frr/'), labels: LABELS, crawl: CRAWL }),
    });
    assert.equal(posted.status, 202, await posted.clone().text());
    const { id } = (await posted.json()) as JobJson;

    // Progress shows on the node's event stream as on an embedded library's.
    const events = await fetch(`${a.url}/api/jobs/${id}/events`, { headers: auth });
    assert.match(events.headers.get('content-type') ?? '', /text\/event-stream/);
    const reading = events.body!.getReader();
    let text = '';
    while (!/event: (progress|item)/.test(text)) text += new TextDecoder().decode((await reading.read()).value);
    await reading.cancel();

    const record = await PgRecordStore.open(store);
    try {
      const jobs = new PgJobs(record.pool);
      await until('a checkpoint after several pages', 60_000, async () => {
        const stored = await jobs.get(id);
        const done = (stored?.progress as { items?: { done: number } }).items?.done ?? 0;
        return stored?.checkpoint !== undefined && done >= 8 ? true : undefined;
      });
      const startHits = () => site.hits.filter((h) => h.path === '/frr/').length;
      assert.equal(startHits(), 1);
      await a.kill9();
      assert.equal((await jobs.get(id))?.status, 'running', 'the job is still running under the dead node\'s lease');

      const b = await serve(store);
      const ended = await until('the job resumed and finished on the other node', 180_000, async () => {
        const state = await job(b, id);
        return state.status === 'queued' || state.status === 'running' ? undefined : state;
      });
      assert.equal(ended.status, 'done', ended.error);
      assert.ok(ended.attempts >= 2, 'the job was resumed');
      assert.equal(startHits(), 1, 'the resumed crawl continued from the checkpoint instead of starting over');
    } finally {
      await record.close();
    }

    const library = await reader(store);
    try {
      assert.deepEqual(pagePaths(library, '/frr/'), reference, 'every page of the site, each exactly once');
      assert.deepEqual(await library.check(), []);
      assert.ok((await library.search({ query: 'OSPF area border router' })).hits.length > 0);
    } finally {
      await library.close();
    }
  });

  test('a crawl queued on one node is cancelled through another', async () => {
    const store = pg.database('node_site_cancel');
    const a = await serve(store);
    const b = await serve(store);
    const posted = await fetch(`${a.url}/api/jobs`, {
      method: 'POST', headers: { ...auth, 'content-type': 'application/json' },
      body: JSON.stringify({ kind: 'add-site', url: site.url('/frr/'), labels: LABELS, crawl: CRAWL }),
    });
    const { id } = (await posted.json()) as JobJson;
    await until('the crawl under way', 60_000, async () => ((await job(b, id)).progress.items_done >= 2 ? true : undefined));
    const cancelled = await fetch(`${b.url}/api/jobs/${id}`, { method: 'DELETE', headers: auth });
    assert.equal(cancelled.status, 200);
    assert.equal(((await cancelled.json()) as JobJson).cancel_requested, true);
    const ended = await until('the crawl stopped', 60_000, async () => {
      const state = await job(a, id);
      return state.status === 'running' ? undefined : state;
    });
    assert.equal(ended.status, 'cancelled');
    const library = await reader(store);
    try {
      const kept = pagePaths(library, '/frr/');
      assert.ok(kept.length >= 2 && kept.length < reference.length, `${kept.length} pages kept of ${reference.length}`);
      assert.deepEqual(await library.check(), []);
    } finally {
      await library.close();
    }
  });

  test('the web UI\'s curation form queues a crawl on a node, and its jobs page shows it', async () => {
    const store = pg.database('node_site_form');
    const node = await serve(store);
    const form = new URLSearchParams({
      url: site.url('/fast/'), mode: 'site', vendor: LABELS.vendor, product: LABELS.product, version: LABELS.version, allow_private: 'on', rate: '0',
    });
    const posted = await fetch(`${node.url}/curate/web`, { method: 'POST', body: form, headers: auth, redirect: 'manual' });
    assert.equal(posted.status, 303, await posted.clone().text());
    const where = posted.headers.get('location')!;
    assert.match(where, /^\/jobs\/[a-z0-9]+$/);
    const id = where.slice('/jobs/'.length);
    const ended = await until('the crawl from the form', 120_000, async () => {
      const state = await job(node, id);
      return state.status === 'queued' || state.status === 'running' ? undefined : state;
    });
    assert.equal(ended.status, 'done', ended.error);
    const page = await fetch(`${node.url}${where}`, { headers: auth });
    assert.equal(page.status, 200);
    assert.match(await page.text(), new RegExp(`${site.url('/fast/ospfd.html').replaceAll('.', '\\.')}`));
  });

  test('a CLI killed mid-crawl leaves its job to a serve node, which continues from the checkpoint', async () => {
    const store = pg.database('node_site_cli_kill');
    const cli = spawn(process.execPath, [
      '--import', 'tsx', path.join(REPO_ROOT, 'src/cli/main.ts'), '--data', pg.folder('mcdewey-cli-'), '--store', store, '--embedder', 'none',
      'add', '--site', site.url('/frr/'), '--vendor', LABELS.vendor, '--product', LABELS.product, '--version', LABELS.version,
      '--allow-private-hosts', '127.0.0.1', '--rate', '0', '--concurrency', '1',
    ], { cwd: REPO_ROOT, stdio: 'ignore', env: { ...process.env, NO_COLOR: '1' } });
    const exited = new Promise<void>((resolve) => cli.once('exit', () => resolve()));
    const startHits = () => site.hits.filter((h) => h.path === '/frr/').length;
    const before = startHits();
    const record = await PgRecordStore.open(store);
    let id: string;
    try {
      const jobs = new PgJobs(record.pool);
      id = await until('the CLI\'s crawl checkpointed after several pages', 120_000, async () => {
        const [stored] = await jobs.list(1).catch(() => []);
        const done = (stored?.progress as { items?: { done: number } } | undefined)?.items?.done ?? 0;
        return stored?.checkpoint !== undefined && done >= 8 ? stored.id : undefined;
      });
      cli.kill('SIGKILL');
      await exited;
    } finally {
      await record.close();
    }
    const node = await serve(store);
    const ended = await until('the serve node resumed the CLI\'s job', 180_000, async () => {
      const state = await job(node, id);
      return state.status === 'queued' || state.status === 'running' ? undefined : state;
    });
    assert.equal(ended.status, 'done', ended.error);
    assert.ok(ended.attempts >= 2);
    assert.equal(startHits() - before, 1, 'the serve node continued from the checkpoint');
    const library = await reader(store);
    try {
      assert.deepEqual(pagePaths(library, '/frr/'), reference);
      assert.deepEqual(await library.check(), []);
    } finally {
      await library.close();
    }
  });

  test('the CLI crawls and re-labels a library in PostgreSQL as jobs, which every node lists', async () => {
    const store = pg.database('node_site_cli');
    const data = pg.folder('mcdewey-cli-');
    const add = await runCliAsync([
      '--data', data, '--store', store, '--embedder', 'none', 'add', '--site', site.url('/fast/'), '--vendor', LABELS.vendor, '--product', LABELS.product,
      '--version', LABELS.version, '--allow-private-hosts', '127.0.0.1', '--rate', '0', '--json',
    ]);
    assert.equal(add.status, 0, add.stderr);
    const added = JSON.parse(add.stdout) as { summary: { added: number }; jobs: { id: string; status: string }[] };
    assert.equal(added.summary.added, reference.length);
    const relabel = await runCliAsync(['--data', data, '--store', store, '--embedder', 'none', 'relabel', 'frr', '--new-vendor', 'FRR Project']);
    assert.equal(relabel.status, 0, relabel.stderr);

    const node = await serve(store);
    const listed = (await (await fetch(`${node.url}/api/jobs`, { headers: auth })).json()) as { jobs: { id: string; kind: string; status: string }[] };
    assert.deepEqual(listed.jobs.map((j) => [j.kind, j.status]), [['relabel', 'done'], ['add-site', 'done']]);
    assert.equal(listed.jobs[1]!.id, added.jobs[0]!.id);
    const library = await reader(store);
    try {
      assert.deepEqual(pagePaths(library, '/fast/'), reference);
      assert.ok(library.documents({ product: 'frr' }).every((d) => d.vendorLabel === 'FRR Project'));
      assert.deepEqual(await library.check(), []);
    } finally {
      await library.close();
    }
  });
});
