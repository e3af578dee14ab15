import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, describe, mock, test } from 'node:test';
import { dataDirAt } from '../../src/library/data-dir.js';
import { clearStaleStaging } from '../../src/library/staging.js';
import { assertLibraryConsistent, mcdewey, snapshotTree } from './library-state.js';

/**
 * McDewey deletes only what it created and can prove it created. Every command settles the
 * staging folder `<data>/tmp` at start; these tests point it at folders that are not McDewey's
 * (a home folder with a `tmp/`, a `tmp` that is a symbolic link) and fill a real library's
 * staging folder with user files, links, old and recent staged entries and a killed upload's
 * folder, then check exactly what is gone.
 */

const sandbox = fs.mkdtempSync(path.join(os.tmpdir(), 'mcdewey-ownership-'));
after(() => fs.rmSync(sandbox, { recursive: true, force: true }));

const TWO_HOURS_AGO = new Date(Date.now() - 2 * 3_600_000);
const age = (file: string) => fs.utimesSync(file, TWO_HOURS_AGO, TWO_HOURS_AGO);
const staged = (kind: 'write' | 'upload' | 'remove', suffix = '') => `mcdewey-${kind}-${randomUUID()}${suffix}`;
const markdown = (dir: string) => {
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, 'guide.md'), '# Guide\n\nWidgets are configured in the widget console.\n');
  return path.join(dir, 'guide.md');
};
const labels = ['--vendor', 'Acme', '--product', 'widget', '--version', '1.0'];

describe('the data directory', { concurrency: true }, () => {
  test('a folder with other content and no marker (a home folder with tmp/) is refused, and nothing in it is touched', () => {
    const home = path.join(sandbox, 'home');
    fs.mkdirSync(path.join(home, 'tmp'), { recursive: true });
    fs.mkdirSync(path.join(home, 'projects', 'site'), { recursive: true });
    fs.writeFileSync(path.join(home, 'tmp', 'draft-letter.txt'), 'precious');
    fs.writeFileSync(path.join(home, 'tmp', `${randomUUID()}.md`), 'a user file that happens to look like an old staging name');
    fs.writeFileSync(path.join(home, 'projects', 'site', 'index.html'), '<h1>site</h1>');
    for (const file of fs.readdirSync(path.join(home, 'tmp'))) age(path.join(home, 'tmp', file));
    const before = snapshotTree(home);
    for (const command of [['list'], ['search', 'widget'], ['add', markdown(path.join(sandbox, 'home-src')), ...labels]]) {
      const result = mcdewey(home, command);
      assert.equal(result.status, 1, `${command[0]}: ${result.stderr}`);
      assert.match(result.stderr, /is not a McDewey data directory: it has no \.mcdewey marker and holds "projects", "tmp"/);
      assert.match(result.stderr, /Choose an empty or new folder with --data/);
    }
    assert.deepEqual(snapshotTree(home), before, 'nothing in the folder changed');
  });

  test('a new or empty folder is initialised with a marker holding a format version and a random library id', () => {
    const fresh = path.join(sandbox, 'fresh', 'data');
    const empty = path.join(sandbox, 'empty');
    fs.mkdirSync(empty);
    const ids = [fresh, empty].map((data) => {
      assert.equal(mcdewey(data, ['list']).status, 0);
      const marker = JSON.parse(fs.readFileSync(path.join(data, '.mcdewey'), 'utf8')) as { format: number; libraryId: string };
      assert.equal(marker.format, 1);
      assert.match(marker.libraryId, /^[0-9a-f-]{36}$/);
      return marker.libraryId;
    });
    assert.notEqual(ids[0], ids[1]);
    // A second start keeps the marker as it is.
    const text = fs.readFileSync(path.join(empty, '.mcdewey'), 'utf8');
    assert.equal(mcdewey(empty, ['list']).status, 0);
    assert.equal(fs.readFileSync(path.join(empty, '.mcdewey'), 'utf8'), text);
  });

  test('a library from before the marker (index.sqlite and library/, no marker) is adopted, and the CLI says so', async () => {
    const data = path.join(sandbox, 'old-library');
    assert.equal(mcdewey(data, ['add', markdown(path.join(sandbox, 'old-src')), ...labels]).status, 0);
    fs.rmSync(path.join(data, '.mcdewey'));
    const adopted = mcdewey(data, ['list']);
    assert.equal(adopted.status, 0, adopted.stderr);
    assert.match(adopted.stderr, /^note: adopted .*old-library as a McDewey library \(it was made before libraries carried a \.mcdewey marker; the marker is now written\)$/m);
    assert.match(adopted.stdout, /1 documents/);
    assert.ok(fs.existsSync(path.join(data, '.mcdewey')));
    assert.doesNotMatch(mcdewey(data, ['list']).stderr, /adopted/, 'said once');
    await assertLibraryConsistent(data);
  });

  test('a marker from a newer McDewey, or one that is not a file, is refused', () => {
    const newer = path.join(sandbox, 'newer');
    fs.mkdirSync(newer);
    fs.writeFileSync(path.join(newer, '.mcdewey'), JSON.stringify({ format: 99, libraryId: randomUUID(), createdAt: '2030-01-01' }));
    const refused = mcdewey(newer, ['list']);
    assert.equal(refused.status, 1);
    assert.match(refused.stderr, /\.mcdewey has format 99, but this McDewey knows format 1\. The library was made by a newer McDewey/);
  });

  test('in a library: only old entries with names McDewey generates go; user files, links, recent entries and journals stay', () => {
    const data = path.join(sandbox, 'library');
    assert.equal(mcdewey(data, ['add', markdown(path.join(sandbox, 'lib-src')), ...labels]).status, 0);
    const tmp = path.join(data, 'tmp');
    const outside = path.join(sandbox, 'outside');
    fs.mkdirSync(outside);
    fs.writeFileSync(path.join(outside, 'keep.txt'), 'outside the data directory');
    age(path.join(outside, 'keep.txt'));

    const oldStaged = staged('write', '.md');
    const oldBackup = staged('remove', '.bak');
    const legacy = `${randomUUID()}.md`; // the name versions before the prefix gave staged files
    const killedUpload = staged('upload');
    const recent = staged('write', '.md');
    const linkName = staged('upload');
    fs.mkdirSync(path.join(tmp, killedUpload, 'nested'), { recursive: true });
    fs.writeFileSync(path.join(tmp, killedUpload, 'big-manual.pdf'), Buffer.alloc(1024 * 1024));
    fs.symlinkSync(outside, path.join(tmp, killedUpload, 'nested', 'escape'));
    for (const name of [oldStaged, oldBackup, legacy, recent, 'notes.txt']) fs.writeFileSync(path.join(tmp, name), 'x');
    fs.symlinkSync(outside, path.join(tmp, linkName));
    for (const name of [oldStaged, oldBackup, legacy, 'notes.txt', killedUpload, path.join(killedUpload, 'big-manual.pdf'), path.join(killedUpload, 'nested')]) {
      age(path.join(tmp, name));
    }
    const outsideBefore = snapshotTree(outside);

    const listed = mcdewey(data, ['list']);
    assert.equal(listed.status, 0, listed.stderr);
    assert.deepEqual(fs.readdirSync(tmp).sort(), [linkName, 'notes.txt', recent].sort());
    assert.deepEqual(snapshotTree(outside), outsideBefore, 'nothing reached through a link changed');
  });

  test('a staging folder that is a symbolic link is never followed: cleanup leaves it, writes are refused', () => {
    const data = path.join(sandbox, 'linked-tmp');
    assert.equal(mcdewey(data, ['list']).status, 0);
    const elsewhere = path.join(sandbox, 'elsewhere');
    fs.mkdirSync(elsewhere);
    for (const name of [staged('write', '.md'), staged('upload'), 'photo.jpg']) {
      fs.writeFileSync(path.join(elsewhere, name), 'x');
      age(path.join(elsewhere, name));
    }
    fs.symlinkSync(elsewhere, path.join(data, 'tmp'));
    const before = snapshotTree(elsewhere);
    assert.equal(mcdewey(data, ['list']).status, 0);
    const add = mcdewey(data, ['add', markdown(path.join(sandbox, 'linked-src')), ...labels]);
    assert.equal(add.status, 1);
    assert.match(add.stderr, /the staging folder .*linked-tmp\/tmp is a symbolic link; McDewey stages its writes only in a real folder inside the data directory\. Remove it/);
    assert.deepEqual(snapshotTree(elsewhere), before);
  });
});

test('an entry that cannot be removed does not stop the cleanup of the others', () => {
  const data = path.join(sandbox, 'stubborn');
  const dir = dataDirAt(data);
  fs.mkdirSync(dir.tmpDir, { recursive: true });
  const names = [staged('write', '.md'), staged('write', '.bak'), staged('remove', '.bak')];
  for (const name of names) {
    fs.writeFileSync(path.join(dir.tmpDir, name), 'x');
    age(path.join(dir.tmpDir, name));
  }
  const stubborn = names.slice().sort()[0]!; // readdir order is not sorted everywhere; pick one by name
  const unlink = fs.unlinkSync;
  mock.method(fs, 'unlinkSync', (file: fs.PathLike) => {
    if (String(file).endsWith(stubborn)) throw Object.assign(new Error(`EBUSY: resource busy or locked, unlink '${String(file)}'`), { code: 'EBUSY' });
    return unlink(file);
  });
  try {
    const result = clearStaleStaging(dir);
    assert.deepEqual(result.failed.map((f) => f.name), [stubborn]);
    assert.equal(result.removed.length, 2);
    assert.deepEqual(fs.readdirSync(dir.tmpDir), [stubborn]);
  } finally {
    mock.restoreAll();
  }
});

test('the files of a journalled write or removal are left to crash recovery, however old: a backup may be the only copy', () => {
  const data = path.join(sandbox, 'journalled');
  const dir = dataDirAt(data);
  fs.mkdirSync(dir.tmpDir, { recursive: true });
  const id = staged('remove');
  const orphan = staged('write', '.bak');
  for (const name of [`${id}.journal`, `${id}.bak`, orphan]) {
    fs.writeFileSync(path.join(dir.tmpDir, name), 'x');
    age(path.join(dir.tmpDir, name));
  }
  assert.deepEqual(clearStaleStaging(dir).removed, [orphan]);
  assert.deepEqual(fs.readdirSync(dir.tmpDir).sort(), [`${id}.bak`, `${id}.journal`]);
});
