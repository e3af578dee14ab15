import assert from 'node:assert/strict';
import { test } from 'node:test';
import { WaitEstimate } from '../../../src/service/search-pool/wait-estimate.js';

/** Searches finished `gapMs` apart while others waited, each `serviceMs` in its worker. */
function fullPool(finishes: number, gapMs: number, serviceMs: number): WaitEstimate {
  const estimate = new WaitEstimate();
  for (let i = 0; i < finishes; i++) estimate.finished(1_000 + i * gapMs, serviceMs, 10);
  return estimate;
}

test('before the pool has been full a while, the wait is the median search time over the lanes', () => {
  const estimate = fullPool(4, 10, 12);
  assert.equal(estimate.waitMs(64, 4), 192);
  assert.equal(new WaitEstimate().waitMs(64, 4), 0, 'nothing finished yet');
});

test("a full pool's wait follows its pace, not its search times: the main thread's and other processes' delays count", () => {
  // 12 ms searches on four lanes would finish one every 3 ms; this pool finished one every 12 ms.
  const estimate = fullPool(20, 12, 12);
  assert.equal(estimate.waitMs(64, 4), 768);
});

test('finishes with nobody waiting are no pace: the gap across an idle spell does not count', () => {
  const estimate = fullPool(20, 12, 12);
  estimate.finished(10_000, 12, 0);
  estimate.finished(60_000, 12, 3); // the first full finish after the spell: no gap yet
  assert.equal(estimate.waitMs(64, 4), 768);
});

test('a search whose answer was no longer wanted counts for the pace but not the search times', () => {
  const estimate = new WaitEstimate();
  estimate.finished(0, 40, 0);
  estimate.finished(5, undefined, 0);
  assert.equal(estimate.waitMs(1, 1), 40);
});
