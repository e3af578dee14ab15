import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, describe, test } from 'node:test';
import { loadConfig } from '../../src/config/config.js';
import { discover } from '../../src/ingest/sources/discover.js';
import { Library } from '../../src/service/library.js';
import { REPO_ROOT } from '../support/corpus.js';
import { mcdewey } from './library-state.js';
import { fileSource } from '../../src/ingest/sources/source.js';

/**
 * Adding a folder reads exactly its regular files and says what it left out: an unreadable
 * subfolder, a named pipe, a symbolic link (followed with --follow-links, only inside the folder,
 * never in a loop) are skipped with a note instead of aborting or hanging the add; 200,000 files
 * are listed without exhausting the stack; a `_sources` folder above the added one does not hide
 * its HTML; and a folder that yields nothing fails and says why.
 */

const sandbox = fs.mkdtempSync(path.join(os.tmpdir(), 'mcdewey-discovery-'));
fs.chmodSync(sandbox, 0o755); // the unreadable-folder test runs the CLI as an unprivileged user
after(() => fs.rmSync(sandbox, { recursive: true, force: true }));

function tree(root: string, files: Record<string, string>): string {
  for (const [relative, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(root, relative)), { recursive: true });
    fs.writeFileSync(path.join(root, relative), text);
  }
  return root;
}
const doc = (title: string) => `# ${title}\n\nText about ${title.toLowerCase()}.\n`;
const labels = ['--vendor', 'Acme', '--product', 'widget', '--version', '1.0'];
const flags = { vendor: 'Acme', product: 'widget', version: '1.0' };
const relativeSources = (root: string, options: { followLinks?: boolean } = {}) =>
  discover(root, flags, options).sources.map((s) => path.relative(root, s.path)).sort();

describe('folder ingestion', { concurrency: true }, () => {
  test('an unreadable subfolder is skipped with a warning; the rest is added', () => {
    const root = tree(path.join(sandbox, 'unreadable'), { 'a/guide.md': doc('Guide'), 'locked/secret.md': doc('Secret'), 'z/notes.md': doc('Notes') });
    fs.chmodSync(path.join(root, 'locked'), 0o000);
    const data = path.join(sandbox, 'unreadable-data');
    // Root reads every folder whatever its mode, so the CLI runs as an unprivileged user there.
    const asUser = process.getuid?.() === 0 ? { uid: 65534, gid: 65534 } : {};
    fs.mkdirSync(data);
    if (process.getuid?.() === 0) fs.chownSync(data, 65534, 65534);
    const result = spawnSync(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', '--data', data, '--embedder', 'none', 'add', root, ...labels], {
      cwd: REPO_ROOT, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1', HOME: sandbox }, ...asUser,
    });
    assert.equal(result.status, 0, result.stderr);
    assert.match(result.stderr, /^skipped {4}.*unreadable\/locked: EACCES$/m);
    assert.match(result.stderr, /^note: skipped 1 unreadable folder$/m);
    assert.match(result.stdout, /^2 added, 0 updated, 0 unchanged, 0 failed\.$/m);
  });

  test('a named pipe is skipped with a note, and one named directly or swapped in fails at once instead of hanging', async () => {
    const root = tree(path.join(sandbox, 'fifo'), { 'guide.md': doc('Guide') });
    execFileSync('mkfifo', [path.join(root, 'pipe.md')]);
    const added = mcdewey(path.join(sandbox, 'fifo-data'), ['add', root, ...labels]);
    assert.equal(added.status, 0, added.stderr);
    assert.match(added.stderr, /^skipped {4}.*fifo\/pipe\.md: a named pipe \(FIFO\)$/m);
    assert.match(added.stdout, /^1 added/m);
    const direct = mcdewey(path.join(sandbox, 'fifo-data'), ['add', path.join(root, 'pipe.md'), ...labels]);
    assert.equal(direct.status, 1);
    assert.match(direct.stderr, /pipe\.md: is a named pipe \(FIFO\)\. Pass a regular file or a folder/);
    // Discovered as a file, then replaced by a pipe before it is read (nothing writes to it).
    const library = await Library.open(loadConfig({ data: path.join(sandbox, 'fifo-race'), embedder: 'none' }, {}), 'write');
    try {
      const [result] = await library.add([fileSource(path.join(root, 'pipe.md'), { ...flags, document: 'pipe' })]);
      assert.equal(result?.status, 'failed');
      assert.match(result!.error!, /pipe\.md: is a named pipe \(FIFO\), not a regular file\. Only regular files are read/);
    } finally {
      await library.close();
    }
  });

  test('200,000 files in one folder are listed without exhausting the stack', () => {
    const folder = path.join(sandbox, 'many', 'pages');
    fs.mkdirSync(folder, { recursive: true });
    for (let i = 0; i < 200_000; i++) fs.closeSync(fs.openSync(path.join(folder, `page-${i}.txt`), 'w'));
    const started = Date.now();
    const { sources, skipped } = discover(path.join(sandbox, 'many'), flags);
    assert.equal(sources.length, 200_000);
    assert.deepEqual(skipped, []);
    // Sorted as a depth-first walk with sorted names gives them.
    assert.equal(path.basename(sources[0]!.path), 'page-0.txt');
    assert.equal(path.basename(sources[1]!.path), 'page-1.txt');
    assert.equal(path.basename(sources[2]!.path), 'page-10.txt');
    process.stderr.write(`discovering 200,000 files took ${Date.now() - started} ms (load ${os.loadavg()[0]!.toFixed(1)})\n`);
    fs.rmSync(path.join(sandbox, 'many'), { recursive: true });
  });

  test('only `_sources` folders below the added folder count, not one in the absolute path above it', () => {
    const root = tree(path.join(sandbox, '_sources', 'site'), {
      'index.html': '<html><head><title>Home</title></head><body><h1>Home</h1><p>Welcome.</p></body></html>',
      'guide.html': '<html><head><title>Guide</title></head><body><h1>Guide</h1><p>Widgets.</p></body></html>',
      '_sources/guide.txt': 'Guide source copy',
    });
    assert.deepEqual(relativeSources(root), ['guide.html', 'index.html']);
  });

  test('symbolic links: skipped with a note by default; --follow-links follows those inside the folder, never outside, never in a loop', () => {
    const outside = tree(path.join(sandbox, 'outside'), { 'private.md': doc('Private') });
    const root = tree(path.join(sandbox, 'links'), { 'docs/guide.md': doc('Guide'), 'shared/common.md': doc('Common') });
    fs.symlinkSync(path.join(root, 'docs', 'guide.md'), path.join(root, 'alias.md'));
    fs.symlinkSync(path.join(root, 'shared'), path.join(root, 'docs', 'shared-link'));
    fs.symlinkSync(outside, path.join(root, 'escape'));
    fs.symlinkSync(path.join(outside, 'private.md'), path.join(root, 'escape.md'));
    fs.symlinkSync(root, path.join(root, 'docs', 'loop'));
    fs.symlinkSync(path.join(root, 'missing.md'), path.join(root, 'broken.md'));

    const plain = discover(root, flags);
    assert.deepEqual(plain.sources.map((s) => path.relative(root, s.path)).sort(), ['docs/guide.md', 'shared/common.md']);
    assert.deepEqual(plain.skipped.map((s) => [path.relative(root, s.path), s.reason]).sort(), [
      ['alias.md', 'link'], ['broken.md', 'link'], ['docs/loop', 'link'], ['docs/shared-link', 'link'], ['escape', 'link'], ['escape.md', 'link'],
    ]);

    const followed = discover(root, flags, { followLinks: true });
    // Every file inside is read once (through whichever path the walk met first); nothing outside.
    assert.deepEqual(followed.sources.map((s) => path.relative(root, s.path)), ['alias.md', 'docs/shared-link/common.md']);
    const reasons = Object.fromEntries(followed.skipped.map((s) => [path.relative(root, s.path), s.reason]));
    assert.deepEqual(reasons, {
      'broken.md': 'link-broken',
      'docs/guide.md': 'duplicate',
      'docs/loop': 'link-loop',
      escape: 'link-outside',
      'escape.md': 'link-outside',
      shared: 'duplicate',
    });

    const cli = mcdewey(path.join(sandbox, 'links-data'), ['add', root, ...labels]);
    assert.equal(cli.status, 0, cli.stderr);
    assert.match(cli.stderr, /^note: skipped 6 symbolic links \(pass --follow-links to follow links that stay inside the folder\)$/m);
    const withLinks = mcdewey(path.join(sandbox, 'links-data-2'), ['add', root, ...labels, '--follow-links']);
    assert.equal(withLinks.status, 0, withLinks.stderr);
    assert.match(withLinks.stderr, /^skipped {4}.*links\/escape: points outside the folder, to .*outside$/m);
    assert.match(withLinks.stdout, /^2 added/m);
  });

  test('a folder that yields nothing fails and says why', () => {
    const onlyLinks = path.join(sandbox, 'only-links');
    fs.mkdirSync(onlyLinks);
    fs.symlinkSync(path.join(sandbox, 'links', 'docs', 'guide.md'), path.join(onlyLinks, 'guide.md'));
    fs.writeFileSync(path.join(onlyLinks, 'image.png'), 'not a document');
    const result = mcdewey(path.join(sandbox, 'only-links-data'), ['add', onlyLinks, ...labels]);
    assert.equal(result.status, 1);
    assert.match(result.stderr, /only-links: holds no supported documents \(skipped: 1 symbolic link \(pass --follow-links to follow links that stay inside the folder\)\)\. Supported: \.pdf/);
    const sphinxOnly = tree(path.join(sandbox, 'sources-only'), { 'a.html': '<p>x</p>', '_sources/a.txt': 'x' });
    fs.rmSync(path.join(sphinxOnly, 'a.html'));
    fs.mkdirSync(path.join(sphinxOnly, 'b'));
    assert.deepEqual(relativeSources(sphinxOnly), ['_sources/a.txt'], 'without HTML beside them, _sources files are documents like any other');
  });
});
