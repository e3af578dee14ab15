import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, test } from 'node:test';
import { tmpfsMounts } from '../support/tmpfs.js';
import { corpusPath } from '../support/corpus.js';
import { loadConfig } from '../../src/config/config.js';
import { Library } from '../../src/service/library.js';
import { assertLibraryConsistent, mcdewey, snapshotLibrary } from './library-state.js';

/**
 * The data directory on a read-only file system and on a full disk, with real tmpfs mounts (tests
 * run as root, where chmod stops no write). Without permission to mount (not root, no
 * CAP_SYS_ADMIN, a locked-down container) both tests are skipped with the reason.
 *
 * - read-only (mount -o remount,ro): search, list, show and check work (the index is read from an
 *   in-memory copy, since SQLite's WAL mode cannot open it in place); add, remove and reindex
 *   fail at once with a message that the data directory cannot be written; nothing changes.
 * - full disk (an 8 MB tmpfs filled up): an add that runs out of space while writing the index,
 *   and one that cannot even stage its file, fail with "the disk holding the data directory is
 *   full"; the library is exactly as before, `check` agrees and the earlier documents are still
 *   found — even with 0 bytes free; once space is freed the same add succeeds.
 */

const sandbox = fs.mkdtempSync(path.join(os.tmpdir(), 'mcdewey-disk-'));
const { mount, cannotMount } = tmpfsMounts(sandbox);

const SMALL = corpusPath('pdf', 'paloalto', 'vm-series-azure-autoscaling', '1.1', 'azure-auto-scale-template-1.1-release-notes.pdf');
const BIG = corpusPath('pdf', 'cisco', 'ftdv-autoscale-aws', 'latest-2025-06', 'deploy-ftdv-auto-scale-for-aws.pdf');
const labels = (product: string) => ['--vendor', 'Vendor', '--product', product, '--version', '1'];

// Each test has its own data directory, so they run side by side (the CLI spends most of its time starting up).
describe('a data directory that cannot take writes', { concurrency: true }, () => {
  test('a read-only data directory: searching works, writing fails clearly, nothing changes', { skip: cannotMount }, async () => {
    const point = path.join(sandbox, 'ro');
    assert.equal(mount(point, 'size=64m'), undefined);
    const data = path.join(point, 'data');
    assert.equal(mcdewey(data, ['add', SMALL, ...labels('azure')]).status, 0);
    const before = await assertLibraryConsistent(data);
    const remount = spawnSync('mount', ['-o', 'remount,ro', point], { encoding: 'utf8' });
    assert.equal(remount.status, 0, remount.stderr);
    try {
      const search = mcdewey(data, ['search', 'azure auto scale', '--json']);
      assert.equal(search.status, 0, search.stderr);
      const hits = (JSON.parse(search.stdout) as { hits: { chunk_id: string }[] }).hits;
      assert.ok(hits.length > 0);
      assert.equal(mcdewey(data, ['show', hits[0]!.chunk_id]).status, 0);
      assert.equal(mcdewey(data, ['list']).status, 0);
      assert.deepEqual(await assertLibraryConsistent(data, { via: 'cli' }), before);
      const cannotWrite = /cannot open the index .*index\.sqlite: the data directory .* cannot be written \(read-only file system\)\. Adding, removing and re-indexing need write access/;
      const refused = mcdewey(data, ['add', BIG, ...labels('ftdv')]);
      assert.equal(refused.status, 1);
      assert.match(refused.stderr, new RegExp(`^error: ${cannotWrite.source}`, 'm'));
      for (const mode of ['write', 'reindex'] as const) {
        await assert.rejects(Library.open(loadConfig({ data, embedder: 'none' }, {}), mode), cannotWrite);
      }
    } finally {
      spawnSync('mount', ['-o', 'remount,rw', point]);
    }
    assert.deepEqual(snapshotLibrary(data), before);
  });

  test('a full disk: add fails saying so, the library is unchanged and still searchable, and succeeds once space is freed', { skip: cannotMount }, async () => {
    const point = path.join(sandbox, 'full');
    assert.equal(mount(point, 'size=8m'), undefined);
    const data = path.join(point, 'data');
    assert.equal(mcdewey(data, ['add', SMALL, ...labels('azure')]).status, 0);
    const before = await assertLibraryConsistent(data);
    const filler = path.join(point, 'filler');
    const fill = (leaveKb: number) => {
      fs.rmSync(filler, { force: true });
      const { bavail, bsize } = fs.statfsSync(point);
      fs.writeFileSync(filler, Buffer.alloc(Math.max(0, bavail * bsize - leaveKb * 1024)));
    };
    const searchable = async (via: 'cli' | 'service') => {
      if (via === 'cli') {
        const search = mcdewey(data, ['search', 'azure auto scale', '--json']);
        assert.equal(search.status, 0, search.stderr);
        assert.ok((JSON.parse(search.stdout) as { hits: unknown[] }).hits.length > 0, 'the earlier document is still found');
        return;
      }
      const library = await Library.open(loadConfig({ data, embedder: 'none' }, {}), 'read');
      try {
        assert.ok((await library.search({ query: 'azure auto scale' })).hits.length > 0, 'the earlier document is still found');
      } finally {
        await library.close();
      }
    };

    // 300 KB free: the Markdown file is staged, then the index runs out of room.  40 KB: staging fails.
    for (const leaveKb of [300, 40]) {
      fill(leaveKb);
      const add = mcdewey(data, ['add', BIG, ...labels('ftdv')]);
      assert.equal(add.status, 1, `${leaveKb} KB free: ${add.stderr}`);
      assert.match(add.stderr, /failed {5}.*deploy-ftdv-auto-scale-for-aws\.pdf: the disk holding the data directory is full \((database or disk is full|ENOSPC: no space left on device, write)\)\. Free some space and run the command again/);
      assert.deepEqual(await assertLibraryConsistent(data), before, `${leaveKb} KB free: the library is exactly as before`);
      await searchable('service');
    }
    // Not a byte free: reading still works from an in-memory copy; writing says the disk is full.
    fill(0);
    await searchable('cli');
    const refused = mcdewey(data, ['add', BIG, ...labels('ftdv')]);
    assert.equal(refused.status, 1);
    assert.match(refused.stderr, /the disk holding the data directory is full/);
    assert.deepEqual(snapshotLibrary(data, { index: false }).files, before.files);

    fs.rmSync(filler);
    const added = mcdewey(data, ['add', BIG, ...labels('ftdv')]);
    assert.equal(added.status, 0, added.stderr);
    assert.equal(Object.keys((await assertLibraryConsistent(data)).documents).length, 2);
  });
});
