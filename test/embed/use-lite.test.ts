import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { UseLiteEmbedder } from '../../src/embed/use-lite.js';
import { cosine, maxAbsDifference, norm } from './vectors.js';

const embedder = new UseLiteEmbedder();
before(() => embedder.init());
after(() => embedder.close());

const SENTENCE =
  'Configure the firewall policy so that inbound traffic from the management network is allowed on port 443. ';

function passage(seed: number, length = 1500): string {
  return `Passage ${seed}. ${SENTENCE.repeat(Math.ceil(length / SENTENCE.length))}`.slice(0, length);
}

test('produces 512-dimensional unit vectors', async () => {
  const [vector] = await embedder.embedDocuments(['How do I reset my password?']);
  assert.equal(embedder.name, 'use-lite');
  assert.equal(embedder.dimensions, 512);
  assert.equal(vector!.length, 512);
  assert.ok(Math.abs(norm(vector!) - 1) < 1e-5);
});

test('is deterministic', async () => {
  const first = await embedder.embedQuery('Steps to change a forgotten password');
  const second = await embedder.embedQuery('Steps to change a forgotten password');
  assert.ok(maxAbsDifference(first, second) < 1e-6);
});

test('places related texts closer than unrelated ones', async () => {
  const [question, answer, unrelated] = await embedder.embedDocuments([
    'How do I reset my password?',
    'Steps to change a forgotten password',
    'The firewall scales out on AWS',
  ]);
  assert.ok(cosine(question!, answer!) > cosine(question!, unrelated!));
});

test('a batch larger than batchSize returns every vector in input order', async () => {
  const texts = Array.from({ length: 70 }, (_, i) => `Document number ${i} about topic ${i % 7}`);
  const batched = await embedder.embedDocuments(texts);
  assert.equal(batched.length, 70);
  for (const i of [0, 31, 32, 33, 64, 69]) {
    const single = await embedder.embedQuery(texts[i]!);
    assert.ok(maxAbsDifference(batched[i]!, single) < 1e-4, `vector ${i} differs from the one embedded alone`);
  }
});

test('empty texts keep their place in the batch', async () => {
  const vectors = await embedder.embedDocuments(['alpha', '', 'beta', '']);
  assert.equal(vectors.length, 4);
  assert.equal((await embedder.embedDocuments([''])).length, 1);
});

test('the model ignores text beyond its 128-token window, so long inputs are truncated', async () => {
  const shared = passage(1, 1500);
  const [a, b] = await embedder.embedDocuments([`${shared} The cluster runs on Kubernetes.`, `${shared} Bananas are yellow.`]);
  assert.ok(maxAbsDifference(a!, b!) < 1e-5);
  const [long, truncated] = await embedder.embedDocuments([passage(2, 20_000), passage(2, 1500)]);
  assert.ok(maxAbsDifference(long!, truncated!) < 1e-6);
});

// Run inline, each 32-text batch would block the loop for its whole duration (about a second here), so the
// thresholds are relative to the elapsed time: they still hold on a machine slowed down by other work.
test('the event loop stays responsive while a large batch is embedded', async () => {
  const intervalMs = 10;
  let ticks = 0;
  let longestGap = 0;
  let last = performance.now();
  const timer = setInterval(() => {
    const now = performance.now();
    longestGap = Math.max(longestGap, now - last);
    last = now;
    ticks++;
  }, intervalMs);
  const started = performance.now();
  try {
    await embedder.embedDocuments(Array.from({ length: 2 * embedder.batchSize }, (_, i) => passage(i)));
  } finally {
    clearInterval(timer);
  }
  const elapsed = performance.now() - started;
  assert.ok(elapsed > 500, `the batch should take a while to be meaningful (took ${elapsed.toFixed(0)} ms)`);
  assert.ok(ticks >= (elapsed / intervalMs) * 0.25, `only ${ticks} ticks in ${elapsed.toFixed(0)} ms`);
  assert.ok(longestGap < elapsed / 4, `the event loop stalled for ${longestGap.toFixed(0)} of ${elapsed.toFixed(0)} ms`);
});

test('close() rejects pending requests and a later call starts a fresh worker', async () => {
  const other = new UseLiteEmbedder();
  await other.init();
  const pending = other.embedDocuments(Array.from({ length: 64 }, (_, i) => passage(i)));
  const rejected = assert.rejects(pending, /use-lite worker was closed/);
  await other.close();
  await rejected;
  const vector = await other.embedQuery('still works after a restart');
  assert.equal(vector.length, 512);
  await other.close();
  await other.close();
});
