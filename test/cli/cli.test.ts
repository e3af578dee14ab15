import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { corpusPath } from '../support/corpus.js';
import { runCli } from '../support/cli.js';

const data = fs.mkdtempSync(path.join(os.tmpdir(), 'mcdewey-cli-'));
const cli = (...args: string[]) => runCli(['--data', data, '--embedder', 'none', ...args]);
const FTDV = corpusPath('pdf', 'cisco', 'ftdv-autoscale-aws');

interface Hit { chunk_id: string; page: number; version: string; product: string; source_path: string; also_in: { version: string; page: number }[] }

before(() => {
  const added = cli('add', FTDV);
  assert.equal(added.status, 0, added.stderr);
});
after(() => fs.rmSync(data, { recursive: true, force: true }));

test('add labels a <vendor>/<product>/<version>/<file> layout, reports progress, and a re-run changes nothing', () => {
  const again = cli('add', FTDV);
  assert.equal(again.status, 0);
  assert.match(again.stdout, /Nothing changed: all 3 document\(s\) are already in the library and unchanged/);
  assert.match(again.stderr, /unchanged\s+ftdv-autoscale-aws\/6\.6\.0\//);
  const list = cli('list');
  assert.match(list.stdout, /cisco/);
  assert.match(list.stdout, /latest-2025-06 \(latest\)/);
  assert.match(list.stdout, /6\.7\.0/);
  const tree = JSON.parse(cli('list', '--json').stdout);
  assert.equal(tree.documents, 3);
  assert.equal(tree.pages, 20 + 22 + 58);
});

test('a distinctive sentence from page N finds page N first, and a version filter keeps to that version', () => {
  const doc = 'ftdv-autoscale-aws/6.6.0/deploy-ftdv-auto-scale-for-aws/deploy-ftdv-auto-scale-for-aws.md';
  const text = fs.readFileSync(path.join(data, 'library', doc), 'utf8');
  const page = 9;
  const pageText = text.split(new RegExp(`<!-- page ${page}(?: label="[^"]*")? -->`))[1]!.split('<!-- page ')[0]!;
  const sentence = pageText
    .split(/(?<=[.!?])\s+/)
    .map((s) => s.replace(/[#*|`>-]/g, ' ').replace(/\s+/g, ' ').trim())
    .filter((s) => s.split(' ').length >= 8)
    .sort((a, b) => b.length - a.length)[0]!;
  const result = JSON.parse(cli('search', sentence, '--version', '6.6.0', '--json').stdout);
  const hits = result.hits as Hit[];
  assert.equal(hits[0]!.page, page, `query: ${sentence}`);
  assert.ok(hits.every((h) => h.version === '6.6.0'));
  // Without a filter the newest version answers where it has the same passage (the 6.6.0 page is
  // then folded in as "also in"); a passage only 6.6.0 has still comes first.
  const unfiltered = JSON.parse(cli('search', sentence, '--json').stdout).hits as Hit[];
  const first = unfiltered[0]!;
  assert.ok(
    (first.version === '6.6.0' && first.page === page) || first.also_in.some((a) => a.version === '6.6.0'),
    JSON.stringify(first),
  );
  const all = JSON.parse(cli('search', sentence, '--all-versions', '--json').stdout).hits as Hit[];
  const top = all[0]!;
  assert.ok(top.version === '6.6.0' || top.also_in.some((a) => a.version === '6.6.0'), JSON.stringify(top));
});

test('exact identifiers and FTS5 syntax are safe and findable', () => {
  for (const hostile of ['"', 'NEAR(', 'a AND OR NOT b', '*', "'; DROP TABLE chunks; --", '^$%', '((((', 'title:x', '-', 'ⅻ 𝔘 ẞ']) {
    const r = cli('search', hostile, '--json');
    assert.equal(r.status, 0, `${hostile}: ${r.stderr}`);
  }
  const lambda = JSON.parse(cli('search', 'AWS::Lambda', '--all-versions', '--json').stdout);
  assert.equal(lambda.mode, 'lexical');
});

test('show prints a chunk with its page, source and neighbours', () => {
  const id = 'ftdv-autoscale-aws::6.7.0::deploy-ftdv-auto-scale-for-aws::deploy-ftdv-auto-scale-for-aws::5';
  const shown = cli('show', id);
  assert.equal(shown.status, 0, shown.stderr);
  assert.match(shown.stdout, /^Deploy the Firepower Threat Defense Virtual Auto Scale for AWS — cisco \/ ftdv-autoscale-aws \/ 6\.7\.0/);
  assert.match(shown.stdout, /source {4}ftdv-autoscale-aws\/6\.7\.0\/deploy-ftdv-auto-scale-for-aws\/deploy-ftdv-auto-scale-for-aws\.md/);
  assert.match(shown.stdout, /\[before · .*::4 · page \d+\]/);
  assert.match(shown.stdout, /\[after · .*::6 · page \d+\]/);
  const json = JSON.parse(cli('show', id, '--before', '0', '--after', '2', '--json').stdout);
  assert.equal(json.chunk.chunk_id, id);
  assert.equal(json.after.length, 2);
});

test('errors are clear and exit non-zero', () => {
  const missing = cli('add', '/nonexistent/file.pdf');
  assert.equal(missing.status, 1);
  assert.match(missing.stderr, /\/nonexistent\/file\.pdf: no such file or folder/);
  const version = cli('search', 'scale', '--product', 'ftdv-autoscale-aws', '--version', '13.0');
  assert.equal(version.status, 1);
  assert.match(version.stderr, /version "13\.0" of ftdv-autoscale-aws is not in the library\. Available versions of ftdv-autoscale-aws: latest-2025-06, 6\.7\.0, 6\.6\.0/);
  const badId = cli('show', '../../etc/passwd');
  assert.equal(badId.status, 1);
  assert.match(badId.stderr, /is not a chunk id/);
  const usage = cli('search');
  assert.equal(usage.status, 2);
  for (const command of ['add', 'list', 'search', 'show', 'remove', 'reindex', 'check', 'eval', 'serve', 'mcp']) {
    const help = cli(command, '--help');
    assert.equal(help.status, 0, command);
    assert.match(help.stdout, /Usage: mcdewey/);
  }
});

test('hostile labels never write outside the data directory', () => {
  const file = corpusPath('pdf', 'paloalto', 'vm-series-azure-autoscaling', '1.1', 'azure-auto-scale-template-1.1-release-notes.pdf');
  const r = cli('add', file, '--vendor', '../../..', '--product', '/etc/passwd', '--version', '..\\..\\x', '--collection', '..', '--json');
  const outcome = JSON.parse(r.stdout);
  // The vendor label has no letters or digits: refused with a clear message, nothing written.
  assert.equal(outcome.results[0].status, 'failed');
  assert.match(outcome.results[0].error, /vendor "..\/..\/.." has no letters or digits/);
  const ok = JSON.parse(cli('add', file, '--vendor', '../evil', '--product', '/etc/passwd', '--version', '../../x', '--json').stdout);
  assert.equal(ok.results[0].status, 'added');
  assert.equal(ok.results[0].source_path, 'etc-passwd/x/azure-auto-scale-template-1.1-release-notes/azure-auto-scale-template-1.1-release-notes.md');
  assert.ok(fs.existsSync(path.join(data, 'library', ok.results[0].source_path)));
  assert.equal(cli('remove', 'etc-passwd', '--yes').status, 0);
});

test('remove, check and reindex keep files and index in agreement', () => {
  const removed = cli('remove', 'ftdv-autoscale-aws', '6.6.0', '--yes');
  assert.equal(removed.status, 0, removed.stderr);
  assert.match(removed.stdout, /Removed 1 document/);
  assert.ok(!fs.existsSync(path.join(data, 'library', 'ftdv-autoscale-aws', '6.6.0')));
  assert.equal(cli('check').status, 0);
  // Damage the agreement: delete one file behind the index's back.
  fs.rmSync(path.join(data, 'library', 'ftdv-autoscale-aws', '6.7.0'), { recursive: true });
  const check = cli('check');
  assert.equal(check.status, 1);
  assert.match(check.stdout, /6\.7\.0.*is indexed but its file is missing/);
  const reindex = cli('reindex');
  assert.equal(reindex.status, 0, reindex.stderr);
  assert.match(reindex.stdout, /Re-indexed 1 document\(s\); removed 1 index entry without a file/);
  assert.equal(cli('check').status, 0);
  // Ids are stable across re-indexing.
  assert.equal(cli('show', 'ftdv-autoscale-aws::latest-2025-06::deploy-ftdv-auto-scale-for-aws::deploy-ftdv-auto-scale-for-aws::100').status, 0);
});

test('an index built without an embedder refuses another one and names the fix', () => {
  const r = runCli(['--data', data, '--embedder', 'use-lite', 'add', FTDV]);
  assert.equal(r.status, 1);
  assert.match(r.stderr, /built with no embedder \(lexical only\), but the configured embedder is use-lite.*mcdewey reindex --embedder use-lite/);
});
