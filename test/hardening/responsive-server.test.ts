import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { hugeMarkdown, writeHugeDocument } from '../support/huge-document.js';
import { startServe, type ServeProcess } from '../support/serve-process.js';

/**
 * The thread that answers requests never does a write's work (issue 9: a 30 MB upload blocked the
 * event loop for 17 s, and every search waited). A real `mcdewey serve` ingests a large Markdown
 * upload as a job while the test asks /api/health and searches, one request after another, until
 * the job has ended; every answer must come back far sooner than a loop blocked by the ingestion
 * would give it. The bound is generous (a busy CI machine delays a request by some hundreds of ms),
 * the failure it catches is seconds long: conversion, chunking, indexing and the index update
 * each take seconds for this upload.
 */
const MB = 1024 * 1024;
const UPLOAD_CHARS = 12 * MB;
/** The slowest answer allowed while the upload is ingested. */
const BOUND_MS = 1500;
const TOKEN = 'responsive-server-token-0123456789';

const sandbox = fs.mkdtempSync(path.join(os.tmpdir(), 'mcdewey-responsive-'));
let server: ServeProcess | undefined;
let url: string;

before(async () => {
  const data = path.join(sandbox, 'data');
  // Something to search from the start, in the words the upload is written in.
  await writeHugeDocument(data, 'seed', [{ number: 1, markdown: hugeMarkdown(MB, 40) }]);
  server = await startServe(data, { args: ['--embedder', 'none'], env: { MCDEWEY_TOKEN: TOKEN } });
  url = server.url;
});

after(() => {
  server?.child.kill('SIGKILL');
  fs.rmSync(sandbox, { recursive: true, force: true });
});

/** One request's status and how long it took, in ms. */
async function timed(route: string, init: RequestInit = {}): Promise<{ ms: number; status: number; body: unknown }> {
  const started = performance.now();
  const response = await fetch(`${url}${route}`, init);
  const body = await response.json();
  return { ms: performance.now() - started, status: response.status, body };
}

test('while a 12 MB upload is ingested, health checks and searches keep being answered promptly', { timeout: 300_000 }, async () => {
  const form = new FormData();
  form.set('file', new File([hugeMarkdown(UPLOAD_CHARS, 40)], 'big-manual.md', { type: 'text/markdown' }));
  for (const [name, value] of Object.entries({ vendor: 'Test', product: 'uploads', version: '1' })) form.set(name, value);
  // wait=1: answered once the job has ended and this server's searches see what it added.
  let answer: Awaited<ReturnType<typeof timed>> | undefined;
  const upload = timed('/api/jobs?wait=1', { method: 'POST', headers: { authorization: `Bearer ${TOKEN}` }, body: form }).then((a) => (answer = a));

  const slowest = { health: 0, search: 0 };
  let probes = 0;
  const started = performance.now();
  while (!answer) {
    const health = await timed('/api/health');
    assert.equal(health.status, 200, JSON.stringify(health.body));
    const search = await timed('/api/search?q=router%20license%20tunnel&limit=5&mode=lexical');
    assert.equal(search.status, 200, JSON.stringify(search.body));
    slowest.health = Math.max(slowest.health, health.ms);
    slowest.search = Math.max(slowest.search, search.ms);
    probes++;
  }
  await upload;
  const seconds = (performance.now() - started) / 1000;
  console.log(`upload answered after ${seconds.toFixed(1)} s, ${probes} probes meanwhile; slowest health ${slowest.health.toFixed(0)} ms, slowest search ${slowest.search.toFixed(0)} ms`);
  const job = answer.body as { status: string; items?: { status: string }[] };
  assert.equal(answer.status, 200, JSON.stringify(job));
  assert.equal(job.status, 'done', JSON.stringify(job));
  assert.deepEqual(job.items?.map((item) => item.status), ['added']);
  assert.ok(probes >= 5, `the probes ran while the upload was ingested (${probes} in ${seconds.toFixed(1)} s)`);
  assert.ok(slowest.health < BOUND_MS, `a health check waited ${slowest.health.toFixed(0)} ms while the upload was ingested`);
  assert.ok(slowest.search < BOUND_MS, `a search waited ${slowest.search.toFixed(0)} ms while the upload was ingested`);
  // Read your writes: the answer came once searches see the upload.
  const found = await timed('/api/search?q=router&product=uploads&limit=1&mode=lexical');
  assert.equal((found.body as { hits: unknown[] }).hits.length, 1, JSON.stringify(found.body));
});
