import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { REPO_ROOT } from '../support/corpus.js';
import { runCliAsync } from '../support/cli.js';
import { FRR } from '../ingest/sources/web/support/crawl-helpers.js';
import { redirect, respond, serveFolder, startTestSite, type TestSite } from '../ingest/sources/web/support/test-site.js';
import { SqliteStore } from '../../src/store/sqlite/sqlite-store.js';

/**
 * `mcdewey add` with URLs and sites, `mcdewey refresh` and `mcdewey jobs`, as a person runs them,
 * against a test site on 127.0.0.1: a site crawled into one collection, refusals that name the flag
 * to use, and a crawl killed with SIGKILL that `mcdewey jobs resume` finishes without fetching the
 * pages it already had again.
 */
const data = fs.mkdtempSync(path.join(os.tmpdir(), 'mcdewey-cli-web-'));
const cli = (...args: string[]) => runCliAsync(['--data', data, '--embedder', 'none', ...args]);
const LOCAL = ['--allow-private-hosts', '127.0.0.1'];
const LABELS = ['--vendor', 'FRRouting', '--product', 'frr', '--version', '8.4.4'];
let site: TestSite;

before(async () => {
  const slow = serveFolder('/slow/', FRR);
  site = await startTestSite([
    serveFolder('/frr/', FRR),
    { path: '/slow/*', handler: (req, res, url) => void setTimeout(() => slow.handler(req, res, url), 250) },
    { path: '/go/private.pdf', handler: redirect('http://10.255.255.1/manual.pdf') },
    { path: '/notes/a/guide.md', handler: respond(200, '# Guide\n\nThe first guide, about routing.\n', { 'content-type': 'text/markdown' }) },
    { path: '/notes/b/guide.md', handler: respond(200, '# Guide\n\nAnother guide, about switching.\n', { 'content-type': 'text/markdown' }) },
  ]);
});

after(async () => {
  await site?.close();
  fs.rmSync(data, { recursive: true, force: true });
});

test('add --site crawls the manual into one collection and a second run changes nothing', async () => {
  const added = await cli('add', '--site', site.url('/frr/'), ...LABELS, ...LOCAL, '--collection', 'user-guide');
  assert.equal(added.status, 0, added.stderr);
  assert.match(added.stdout, /^41 added, 0 updated, 0 unchanged, 0 failed\.$/m);
  assert.match(added.stdout, /^Site: 41 added; \d+ page request\(s\), \d+ skipped$/m);
  const list = JSON.parse((await cli('list', '--json')).stdout);
  const version = list.vendors[0].products[0].versions[0];
  assert.equal(version.documents.length, 41);
  assert.deepEqual([...new Set(version.documents.map((d: { collection: string }) => d.collection))], ['user-guide']);

  const refreshed = await cli('refresh', 'frr', '--json');
  assert.equal(refreshed.status, 0, refreshed.stderr);
  assert.deepEqual(JSON.parse(refreshed.stdout).summary, { added: 0, updated: 0, relabelled: 0, unchanged: 41, removed: 0, failed: 0 });

  const jobs = await cli('jobs');
  assert.match(jobs.stdout, /done\s+refresh\s/);
  assert.match(jobs.stdout, /done\s+add-site\s/);
});

test('refusals name the flag that resolves them', async () => {
  const local = await cli('add', site.url('/frr/bgp.html'), ...LABELS);
  assert.equal(local.status, 1);
  assert.match(local.stderr, /error: .*127\.0\.0\.1.*Pass --allow-private/);

  const redirected = await cli('add', site.url('/go/private.pdf'), ...LABELS, ...LOCAL);
  assert.equal(redirected.status, 1);
  assert.match(redirected.stderr, /error: .*\/go\/private\.pdf: 10\.255\.255\.1, a private address.*Pass --allow-private/);

  const unlabelled = await cli('add', '--site', 'https://docs.frrouting.org/en/latest/', '--vendor', 'FRRouting');
  assert.equal(unlabelled.status, 1);
  assert.match(unlabelled.stderr, /a site needs --product, --version.*--product "frrouting" --version "latest"/);

  const labels = ['--vendor', 'Acme', '--product', 'notes', '--version', '1'];
  assert.equal((await cli('add', site.url('/notes/a/guide.md'), ...labels, ...LOCAL)).status, 0);
  const taken = await cli('add', site.url('/notes/b/guide.md'), ...labels, ...LOCAL);
  assert.equal(taken.status, 1);
  assert.match(taken.stderr, /notes::1::guide::guide is already taken by another document \(from URL .*\/notes\/a\/guide\.md\); this one is URL .*\/notes\/b\/guide\.md\. Pass --replace/);
  const replaced = await cli('add', site.url('/notes/b/guide.md'), ...labels, ...LOCAL, '--replace');
  assert.equal(replaced.status, 0, replaced.stderr);
  assert.match(replaced.stdout, /0 added, 1 updated/);
});

test('a crawl killed with SIGKILL is resumed by `mcdewey jobs resume` from where it stopped', async () => {
  const firstHit = site.hits.length;
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(REPO_ROOT, 'src/cli/main.ts'), '--data', data, '--embedder', 'none',
    'add', '--site', site.url('/slow/'), '--vendor', 'FRRouting', '--product', 'frr', '--version', 'killed', ...LOCAL], { cwd: REPO_ROOT, stdio: 'ignore' });
  const exited = new Promise((resolve) => child.once('exit', resolve));
  // Watch its job from outside, as another process would, until a few pages are in.
  const store = new SqliteStore(path.join(data, 'index.sqlite'), { readonly: true });
  let jobId: string | undefined;
  try {
    for (let i = 0; i < 600; i++) {
      const job = store.jobs.list({ limit: 1, statuses: ['running'] })[0];
      if (job?.kind === 'add-site' && job.checkpoint !== undefined && store.jobs.items(job.id).length >= 5) {
        jobId = job.id;
        break;
      }
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  } finally {
    store.close();
  }
  assert.ok(jobId, 'the crawl got going');
  child.kill('SIGKILL');
  await exited;
  const handedOutBeforeKill = site.hits.length;

  const resumed = await cli('jobs', 'resume');
  assert.equal(resumed.status, 0, resumed.stderr);
  assert.match(resumed.stdout, new RegExp(`^${jobId}\\s+done\\s+add-site`, 'm'));
  const shown = JSON.parse((await cli('jobs', 'show', jobId!, '--json')).stdout);
  assert.equal(shown.attempts, 2);
  const list = JSON.parse((await cli('list', '--json')).stdout);
  const frr = list.vendors.find((v: { vendor: string }) => v.vendor === 'frrouting').products[0];
  const killed = frr.versions.find((v: { version: string }) => v.version === 'killed');
  assert.equal(killed.documents.length, 41, 'every page is in the library once');
  assert.equal((await cli('check')).status, 0, 'the index and the files agree');
  // The start page and the pages handed out before the kill were not fetched again.
  const again = site.hits.slice(handedOutBeforeKill).filter((h) => site.hits.slice(firstHit, handedOutBeforeKill).some((b) => b.path === h.path) && h.path.startsWith('/slow/'));
  assert.ok(!again.some((h) => h.path === '/slow/'), 'the start page was not fetched again');
  assert.ok(again.length <= 16, `${again.length} page(s) fetched ahead of the kill were fetched again: ${again.map((h) => h.path).join(', ')}`);
});
