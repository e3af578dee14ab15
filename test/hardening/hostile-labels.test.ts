import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { loadConfig } from '../../src/config/config.js';
import { Library } from '../../src/service/library.js';
import type { DocumentLabels } from '../../src/library/model.js';
import { assertLibraryConsistent, mcdewey, snapshotTree } from './library-state.js';
import { fileSource } from '../../src/ingest/sources/source.js';

/**
 * Hostile labels and file names: nothing is ever written outside the data directory, every file
 * lands at <product>/<version>/<collection>/<document>.md made of safe slugs, and a label with
 * nothing usable in it is refused with an error that names the field. Cases (service level, so
 * that NUL and other bytes argv cannot carry get through; a few again through the CLI):
 *
 * `../` and `..\` climbs, absolute POSIX and Windows paths, UNC paths, NUL bytes, newlines and
 * carriage returns, look-alikes that NFKD folds to `/` or `.` (fullwidth solidus and full stop
 * `／．`, division slash `∕`, two-dot leader `‥`, one-dot leader `․`), URL-encoded climbs,
 * right-to-left override and zero-width characters, 10,000-character labels (two that differ only
 * at their end stay two documents), labels that are only dots, separators, marks or NUL bytes
 * (climbs that fold to one slug are different labels: all but the first are refused as conflicts), source
 * files named `evil..\..\..\x.md` and with look-alikes, a newline or 240 characters; and hostile
 * targets for remove, show and page reads.
 */

const sandbox = fs.mkdtempSync(path.join(os.tmpdir(), 'mcdewey-hostile-labels-'));
const data = path.join(sandbox, 'data');
const sourceFile = path.join(sandbox, 'sources', 'guide.md');
const canary = `mcdewey-canary-${process.pid}`;
let library: Library;

before(async () => {
  fs.mkdirSync(path.dirname(sourceFile), { recursive: true });
  fs.writeFileSync(sourceFile, '# Guide\n\nSomething to index.\n');
  // Decoys beside the data directory: what a climb out of it would overwrite.
  fs.writeFileSync(path.join(sandbox, 'decoy.md'), 'decoy');
  fs.mkdirSync(path.join(sandbox, 'etc'), { recursive: true });
  library = await Library.open(loadConfig({ data, embedder: 'none' }, {}), 'write');
});
after(async () => {
  await library?.close();
  fs.rmSync(sandbox, { recursive: true, force: true });
});

const SLUG_PATH = /^[a-z0-9][a-z0-9._-]*\/[a-z0-9][a-z0-9._-]*\/[a-z0-9][a-z0-9._-]*\/[a-z0-9][a-z0-9._-]*\.md$/;

const HOSTILE_LABELS: string[] = [
  '../../escape', '../../../../../../tmp/' + canary, '/tmp/' + canary, '/etc/passwd', '..\\..\\escape',
  'C:\\Windows\\System32', '\\\\server\\share\\' + canary, 'a\0b', 'line\nbreak\rreturn',
  '．．／．．／escape', '..∕..∕escape', '‥/‥/escape', '․․/․․/escape', '%2e%2e%2fescape', '..%c0%af..%c0%afescape',
  'evil\u202egpj.exe', 'zero\u200bwidth\u200djoiner', 'x'.repeat(10_000), `${'y'.repeat(9_999)}1`, `${'y'.repeat(9_999)}2`,
  'CON', 'nul.md', '~/.ssh', '$HOME', '`rm -rf /`', '; rm -rf / #',
];
// Symbols, dots, separators, marks and format characters alone (letters of any script are usable).
const UNUSABLE = ['..', '../..', '/', '\\\\', '．．', '‥', '\0', '\0\0', '~', '  ', '', '...', '-._', '\u0301\u0302', '\u200b\u202e'];

function labels(overrides: Partial<DocumentLabels>): DocumentLabels {
  return { vendor: 'Vendor', product: 'product', version: '1', document: 'guide', ...overrides };
}

test('hostile labels land as safe slugs inside the library, or are refused naming the field', async () => {
  const outside = snapshotTree(sandbox, ['data']);
  const sources = HOSTILE_LABELS.flatMap((label, i) => [
    fileSource(sourceFile, labels({ product: label, version: label, document: `guide-${i}` })),
    fileSource(sourceFile, labels({ product: 'p', version: `${i}`, collection: label, document: label })),
    fileSource(sourceFile, labels({ vendor: label, product: `vendor-${i}` })),
  ]);
  const results = await library.add(sources);
  // Climbs that fold to the same slug ("../../escape", "．．／．．／escape", "‥/‥/escape") are different
  // labels: the first is filed, the others refused as conflicts naming it, never merged with it.
  const conflicts = results.filter((r) => r.status === 'failed');
  for (const result of conflicts) {
    assert.match(result.error!, /^(vendor|product|version|collection|document) ".*" would be filed as ".*", which \1 ".*" already uses in .*; different labels are never merged\. If they are the same \1, use ".*"/s);
    assert.ok(results.some((r) => r.status === 'added' && r.sourcePath === result.sourcePath) || /^(vendor|product|version)/.test(result.error!), result.error);
  }
  assert.ok(conflicts.length <= 15, `${conflicts.length} refused: ${conflicts.map((r) => r.error).join('\n')}`);
  for (const [i, result] of results.entries()) assert.ok(result.status === 'added' || conflicts.includes(result), `${JSON.stringify(sources[i]!.labels).slice(0, 200)}: ${result.error}`);
  for (const result of results) {
    assert.match(result.sourcePath!, SLUG_PATH, result.sourcePath);
    assert.ok(result.sourcePath!.split('/').every((part) => part.replace(/\.md$/, '').length <= 80), result.sourcePath);
  }
  // Long labels keep their own identity: the two 10,000-character versions are two documents.
  const resultFor = (label: string) => results[HOSTILE_LABELS.indexOf(label) * 3]!;
  assert.equal(resultFor(`${'y'.repeat(9_999)}2`).status, 'added');
  assert.notEqual(resultFor(`${'y'.repeat(9_999)}1`).docId, resultFor(`${'y'.repeat(9_999)}2`).docId);

  const refused = await library.add(UNUSABLE.map((label) => fileSource(sourceFile, labels({ product: label }))));
  for (const result of refused) {
    assert.equal(result.status, 'failed');
    assert.match(result.error!, /^product ".*" has no letters or digits to make a name from; use letters, digits, "\.", "-" or "_"$/s);
  }
  assert.deepEqual(snapshotTree(sandbox, ['data']), outside, 'nothing outside the data directory changed');
  assert.ok(!fs.existsSync(`/tmp/${canary}`) && !fs.existsSync(`/tmp/${canary}.md`));
  await assertLibraryConsistent(data);
});

test('a source file named evil..\\..\\..\\x.md, and look-alike file names, stay inside the library', async () => {
  const folder = path.join(sandbox, 'named');
  fs.mkdirSync(folder, { recursive: true });
  const names = ['evil..\\..\\..\\x.md', '．．／escape.md', '‥∕etc∕passwd.md', `${'z'.repeat(240)}.md`, 'new\nline.md'];
  for (const name of names) fs.writeFileSync(path.join(folder, name), `# ${name}\n\ntext\n`);
  const outside = snapshotTree(sandbox, ['data']);
  const results = await library.add(library.plan([folder], { vendor: 'Names', product: 'names', version: '1' }));
  assert.deepEqual(results.map((r) => r.status), names.map(() => 'added'), JSON.stringify(results.map((r) => r.error)));
  for (const result of results) assert.match(result.sourcePath!, SLUG_PATH);
  assert.deepEqual(snapshotTree(sandbox, ['data']), outside);
  await assertLibraryConsistent(data);
});

test('hostile targets for remove, show and page reads are refused clearly and touch nothing', async () => {
  const before = snapshotTree(sandbox);
  for (const product of ['../..', '/', '．．']) {
    await assert.rejects(library.remove({ product }), /product ".*" has no letters or digits/);
  }
  for (const target of [{ product: '../../etc' }, { product: 'product', version: '/tmp' }, { product: 'names', version: '1', document: '../../decoy' }]) {
    await assert.rejects(library.remove(target), /nothing in the library matches/);
  }
  for (const id of ['../../etc::x::y::z::1', 'a::b::c::d::1\0', 'A::B::C::D::1', 'a::b::c::d::-1', 'a::b::c::d::1::2', '']) {
    assert.throws(() => library.chunk(id), /is not a chunk id/);
  }
  for (const id of ['../../etc::x::y::z', 'names::1::..::guide']) {
    assert.throws(() => library.page(id, 1), /no document/);
  }
  assert.deepEqual(snapshotTree(sandbox), before);
});

test('through the CLI: climbs, absolute and Windows paths as flags are folded into slugs, and empty ones refused', async () => {
  const outside = snapshotTree(sandbox, ['data']);
  const added = mcdewey(data, ['add', sourceFile, '--vendor', '../../CLI Vendor', '--product', '/srv/' + canary, '--version', '..\\..\\1', '--collection', 'C:\\Windows', '--json']);
  assert.equal(added.status, 0, added.stderr);
  const result = (JSON.parse(added.stdout) as { results: { source_path: string }[] }).results[0]!;
  assert.equal(result.source_path, `srv-${canary}/1/c-windows/guide.md`);
  const refused = mcdewey(data, ['add', sourceFile, '--vendor', 'v', '--product', '../..', '--version', '1']);
  assert.equal(refused.status, 1);
  assert.match(refused.stderr, /failed {5}.*guide\.md: product "\.\.\/\.\." has no letters or digits to make a name from/);
  const removed = mcdewey(data, ['remove', '../..']);
  assert.equal(removed.status, 1);
  assert.match(removed.stderr, /^error: product "\.\.\/\.\." has no letters or digits/m);
  assert.deepEqual(snapshotTree(sandbox, ['data']), outside);
  await assertLibraryConsistent(data);
});
