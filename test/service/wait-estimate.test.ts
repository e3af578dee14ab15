import assert from 'node:assert/strict';
import test from 'node:test';
import { overran, OVERRUN_ALLOWANCE, promisable, WaitEstimate } from '../../src/service/search-pool/wait-estimate.js';

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

test('a search is let in while its expected wait is within the limit, and refused when its turn comes only if it waited over twice that', () => {
  assert.equal(promisable(300, 300), true);
  assert.equal(promisable(301, 300), false);
  assert.equal(promisable(10_000, 0), true, 'no limit: only the queue bounds waiting');
  // Just past the limit (a burst made the estimate run short): its search is milliseconds from done, it runs.
  assert.equal(overran(350, 300), false);
  assert.equal(overran(300 * OVERRUN_ALLOWANCE + 1, 300), true);
  assert.equal(overran(10_000, 0), false);
});
