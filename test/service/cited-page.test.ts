import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { buildFixture, type Fixture } from '../support/library-fixture.js';

/**
 * A hit cites the page its best-matching text is on. In the FTDv AWS guide (latest), chunk 108 is a
 * paragraph that starts on PDF page 38 ("Because the AWS Load Balancer does not allow instance-type
 * targets…") and runs onto page 39 ("…both of these tasks. But in the case of maintenance or
 * troubleshooting, there could be a situation demanding manual effort").
 */
const DOC = 'ftdv-autoscale-aws::latest-2025-06::deploy-ftdv-auto-scale-for-aws::deploy-ftdv-auto-scale-for-aws';
const CHUNK = `${DOC}::108`;

let fixture: Fixture;
before(async () => {
  fixture = await buildFixture({ sources: ['pdf/cisco/ftdv-autoscale-aws/latest-2025-06'] });
});
after(async () => {
  await fixture.cleanup();
});

test('the chunk spans pages 38-39', () => {
  const { chunk } = fixture.library.chunk(CHUNK, { before: 0, after: 0 });
  assert.deepEqual([chunk.page, chunk.pageEnd], [38, 39]);
});

test('a hit whose matching text is on the chunk\'s second page cites that page, with the chunk\'s span', async () => {
  const { hits } = await fixture.library.search({ query: 'situation demanding manual effort in maintenance or troubleshooting', limit: 3 });
  const hit = hits.find((h) => h.chunkId === CHUNK);
  assert.ok(hit, hits.map((h) => h.chunkId).join(', '));
  assert.equal(hit.page, 39);
  assert.deepEqual([hit.chunkPage, hit.chunkPageEnd], [38, 39]);
});

test('a hit whose matching text is on the chunk\'s first page cites the first page', async () => {
  const { hits } = await fixture.library.search({ query: 'load balancer does not allow instance-type targets for instances with more than one network interface', limit: 3 });
  const hit = hits.find((h) => h.chunkId === CHUNK);
  assert.ok(hit, hits.map((h) => h.chunkId).join(', '));
  assert.equal(hit.page, 38);
});
