import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { HostLimiter } from '../../../../src/ingest/sources/web/host-limiter.js';
import { backoffMs, isRetryableNetworkCode, isRetryableStatus, retryAfterMs } from '../../../../src/ingest/sources/web/retry-policy.js';

const options = { retries: 3, retryBaseDelayMs: 500, retryMaxDelayMs: 4000, maxRetryAfterMs: 60_000 };

describe('retry policy', () => {
  it('retries transient statuses and network errors only', () => {
    for (const status of [408, 429, 500, 502, 503, 504]) assert.ok(isRetryableStatus(status), String(status));
    for (const status of [400, 401, 403, 404, 410, 501]) assert.ok(!isRetryableStatus(status), String(status));
    assert.ok(isRetryableNetworkCode('ECONNRESET'));
    assert.ok(isRetryableNetworkCode('ECONNREFUSED'));
    assert.ok(!isRetryableNetworkCode('ENOTFOUND'));
  });

  it('reads Retry-After as seconds or as an HTTP date', () => {
    const now = Date.parse('2025-01-01T00:00:00Z');
    assert.equal(retryAfterMs('120', now), 120_000);
    assert.equal(retryAfterMs('Wed, 01 Jan 2025 00:00:30 GMT', now), 30_000);
    assert.equal(retryAfterMs('Tue, 31 Dec 2024 00:00:00 GMT', now), 0, 'a date in the past means now');
    assert.equal(retryAfterMs('soon', now), undefined);
    assert.equal(retryAfterMs(undefined, now), undefined);
  });

  it('backs off exponentially up to the cap, half fixed and half random', () => {
    assert.equal(backoffMs(0, options, () => 0), 250);
    assert.equal(backoffMs(0, options, () => 1), 500);
    assert.equal(backoffMs(2, options, () => 0), 1000);
    assert.equal(backoffMs(2, options, () => 1), 2000);
    assert.equal(backoffMs(10, options, () => 1), 4000, 'capped');
    const spread = new Set(Array.from({ length: 20 }, () => backoffMs(1, options)));
    assert.ok(spread.size > 1, 'jitter spreads parallel retries');
  });
});

describe('HostLimiter', () => {
  it('spaces request starts per host, slows down for Crawl-delay, and pauses a host on request', async () => {
    const limiter = new HostLimiter(20);
    const started = performance.now();
    const times: number[] = [];
    await Promise.all([0, 1, 2].map(async () => {
      await limiter.acquire('a.example');
      times.push(performance.now() - started);
    }));
    assert.ok(times[2]! >= 90, `third start after ${Math.round(times[2]!)} ms at 20/s`);
    const other = performance.now();
    await limiter.acquire('b.example');
    assert.ok(performance.now() - other < 30, 'other hosts are not held up');
    limiter.setMinimumInterval('c.example', 150);
    await limiter.acquire('c.example');
    const slow = performance.now();
    await limiter.acquire('c.example');
    assert.ok(performance.now() - slow >= 140);
    limiter.pauseUntil('d.example', Date.now() + 120);
    const paused = performance.now();
    await limiter.acquire('d.example');
    assert.ok(performance.now() - paused >= 100);
  });

  it('by default paces public hosts only: a private address the caller allowed is not slowed down', async () => {
    const limiter = new HostLimiter(undefined, 10);
    const started = performance.now();
    for (let i = 0; i < 5; i++) await limiter.acquire('mirror.internal', undefined, false);
    assert.ok(performance.now() - started < 50, 'five private starts without waiting');
    const publicStart = performance.now();
    for (let i = 0; i < 3; i++) await limiter.acquire('docs.example', undefined, true);
    assert.ok(performance.now() - publicStart >= 190, 'a public host at 10/s');
    const explicit = new HostLimiter(20, 10);
    const explicitStart = performance.now();
    for (let i = 0; i < 3; i++) await explicit.acquire('mirror.internal', undefined, false);
    assert.ok(performance.now() - explicitStart >= 90, 'an explicit rate applies to private hosts too');
  });

  it('can be cancelled while waiting', async () => {
    const limiter = new HostLimiter(1);
    await limiter.acquire('a.example');
    const controller = new AbortController();
    const waiting = limiter.acquire('a.example', controller.signal);
    controller.abort();
    await assert.rejects(waiting, /abort/i);
  });
});
