import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { Ajv2020 } from 'ajv/dist/2020.js';
import type { RunningServer } from '../../src/server/serve.js';
import { buildFixture, type Fixture } from '../support/library-fixture.js';
import { FRR, LOCAL } from '../ingest/sources/web/support/crawl-helpers.js';
import { serveFolder, startTestSite, type TestSite } from '../ingest/sources/web/support/test-site.js';
import { authorized, call, startApiServer } from './api-server.js';

/**
 * The REST jobs API over the real server and its job thread, crawling the FRR manual from a local
 * test site: authentication (a browser session may read jobs, never start them), a site job
 * followed as server-sent events, cancel, a job that survives a server restart and resumes where
 * it stopped, uploads of several files, refused requests, and answers that match the OpenAPI
 * document.
 */
const LABELS = { vendor: 'FRRouting', product: 'frr', version: '8.4.4' };
/** Each page of the slow copy of the manual takes this long to answer, so jobs can be caught mid-way. */
const SLOW_MS = 150;

let fixture: Fixture;
let server: RunningServer;
let site: TestSite;
let ajv: Ajv2020;

before(async () => {
  fixture = await buildFixture({ sources: ['pdf/paloalto/vm-series-azure-autoscaling/1.1'] });
  server = await startApiServer(fixture);
  const frr = serveFolder('/frr/', FRR);
  const slow = serveFolder('/slow/', FRR);
  site = await startTestSite([frr, { path: '/slow/*', handler: (req, res, url) => void setTimeout(() => slow.handler(req, res, url), SLOW_MS) }]);
  const document = (await call(server, '/api/openapi.json')).body;
  ajv = new Ajv2020({ strict: false, allErrors: true });
  ajv.addSchema({ $id: 'openapi.json', components: document.components });
});

after(async () => {
  await server?.close();
  await site?.close();
  await fixture?.cleanup();
});

function conforms(schema: 'Job' | 'JobList' | 'JobItem' | 'ErrorResponse', value: unknown): void {
  const validate = ajv.getSchema(`openapi.json#/components/schemas/${schema}`)!;
  assert.ok(validate(value), `${schema}: ${ajv.errorsText(validate.errors)} in ${JSON.stringify(value).slice(0, 300)}`);
}

const json = (body: unknown) => ({ method: 'POST', headers: { ...authorized(), 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
const siteJob = (path: string, crawl: Record<string, unknown> = {}, labels: Record<string, string> = LABELS) =>
  json({ kind: 'add-site', url: site.url(path), labels, crawl: { ...LOCAL, ...crawl } });

async function until<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 60_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

const getJob = async (id: string, s = server) => (await call(s, `/api/jobs/${id}`, { headers: authorized() })).body;
const ended = (id: string, s = server) => until(`job ${id} to end`, async () => {
  const job = await getJob(id, s);
  return ['done', 'failed', 'cancelled'].includes(job.status) ? job : undefined;
});

interface ServerEvent { event: string; data: any }

/** Reads a server-sent event stream to its end. */
async function readEvents(url: string, headers: Record<string, string>): Promise<{ status: number; type: string; events: ServerEvent[] }> {
  const response = await fetch(url, { headers });
  const type = response.headers.get('Content-Type') ?? '';
  const text = await response.text();
  const events = text.split('\n\n').flatMap((block) => {
    const event = /^event: (.+)$/m.exec(block)?.[1];
    const data = /^data: (.+)$/m.exec(block)?.[1];
    return event && data ? [{ event, data: JSON.parse(data) }] : [];
  });
  return { status: response.status, type, events };
}

describe('access', () => {
  test('jobs need the token; a browser session may read them and follow their events, but not start or cancel one', async () => {
    assert.equal((await call(server, '/api/jobs')).status, 401);
    const list = await call(server, '/api/jobs', { headers: authorized() });
    assert.equal(list.status, 200);
    conforms('JobList', list.body);
    const { value } = server.ctx.sessions!.issue();
    const cookie = { Cookie: `mcdewey_session=${value}` };
    assert.equal((await call(server, '/api/jobs', { headers: cookie })).status, 200);
    assert.equal((await call(server, '/api/jobs', { headers: { Cookie: `mcdewey_session=${value}x` } })).status, 401, 'a forged session is refused');
    const started = await call(server, '/api/jobs', { method: 'POST', headers: { ...cookie, 'Content-Type': 'application/json' }, body: JSON.stringify({ kind: 'reindex' }) });
    assert.equal(started.status, 401, 'a cookie alone never writes through the API');
  });
});

describe('a site job', () => {
  test('202 with the queued job, then progress, one item per page and the end as server-sent events', async () => {
    const include = ['/slow/', '/slow/{bgp,zebra,ospfd,bfd,pbr}.html'];
    const created = await call(server, '/api/jobs', siteJob('/slow/', { include }));
    assert.equal(created.status, 202, JSON.stringify(created.body));
    conforms('Job', created.body);
    assert.equal(created.body.kind, 'add-site');
    const { status, type, events } = await readEvents(`${server.url}/api/jobs/${created.body.id}/events`, authorized());
    assert.equal(status, 200);
    assert.match(type, /^text\/event-stream/);
    const progress = events.filter((e) => e.event === 'progress');
    const items = events.filter((e) => e.event === 'item');
    const end = events.filter((e) => e.event === 'end');
    assert.ok(progress.length >= 1, 'progress while it runs');
    assert.equal(end.length, 1, 'one end event');
    assert.equal(events[events.length - 1]!.event, 'end', 'the stream closes after it');
    assert.equal(end[0]!.data.status, 'done', JSON.stringify(end[0]!.data));
    conforms('Job', end[0]!.data);
    for (const item of items) conforms('JobItem', item.data);
    assert.deepEqual(items.map((i) => i.data.status), ['added', 'added', 'added', 'added', 'added', 'added']);
    assert.equal(end[0]!.data.progress.items_done, 6);
    assert.equal(end[0]!.data.progress.outcomes.added, 6);
    assert.ok(progress.some((p) => p.data.progress.items_done < 6), 'progress was reported before the end');
    assert.equal((await call(server, '/api/documents?product=frr')).body.documents.length, 6);
    const again = await call(server, `/api/jobs/${created.body.id}`, { method: 'DELETE', headers: authorized() });
    assert.equal(again.status, 409, 'an ended job cannot be cancelled');
    conforms('ErrorResponse', again.body);
  });

  test('cancel stops a running crawl after its current page; what it added stays', async () => {
    const created = await call(server, '/api/jobs', siteJob('/slow/', {}, { ...LABELS, version: 'cancel' }));
    await until('two pages', async () => ((await getJob(created.body.id)).progress.items_done >= 2 ? true : undefined));
    const cancelled = await call(server, `/api/jobs/${created.body.id}`, { method: 'DELETE', headers: authorized() });
    assert.equal(cancelled.status, 200);
    conforms('Job', cancelled.body);
    assert.equal(cancelled.body.cancel_requested, true);
    const job = await ended(created.body.id);
    assert.equal(job.status, 'cancelled', JSON.stringify(job));
    assert.ok(job.progress.items_done < 41, `stopped early (${job.progress.items_done} items)`);
    const kept = (await call(server, '/api/documents?product=frr&version=cancel')).body.documents.length;
    assert.equal(kept, job.items.filter((i: { status: string }) => i.status === 'added').length, 'the pages added before the cancel stay');
  });

  test('a job survives a server restart and continues where it stopped', async () => {
    const firstHit = site.hits.length;
    const created = await call(server, '/api/jobs', siteJob('/slow/', {}, { ...LABELS, version: 'restart' }));
    const id = created.body.id as string;
    await until('a few pages', async () => ((await getJob(id)).progress.items_done >= 4 ? true : undefined));
    const hitsBefore = site.hitsUnder('/slow/').length;
    await server.close();
    const stopped = fixture.library.jobTable().get(id)!;
    assert.equal(stopped.status, 'queued', 'a stopping server gives its job back to the queue');
    const hitsAtStop = site.hitsUnder('/slow/').length;
    assert.ok(hitsAtStop - hitsBefore <= 8, 'the crawl stopped with the server');

    server = await startApiServer(fixture);
    const job = await ended(id);
    assert.equal(job.status, 'done', JSON.stringify(job));
    assert.equal(job.attempts, 2, 'run twice: before and after the restart');
    const docs = (await call(server, '/api/documents?product=frr&version=restart')).body.documents;
    assert.equal(docs.length, 41, 'every page is in the library');
    // Pages handed out before the restart are not fetched again; only those fetched ahead and not yet
    // handed out at the stop (the crawler keeps at most four times its concurrency of 4) are.
    const perPage = new Map<string, number>();
    for (const hit of site.hits.slice(firstHit).filter((h) => h.path.startsWith('/slow/') && (h.path.endsWith('.html') || h.path === '/slow/'))) {
      perPage.set(hit.path, (perPage.get(hit.path) ?? 0) + 1);
    }
    assert.ok(perPage.size >= 41, 'every page was asked for');
    const twice = [...perPage.entries()].filter(([, n]) => n > 1).map(([page]) => page);
    assert.ok(twice.length <= 16, `fetched again after the restart: ${twice.join(', ')}`);
    assert.ok(twice.length < perPage.size / 2, 'most pages were fetched once');
    assert.ok(!twice.includes('/slow/'), 'the start page is not fetched again');
  });
});

describe('uploads and refused requests', () => {
  test('several files in one job, over multipart; wait=1 answers once it has ended', async () => {
    const form = new FormData();
    form.append('file', new File(['# Alpha\n\nThe alpha widget has a reset button.\n'], 'alpha.md'));
    form.append('file', new File(['# Beta\n\nThe beta widget has two reset buttons.\n'], 'beta.md'));
    for (const [k, v] of Object.entries({ vendor: 'Acme', product: 'widgets', version: '3' })) form.set(k, v);
    const answer = await call(server, '/api/jobs?wait=1', { method: 'POST', headers: authorized(), body: form });
    assert.equal(answer.status, 200, JSON.stringify(answer.body));
    conforms('Job', answer.body);
    assert.equal(answer.body.status, 'done');
    assert.deepEqual(answer.body.request.files, ['alpha.md', 'beta.md']);
    assert.deepEqual(answer.body.items.map((i: { doc_id: string }) => i.doc_id), ['widgets::3::alpha::alpha', 'widgets::3::beta::beta']);
  });

  test('a bad request is refused before any job exists, naming what is wrong', async () => {
    const cases: [RequestInit, number, RegExp][] = [
      [json({ kind: 'add-paths', paths: ['/etc'] }), 400, /kind/],
      [json({ kind: 'add-site', url: 'https://docs.frrouting.org/en/latest/', labels: { vendor: 'FRRouting' } }), 400, /--product "frrouting" --version "latest"/],
      [json({ kind: 'add-site', url: site.url('/frr/'), labels: LABELS, crawl: { maxPagez: 3 } }), 400, /maxPagez/],
      [json({ kind: 'add-url', url: 'ftp://example.com/x.pdf', labels: LABELS }), 400, /http/],
      [{ method: 'POST', headers: { ...authorized(), 'Content-Type': 'text/plain' }, body: 'reindex' }, 415, /application\/json or multipart\/form-data/],
      [{ method: 'POST', headers: { ...authorized(), 'Content-Type': 'application/json' }, body: '{"kind":' }, 400, /not valid JSON/],
    ];
    const before = (await call(server, '/api/jobs?limit=200', { headers: authorized() })).body.jobs.length;
    for (const [init, status, message] of cases) {
      const answer = await call(server, '/api/jobs', init);
      assert.equal(answer.status, status, JSON.stringify(answer.body));
      conforms('ErrorResponse', answer.body);
      assert.match(answer.body.error.message + (answer.body.error.hint ?? ''), message);
    }
    assert.equal((await call(server, '/api/jobs?limit=200', { headers: authorized() })).body.jobs.length, before);
    assert.equal((await call(server, '/api/jobs/nope', { headers: authorized() })).status, 404);
  });
});
