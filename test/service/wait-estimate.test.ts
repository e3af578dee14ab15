import assert from 'node:assert/strict';
import test from 'node:test';
import { WaitEstimate } from '../../src/service/search-pool/wait-estimate.js';

test('until the pool has been full a while, the wait is the median search time over the lanes, per search ahead', () => {
  const estimate = new WaitEstimate();
  assert.equal(estimate.waitMs(3, 4), 0, 'nothing finished yet');
  for (const ms of [10, 12, 14]) estimate.finished(0, ms, 0);
  assert.equal(estimate.waitMs(2, 4), (2 * 12) / 4);
});

test('once the pool has been full, the pace between its finishes gives the wait, whatever the searches took', () => {
  const estimate = new WaitEstimate();
  // Searches of 10 ms finishing every 25 ms while others wait: the machine, not the search, sets the pace.
  for (let i = 0; i <= 8; i++) estimate.finished(i * 25, 10, 5);
  assert.equal(estimate.waitMs(4, 4), 4 * 25);
  // A finish with nobody waiting ends the run of full-pool finishes but keeps the gaps seen.
  estimate.finished(1_000, 10, 0);
  assert.equal(estimate.waitMs(4, 4), 4 * 25);
});
