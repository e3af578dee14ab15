import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { corpusPath } from '../support/corpus.js';
import { loadConfig } from '../../src/config/config.js';
import { Library } from '../../src/service/library.js';
import { assertLibraryConsistent, mcdewey, snapshotLibrary, type LibrarySnapshot } from './library-state.js';

/**
 * A damaged index (index.sqlite is derived; the Markdown files are the truth) is detected when a
 * command starts, with a message that names `mcdewey reindex`, and `mcdewey reindex` rebuilds it
 * from the files, starting over from a damaged file (kept aside as index.sqlite.damaged-<time>):
 *
 * - truncated to 0 bytes (SQLite would quietly treat it as a new, empty index) and deleted: "holds
 *   no documents, but the library folder has document files";
 * - truncated to half, its header scribbled over, pages in its middle scribbled over: "damaged";
 * - after each repair: `check` agrees, the same documents are indexed, and search finds them.
 */

const sandbox = fs.mkdtempSync(path.join(os.tmpdir(), 'mcdewey-damaged-'));
const pristine = path.join(sandbox, 'pristine');
let reference: LibrarySnapshot;

before(async () => {
  const added = mcdewey(pristine, [
    'add', corpusPath('pdf', 'paloalto', 'vm-series-aws-autoscaling-template'), '--vendor', 'Palo Alto', '--product', 'aws-template', '--version', '1',
  ]);
  assert.equal(added.status, 0, added.stderr);
  reference = await assertLibraryConsistent(pristine);
});
after(() => fs.rmSync(sandbox, { recursive: true, force: true }));

type Damage = (index: string) => void;

const DAMAGES: Record<string, { damage: Damage; message: RegExp; movedAside: boolean }> = {
  'truncated to 0 bytes': {
    damage: (index) => fs.truncateSync(index, 0),
    message: /holds no documents, but the library folder has document files .*Run `mcdewey reindex` to rebuild it from the Markdown files/,
    movedAside: false,
  },
  deleted: {
    damage: (index) => fs.rmSync(index),
    message: /holds no documents, but the library folder has document files .*Run `mcdewey reindex`/,
    movedAside: false,
  },
  'truncated to half': {
    damage: (index) => fs.truncateSync(index, Math.floor(fs.statSync(index).size / 2)),
    message: /the (database|index) is damaged \(database disk image is malformed\)\. Run `mcdewey reindex` to rebuild it from the Markdown files/,
    movedAside: true,
  },
  'header scribbled over': {
    damage: (index) => scribble(index, 0, 100),
    message: /the database is damaged \(file is not a database\)\. Run `mcdewey reindex` to rebuild it from the Markdown files/,
    movedAside: true,
  },
  'middle scribbled over': {
    damage: (index) => {
      const size = fs.statSync(index).size;
      scribble(index, Math.floor(size / 4 / 4096) * 4096, Math.floor(size / 2));
    },
    message: /the (database|index) is damaged \(database disk image is malformed\)\. Run `mcdewey reindex` to rebuild it from the Markdown files/,
    movedAside: true,
  },
};

function scribble(file: string, offset: number, length: number): void {
  const fd = fs.openSync(file, 'r+');
  try {
    const garbage = Buffer.alloc(length);
    for (let i = 0; i < length; i++) garbage[i] = (i * 151 + 7) & 0xff;
    fs.writeSync(fd, garbage, 0, length, offset);
  } finally {
    fs.closeSync(fd);
  }
}

// Each test has its own data directory, so they run side by side (the CLI spends most of its time starting up).
describe('a damaged index', { concurrency: true }, () => {
  for (const [name, { damage, message, movedAside }] of Object.entries(DAMAGES)) {
    test(`an index ${name}: detected with a message naming mcdewey reindex, which rebuilds it from the files`, async () => {
      const data = path.join(sandbox, name.replace(/\W+/g, '-'));
      fs.cpSync(pristine, data, { recursive: true });
      damage(path.join(data, 'index.sqlite'));

      // Detected at start-up (or, for damage deep inside the file, by the search or by `check`).
      const search = mcdewey(data, ['search', 'autoscaling template']);
      const detected = search.status !== 0 ? search.stderr : mcdewey(data, ['check']).stdout;
      assert.match(detected, message, detected);
      assert.deepEqual(snapshotLibrary(data, { index: false }).files, reference.files, 'the Markdown files are untouched');

      const reindex = mcdewey(data, ['reindex']);
      assert.equal(reindex.status, 0, reindex.stderr);
      const aside = fs.readdirSync(data).filter((file) => /^index\.sqlite\.damaged-\d{4}-\d\d-\d\dT[\d-]+Z$/.test(file));
      assert.equal(aside.length, movedAside ? 1 : 0, fs.readdirSync(data).join(', '));
      if (movedAside) assert.match(reindex.stdout, /^The index was damaged: moved it to .*index\.sqlite\.damaged-.* and rebuilt it from the Markdown files\.$/m);
      assert.match(reindex.stdout, new RegExp(`Re-indexed ${Object.keys(reference.documents).length} document\\(s\\)`));

      const repaired = await assertLibraryConsistent(data);
      assert.deepEqual(Object.keys(repaired.documents).sort(), Object.keys(reference.documents).sort());
      const library = await Library.open(loadConfig({ data, embedder: 'none' }, {}), 'read');
      try {
        const { hits } = await library.search({ query: 'autoscaling template', versions: 'all' });
        assert.ok(hits.length > 0);
      } finally {
        await library.close();
      }
    });
  }
});
