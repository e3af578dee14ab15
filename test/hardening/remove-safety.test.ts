import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, mock, test } from 'node:test';
import { loadConfig } from '../../src/config/config.js';
import { Library } from '../../src/service/library.js';
import { SqliteStore } from '../../src/store/sqlite/sqlite-store.js';
import { REPO_ROOT } from '../support/corpus.js';
import { assertLibraryConsistent, mcdewey, snapshotLibrary } from './library-state.js';

/**
 * Removing documents: a document name that exists in several collections is refused as
 * ambiguous instead of removing all of them; a removal that fails half-way (the file cannot be
 * moved, the index commit fails, the process is killed between the two) leaves the file and the
 * index agreeing, so `reindex` never resurrects a removed document nor loses a kept one; and the
 * CLI lists what it will remove and asks first.
 */

const sandbox = fs.mkdtempSync(path.join(os.tmpdir(), 'mcdewey-remove-'));
after(() => fs.rmSync(sandbox, { recursive: true, force: true }));

const ADMIN = 'widget::1.0::admin::guide';
const USER = 'widget::1.0::user::guide';
const NOTES = 'widget::1.0::notes::notes';

/** A library with the same document name in two collections, and one more document. */
async function buildLibrary(name: string): Promise<string> {
  const data = path.join(sandbox, name);
  const sources = path.join(sandbox, `${name}-sources`);
  fs.mkdirSync(sources, { recursive: true });
  fs.writeFileSync(path.join(sources, 'guide.md'), '# Guide\n\nWidgets are configured in the widget console.\n');
  fs.writeFileSync(path.join(sources, 'notes.md'), '# Notes\n\nRelease notes for the widget.\n');
  const library = await Library.open(loadConfig({ data, embedder: 'none' }, {}), 'write');
  try {
    const flags = { vendor: 'Acme', product: 'widget', version: '1.0' };
    const sourcesFor = (file: string, collection: string) => library.plan([path.join(sources, file)], { ...flags, collection });
    const results = await library.add([...sourcesFor('guide.md', 'admin'), ...sourcesFor('guide.md', 'user'), ...sourcesFor('notes.md', 'notes')]);
    assert.deepEqual(results.map((r) => r.docId), [ADMIN, USER, NOTES]);
  } finally {
    await library.close();
  }
  return data;
}

async function withLibrary<T>(data: string, work: (library: Library) => Promise<T>): Promise<T> {
  const library = await Library.open(loadConfig({ data, embedder: 'none' }, {}), 'write');
  try {
    return await work(library);
  } finally {
    await library.close();
  }
}

const indexed = (data: string) => Object.keys(snapshotLibrary(data).documents).sort();
const fileOf = (data: string, docId: string) => path.join(data, 'library', `${docId.split('::').join('/')}.md`);

describe('the service', () => {
  test('a document name in several collections is refused as ambiguous, listing them; naming the collection removes only that one', async () => {
    const data = await buildLibrary('ambiguous');
    await withLibrary(data, async (library) => {
      await assert.rejects(
        library.remove({ product: 'widget', version: '1.0', document: 'guide' }),
        /"guide" names 2 documents in different collections: widget::1\.0::admin::guide, widget::1\.0::user::guide\. Name the collection too/,
      );
      assert.deepEqual(indexed(data), [ADMIN, NOTES, USER]);
      const removed = await library.remove({ product: 'widget', version: '1.0', collection: 'user', document: 'guide' });
      assert.deepEqual(removed.map((d) => d.docId), [USER]);
    });
    assert.deepEqual(indexed(data), [ADMIN, NOTES]);
    await assertLibraryConsistent(data);
  });

  test('a file that cannot be moved or deleted leaves the document whole (file and index), and the error says so', async () => {
    const data = await buildLibrary('stuck-file');
    const stuck = fileOf(data, USER);
    // What a read-only folder or a busy file does to every way of taking the file away.
    const refuse = (original: (...args: never[]) => unknown) => (...args: never[]) => {
      if (String(args[0]) === stuck) throw Object.assign(new Error(`EACCES: permission denied, '${stuck}'`), { code: 'EACCES' });
      return original(...args);
    };
    await withLibrary(data, async (library) => {
      for (const name of ['renameSync', 'rmSync', 'unlinkSync'] as const) mock.method(fs, name, refuse(fs[name] as never));
      try {
        await assert.rejects(library.remove({ product: 'widget', version: '1.0', collection: 'user' }), /could not remove widget\/1\.0\/user\/guide\.md: EACCES.*unchanged \(file and index\)/s);
      } finally {
        mock.restoreAll();
      }
      assert.deepEqual(library.verify(), []);
    });
    assert.deepEqual(indexed(data), [ADMIN, NOTES, USER]);
    assert.ok(fs.existsSync(stuck));
    await assertLibraryConsistent(data);
  });

  test('an index commit that fails puts the file back', async () => {
    const data = await buildLibrary('failed-commit');
    const before = snapshotLibrary(data);
    await withLibrary(data, async (library) => {
      mock.method(SqliteStore.prototype, 'removeDocument', () => {
        throw Object.assign(new Error('database or disk is full'), { code: 'SQLITE_FULL' });
      });
      try {
        await assert.rejects(library.remove({ product: 'widget', version: '1.0', collection: 'admin' }), /could not remove widget\/1\.0\/admin\/guide\.md: the disk holding the data directory is full/);
      } finally {
        mock.restoreAll();
      }
    });
    assert.deepEqual(snapshotLibrary(data), before);
    assert.deepEqual(fs.readdirSync(path.join(data, 'tmp')), [], 'nothing left in the staging folder');
    await assertLibraryConsistent(data);
  });

  for (const point of ['before-commit', 'after-commit'] as const) {
    test(`kill -9 ${point.replace('-', ' ')} is settled at the next start: ${point === 'before-commit' ? 'the file is put back' : 'the moved file goes'}`, async () => {
      const data = await buildLibrary(`crash-${point}`);
      const child = spawnSync(process.execPath, ['--import', 'tsx', path.join(REPO_ROOT, 'test', 'hardening', 'crash-during-remove.ts'), data, USER, point], { cwd: REPO_ROOT, encoding: 'utf8' });
      assert.equal(child.signal, 'SIGKILL', child.stderr);
      assert.ok(fs.readdirSync(path.join(data, 'tmp')).some((name) => name.endsWith('.journal')), 'the crash left its journal');
      await assertLibraryConsistent(data); // opening settles it
      assert.deepEqual(indexed(data), point === 'before-commit' ? [ADMIN, NOTES, USER] : [ADMIN, NOTES]);
      assert.equal(fs.existsSync(fileOf(data, USER)), point === 'before-commit');
      assert.deepEqual(fs.readdirSync(path.join(data, 'tmp')), []);
      // Re-indexing agrees with what the removal settled on: nothing comes back, nothing is lost.
      assert.equal(mcdewey(data, ['reindex']).status, 0);
      assert.deepEqual(indexed(data), point === 'before-commit' ? [ADMIN, NOTES, USER] : [ADMIN, NOTES]);
    });
  }
});

describe('the CLI', () => {
  let data: string;
  before(async () => {
    data = await buildLibrary('cli');
  });

  test('without a terminal and without --yes it lists what would go and refuses, removing nothing', () => {
    const refused = mcdewey(data, ['remove', 'widget', '1.0']);
    assert.equal(refused.status, 1);
    assert.match(refused.stderr, /Would remove 3 document\(s\) \(file and index entry\):\n {2}widget\/1\.0\/admin\/guide\.md {2}\(Guide, 1 pages\)\n/);
    assert.match(refused.stderr, /error: not removing 3 document\(s\) without confirmation: stdin is not a terminal\. Pass --yes to remove them, or --dry-run to only list them/);
    assert.deepEqual(indexed(data), [ADMIN, NOTES, USER]);
  });

  test('--dry-run lists only; a name in two collections is refused; --collection with --yes removes that one', () => {
    const dry = mcdewey(data, ['remove', 'widget', '1.0', '--dry-run', '--json']);
    assert.equal(dry.status, 0, dry.stderr);
    assert.deepEqual((JSON.parse(dry.stdout) as { would_remove: { doc_id: string }[] }).would_remove.map((d) => d.doc_id), [ADMIN, NOTES, USER]);
    const ambiguous = mcdewey(data, ['remove', 'widget', '1.0', 'guide', '--yes']);
    assert.equal(ambiguous.status, 1);
    assert.match(ambiguous.stderr, /"guide" names 2 documents in different collections: widget::1\.0::admin::guide, widget::1\.0::user::guide/);
    const removed = mcdewey(data, ['remove', 'widget', '1.0', 'guide', '--collection', 'admin', '--yes']);
    assert.equal(removed.status, 0, removed.stderr);
    assert.match(removed.stdout, /^Removed 1 document\(s\) \(file and index entry\):\n {2}widget\/1\.0\/admin\/guide\.md/);
    assert.deepEqual(indexed(data), [NOTES, USER]);
  });

  test('on a terminal it asks: "n" keeps everything, "y" removes', { skip: spawnSync('script', ['--version']).status === 0 ? false : 'needs script(1) for a pseudo-terminal' }, async () => {
    const onTerminal = (answer: string) => new Promise<{ status: number | null; output: string }>((resolve) => {
      const command = [process.execPath, '--import', 'tsx', 'src/cli/main.ts', '--data', data, '--embedder', 'none', 'remove', 'widget', '1.0', 'notes']
        .map((arg) => `'${arg.replace(/'/g, "'\\''")}'`).join(' ');
      const child = spawn('script', ['-qec', command, '/dev/null'], { cwd: REPO_ROOT, env: { ...process.env, NO_COLOR: '1' } });
      let output = '';
      let answered = false;
      child.stdout.on('data', (chunk: Buffer) => {
        output += chunk.toString();
        // Once: output read after the prompt (the echoed answer, the result) would answer again,
        // and a write after the command has exited fails with EPIPE.
        if (!answered && output.includes('[y/N]')) {
          answered = true;
          child.stdin.write(`${answer}\n`);
        }
      });
      child.on('close', (status) => resolve({ status, output }));
    });
    const declined = await onTerminal('n');
    assert.match(declined.output, /This removes 1 document\(s\) \(file and index entry\):\r?\n {2}widget\/1\.0\/notes\/notes\.md {2}\(Notes, 1 pages\)/);
    assert.match(declined.output, /Remove it\? \[y\/N\]/);
    assert.match(declined.output, /Nothing removed\./);
    assert.equal(declined.status, 1);
    assert.ok(indexed(data).includes(NOTES));
    const accepted = await onTerminal('y');
    assert.equal(accepted.status, 0, accepted.output);
    assert.match(accepted.output, /Removed 1 document\(s\)/);
    assert.ok(!indexed(data).includes(NOTES));
    await assertLibraryConsistent(data);
  });
});
