import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { SqliteStore } from '../../src/store/sqlite/sqlite-store.js';
import { abandoned } from '../../src/service/jobs/job-runner.js';
import type { StoredJob } from '../../src/store/store.js';

/**
 * The jobs table: one runner takes a job, another cannot take it while its owner lives, a dead
 * owner's job is taken over, progress from an owner that lost its job is refused, cancel stops a
 * queued job at once and flags a running one, and a released job goes back to the queue. Two
 * connections stand for two processes.
 */
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mcdewey-jobs-'));
const file = path.join(dir, 'index.sqlite');
const a = new SqliteStore(file);
const b = new SqliteStore(file);
after(() => {
  a.close();
  b.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

const host = os.hostname();
const deadPid = (() => {
  const child = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' });
  return Number(child.stdout);
})();

test('a job is taken by one runner at a time, and taken over once its owner is gone', () => {
  a.jobs.create({ id: 'job000000001', kind: 'reindex', request: { kind: 'reindex' }, progress: {} });
  const mine = `${host}:${process.pid}:aaaa`;
  const other = `${host}:${process.pid}:bbbb`;
  const claimed = a.jobs.claim(mine, abandoned);
  assert.equal(claimed?.id, 'job000000001');
  assert.equal(claimed?.status, 'running');
  assert.equal(claimed?.attempts, 1);
  assert.equal(b.jobs.claim(other, abandoned), undefined, 'a live owner keeps its job');
  assert.deepEqual(a.jobs.heartbeat('job000000001', mine, { progress: { items: 1 } }), { cancelRequested: false });
  assert.equal(b.jobs.heartbeat('job000000001', other), undefined, 'another runner cannot report on it');

  const dead = `${host}:${deadPid}:cccc`;
  a.jobs.create({ id: 'job000000002', kind: 'reindex', request: { kind: 'reindex' }, progress: {}, owner: dead });
  const takenOver = b.jobs.claim(other, abandoned);
  assert.equal(takenOver?.id, 'job000000002', 'a job whose process died is resumed');
  assert.equal(takenOver?.attempts, 2);
  assert.equal(a.jobs.heartbeat('job000000002', dead), undefined, 'the old owner has lost it');
});

test('cancel ends a queued job at once and flags a running one; release queues it again', () => {
  a.jobs.create({ id: 'job000000003', kind: 'reindex', request: { kind: 'reindex' }, progress: {} });
  assert.equal(a.jobs.requestCancel('job000000003')?.status, 'cancelled');
  const owner = `${host}:${process.pid}:dddd`;
  a.jobs.create({ id: 'job000000004', kind: 'reindex', request: { kind: 'reindex' }, progress: {}, owner });
  assert.equal(a.jobs.requestCancel('job000000004')?.status, 'running');
  assert.deepEqual(a.jobs.heartbeat('job000000004', owner), { cancelRequested: true });
  a.jobs.release('job000000004', owner);
  assert.equal(a.jobs.get('job000000004')?.status, 'queued');
  a.jobs.addItem('job000000004', { item: 'x', status: 'added', warnings: [] });
  a.jobs.addItem('job000000004', { item: 'y', status: 'failed', message: 'why', warnings: ['w'] });
  assert.deepEqual(a.jobs.items('job000000004').map((i) => [i.seq, i.item, i.status]), [[1, 'x', 'added'], [2, 'y', 'failed']]);
});

test('a job silent for longer than a minute counts as abandoned whatever its owner looks like', () => {
  const job = { owner: `elsewhere.example:1:eeee`, heartbeatAt: Date.now() } as StoredJob;
  assert.equal(abandoned(job), false, 'another host, recently alive');
  assert.equal(abandoned({ ...job, heartbeatAt: Date.now() - 61_000 }), true);
  assert.equal(abandoned({ ...job, owner: undefined } as unknown as StoredJob), true);
});

test('job bookkeeping does not move the change token that search caches follow', () => {
  const before = a.changeToken();
  a.jobs.create({ id: 'job000000005', kind: 'reindex', request: { kind: 'reindex' }, progress: {} });
  a.jobs.requestCancel('job000000005');
  a.sources.save({ kind: 'site', location: 'https://docs.example.com/', settings: { labels: {}, crawl: {} } });
  assert.equal(a.changeToken(), before);
  assert.equal(b.changeToken(), before);
});
