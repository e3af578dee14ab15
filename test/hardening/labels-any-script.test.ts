import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import fc from 'fast-check';
import { loadConfig } from '../../src/config/config.js';
import { Library } from '../../src/service/library.js';
import { startServer, type RunningServer } from '../../src/server/serve.js';
import type { DocumentLabels, DocumentMeta } from '../../src/library/model.js';
import { parseChunkId, parseDocumentId } from '../../src/library/ids.js';
import { slugify } from '../../src/library/slug.js';
import { sortVersions } from '../../src/library/version.js';
import { filingConflict, sameLabel, type Filing } from '../../src/library/label-conflicts.js';
import { keyForLabels } from '../../src/ingest/pipeline.js';
import { fileSource } from '../../src/ingest/sources/source.js';
import { assertLibraryConsistent, mcdewey, snapshotTree } from './library-state.js';

/**
 * Labels in any script stay distinct, and two labels never share a slot:
 *
 * - "C++", "C#" and "C" are three products; "Ørsted" and "Straße" keep their letters; Japanese,
 *   Cyrillic, Greek and Devanagari labels and file names are accepted (CLI, service, REST upload)
 *   and stay apart, their ids parse and their pages open in the web UI and the API;
 * - "12.5(1)", "12.5-1" and "12.5 1." make one slug: the first is filed, the others are refused as a
 *   conflict naming both, per field (vendor, product, version, collection, document), and the
 *   library holds only the first — including when two processes race to file them;
 * - labels that differ only in case, spacing or fullwidth forms are the same label;
 * - existing ASCII slugs and ids are exactly what they were; versions keep their natural order;
 * - property: whatever labels are filed, no two different labels ever end up in one slot.
 */

const sandbox = fs.mkdtempSync(path.join(os.tmpdir(), 'mcdewey-labels-'));
const sources = path.join(sandbox, 'sources');
const guide = path.join(sources, 'guide.md');
let library: Library;
let data: string;

before(async () => {
  fs.mkdirSync(sources, { recursive: true });
  fs.writeFileSync(guide, '# Guide\n\nConfiguring the widget frobnicator.\n');
  data = path.join(sandbox, 'data');
  library = await Library.open(loadConfig({ data, embedder: 'none' }, {}), 'write');
});
after(async () => {
  await library?.close();
  fs.rmSync(sandbox, { recursive: true, force: true });
});

const labels = (overrides: Partial<DocumentLabels>): DocumentLabels => ({ vendor: 'Vendor', product: 'product', version: '1', document: 'guide', ...overrides });
const CONFLICT = (field: string, typed: string, taken: string) =>
  new RegExp(`^${field} "${escape(typed)}" would be filed as ".*", which ${field} "${escape(taken)}" already uses in .*; different labels are never merged`);
const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

describe('slugs', () => {
  test('existing ASCII slugs and ids are unchanged', () => {
    const pinned: Record<string, string> = {
      finesse: 'finesse', 'v12.5': 'v12.5', 'Developer Guide': 'developer-guide', '12.5(1)': '12.5-1', '12.6 SU2': '12.6-su2',
      'latest-2025-06': 'latest-2025-06', 'Cisco Systems, Inc.': 'cisco-systems-inc', 'deploy_ftdv.auto-scale': 'deploy_ftdv.auto-scale',
      'Release #12': 'release-12', 'a + b': 'a-b', 'AT&T': 'at-t', 'Café': 'cafe', 'ｆｉｎｅｓｓｅ': 'finesse', ['x'.repeat(100)]: `${'x'.repeat(71)}-09ecb6eb`,
    };
    for (const [label, slug] of Object.entries(pinned)) assert.equal(slugify(label), slug, label);
    assert.equal(keyForLabels({ vendor: 'Cisco', product: 'finesse', version: 'v12.5', collection: 'developer-guide', document: 'developer-guide' }).key.version, 'v12.5');
    assert.deepEqual(parseChunkId('finesse::v12.5::developer-guide::developer-guide::43')?.key, { product: 'finesse', version: 'v12.5', collection: 'developer-guide', document: 'developer-guide' });
  });

  test('letters of every script are kept, NFC and lowercased; meaningful symbols are spelled', () => {
    const expected: Record<string, string> = {
      'C++': 'c-plus-plus', 'C#': 'c-sharp', C: 'c', 'Notepad++': 'notepad-plus-plus', 'F# 4.0': 'f-sharp-4.0',
      Ørsted: 'ørsted', Straße: 'straße', 'ガイド': 'ガイド', 'Руководство': 'руководство', 'Ελληνικά': 'ελληνικά', 'ΟΔΟΣ': 'οδος',
      'हिन्दी गाइड': 'हिन्दी-गाइड', 'Cafe\u0301 (NFD)': 'cafe-nfd', 'Ж\u0301': 'ж́', '㋀': '1月', '한국어 설명서': '한국어-설명서',
    };
    for (const [label, slug] of Object.entries(expected)) assert.equal(slugify(label), slug, label);
    assert.equal(slugify('ｶﾞｲﾄﾞ'), 'ガイド', 'halfwidth forms fold to their ordinary letters, as fullwidth Latin folds to ASCII');
  });

  test('slugs can never form a path, a dot segment or carry control, format or bidi characters', () => {
    for (const hostile of ['../ガイド', 'ガイド/../..', '..\u2215..', '\u202eガイド', 'ガ\u200dイド', 'ガ\0イド', 'ガ\nイド', '．．']) {
      let slug: string;
      try {
        slug = slugify(hostile);
      } catch {
        continue;
      }
      assert.match(slug, /^[\p{L}\p{N}][\p{L}\p{N}\p{M}._-]*$/u, hostile);
      assert.ok(!/[\p{Cc}\p{Cf}\p{Zl}\p{Zp}/\\]/u.test(slug), hostile);
    }
    const long = 'ガ'.repeat(300);
    assert.ok(Buffer.byteLength(slugify(long)) <= 240 && slugify(long) !== slugify(`${long}x`));
  });
});

describe('filing', () => {
  test('C++, C# and C are three products; Ørsted, Straße and labels in Japanese, Cyrillic and Greek stay themselves and apart', async () => {
    const products = ['C++', 'C#', 'C', 'Ørsted', 'Straße', 'ガイド', 'ガイド 2', 'Руководство', 'Инструкция', 'Ελληνικά', 'Οδηγός'];
    const results = await library.add(products.map((product) => (fileSource(guide, labels({ product })))));
    assert.deepEqual(results.map((r) => r.status), products.map(() => 'added'), results.map((r) => r.error).join('; '));
    const ids = results.map((r) => r.docId!);
    assert.equal(new Set(ids).size, products.length, ids.join(', '));
    assert.deepEqual(ids.slice(0, 5), ['c-plus-plus::1::guide::guide', 'c-sharp::1::guide::guide', 'c::1::guide::guide', 'ørsted::1::guide::guide', 'straße::1::guide::guide']);
    for (const id of ids) assert.ok(parseDocumentId(id), id);
    // A filter may name the product by its label: C++ finds C++ only.
    const tree = library.tree({ product: 'C++' });
    assert.deepEqual(tree.vendors.flatMap((v) => v.products.map((p) => p.label)), ['C++']);
    await assertLibraryConsistent(data);
  });

  test('versions 12.5(1), 12.5-1 and "12.5 1." share a slug: the first is filed, the others refused naming both', async () => {
    const versions = ['12.5(1)', '12.5-1', '12.5 1.'];
    const results = await library.add(versions.map((version, i) => (fileSource(guide, labels({ product: 'finesse', version, document: `guide-${i}` })))));
    assert.equal(results[0]!.status, 'added', results[0]!.error);
    assert.equal(results[0]!.docId, 'finesse::12.5-1::guide-0::guide-0');
    for (const [i, version] of versions.entries()) {
      if (i === 0) continue;
      assert.equal(results[i]!.status, 'failed');
      assert.match(results[i]!.error!, CONFLICT('version', version, '12.5(1)'));
      assert.match(results[i]!.error!, /If they are the same version, use "12\.5\(1\)"/);
    }
    assert.deepEqual(library.documents({ product: 'finesse' }).map((d) => d.versionLabel), ['12.5(1)'], 'never merged');
    // The same label, typed in another case or spacing, is the same version.
    const again = await library.add([fileSource(guide, labels({ product: 'FINESSE', version: ' 12.5(1) ', document: 'guide-3' }))]);
    assert.equal(again[0]!.status, 'added', again[0]!.error);
    await assertLibraryConsistent(data);
  });

  test('each field refuses a different label that makes a taken slug, and says which', async () => {
    await library.add([fileSource(guide, { vendor: 'Acme & Co', product: 'widgets', version: '2.0', collection: 'Admin Guide', document: 'Setup (Basic)' })]);
    const cases: [Partial<DocumentLabels>, string, string, string][] = [
      [{ vendor: 'Acme Co' }, 'vendor', 'Acme Co', 'Acme & Co'],
      [{ product: 'Widgets!' }, 'product', 'Widgets!', 'widgets'],
      [{ version: ' 2.0 ' }, 'version', '2.0', '2.0'],
      [{ collection: 'Admin-Guide' }, 'collection', 'Admin-Guide', 'Admin Guide'],
      [{ document: 'Setup: Basic' }, 'document', 'Setup: Basic', 'Setup (Basic)'],
    ];
    for (const [override, field, typed, taken] of cases) {
      const filing = { vendor: 'Acme & Co', product: 'widgets', version: '2.0', collection: 'Admin Guide', document: 'Setup (Basic)', ...override };
      const [result] = await library.add([fileSource(guide, filing)]);
      if (field === 'version') {
        assert.equal(result!.status, 'unchanged', 'a label with surrounding spaces is the same label');
        continue;
      }
      assert.equal(result!.status, 'failed', `${field}: ${JSON.stringify(filing)}`);
      assert.match(result!.error!, CONFLICT(field, typed, taken));
    }
    assert.equal(library.documents({ product: 'widgets' }).length, 1);
    await assertLibraryConsistent(data);
  });

  test('the check is repeated under the write lock: two processes filing 12.5(1) and 12.5-1 at once end with one version', async () => {
    const race = path.join(sandbox, 'race');
    fs.mkdirSync(race);
    const files = ['a', 'b', 'c', 'd'].map((name) => {
      const file = path.join(sources, `race-${name}.md`);
      fs.writeFileSync(file, `# Race ${name}\n\n${'Text to convert. '.repeat(2000)}\n`);
      return file;
    });
    const { spawn } = await import('node:child_process');
    const { REPO_ROOT } = await import('../support/corpus.js');
    const run = (version: string, file: string) =>
      new Promise<number>((resolve) => {
        const child = spawn(process.execPath, ['--import', 'tsx', path.join(REPO_ROOT, 'src/cli/main.ts'), '--data', race, '--embedder', 'none', 'add', file, '--vendor', 'V', '--product', 'p', '--version', version], { cwd: REPO_ROOT, stdio: 'ignore' });
        child.on('close', (code) => resolve(code ?? -1));
      });
    assert.equal(mcdewey(race, ['list']).status, 0);
    await Promise.all([run('12.5(1)', files[0]!), run('12.5-1', files[1]!), run('12.5(1)', files[2]!), run('12.5-1', files[3]!)]);
    const check = await Library.open(loadConfig({ data: race, embedder: 'none' }, {}), 'read');
    try {
      const versions = new Set(check.documents().map((d) => d.versionLabel));
      assert.equal(versions.size, 1, `one label won the slot, never both: ${[...versions].join(', ')}`);
    } finally {
      await check.close();
    }
    await assertLibraryConsistent(race);
  });
});

describe('surfaces', () => {
  let server: RunningServer;
  const TOKEN = 'labels-test-token-0123456789abcdef';
  before(async () => {
    server = await startServer({ ...loadConfig({ data, embedder: 'none' }, {}), host: '127.0.0.1', port: 0, token: TOKEN }, library);
  });
  after(async () => server?.close());

  test('a file named in Japanese, uploaded, keeps its name as its slug; a second name with the same slug is refused', async () => {
    const upload = async (name: string) => {
      const form = new FormData();
      form.set('file', new File(['# 設定\n\nウィジェットの設定方法。\n'], name, { type: 'text/markdown' }));
      for (const [key, value] of Object.entries({ vendor: 'ベンダー', product: '製品', version: '第1版' })) form.set(key, value);
      // wait=1: an upload is a job; this waits for its outcome.
      const response = await fetch(`${server.url}/api/documents?wait=1`, { method: 'POST', body: form, headers: { Authorization: `Bearer ${TOKEN}` } });
      return { status: response.status, body: (await response.json()) as { doc_id?: string; error?: { message: string } } };
    };
    const first = await upload('設定ガイド.md');
    assert.equal(first.status, 201, JSON.stringify(first.body));
    assert.equal(first.body.doc_id, '製品::第1版::設定ガイド::設定ガイド');
    const spaced = await upload('設定 ガイド.md');
    assert.equal(spaced.status, 201, JSON.stringify(spaced.body));
    assert.equal(spaced.body.doc_id, '製品::第1版::設定-ガイド::設定-ガイド');
    // Another name that makes the same slug: refused, naming the name already filed.
    const clash = await upload('設定-ガイド.md');
    assert.equal(clash.status, 409, JSON.stringify(clash.body));
    assert.match(clash.body.error!.message, /^collection "設定-ガイド" would be filed as "設定-ガイド", which collection "設定 ガイド" already uses/);
  });

  test('documents with Unicode ids open in the web viewer, the chunk page and the REST API', async () => {
    const id = '製品::第1版::設定ガイド::設定ガイド';
    const encoded = encodeURIComponent(id).replace(/%3A/gi, ':');
    for (const route of [`/doc/${encoded}`, `/chunk/${encoded}::0`, `/api/documents/${encoded}`, `/api/chunks/${encoded}::0`, `/api/documents/${encoded}/pages/1`]) {
      const response = await fetch(`${server.url}${route}`);
      assert.equal(response.status, 200, `${route}: ${(await response.text()).slice(0, 300)}`);
    }
    const search = await fetch(`${server.url}/api/search?q=${encodeURIComponent('ウィジェット')}&product=${encodeURIComponent('製品')}`);
    assert.equal(search.status, 200);
  });

  test('through the CLI: a folder of Cyrillic and Greek file names adds one document each', async () => {
    const folder = path.join(sandbox, 'скрипты');
    fs.mkdirSync(folder);
    const names = ['Установка.md', 'Настройка.md', 'Εγκατάσταση.md', 'Ρύθμιση.md'];
    for (const name of names) fs.writeFileSync(path.join(folder, name), `# ${name}\n\ntext\n`);
    const outside = snapshotTree(sandbox, ['data']);
    const added = mcdewey(data, ['add', folder, '--vendor', 'Вендор', '--product', 'Продукт', '--version', 'v1', '--json']);
    assert.equal(added.status, 0, added.stderr);
    const results = (JSON.parse(added.stdout) as { results: { status: string; source_path: string }[] }).results;
    assert.deepEqual(results.map((r) => r.status), names.map(() => 'added'));
    assert.deepEqual(new Set(results.map((r) => r.source_path.split('/')[3])), new Set(['установка.md', 'настройка.md', 'εγκατάσταση.md', 'ρύθμιση.md']));
    assert.deepEqual(snapshotTree(sandbox, ['data']), outside);
  });
});

test('versions in any script keep their natural order', () => {
  assert.deepEqual(sortVersions(['12.5-1', '12.5(1)', 'v12.5', '12.6 SU2', '9.15']), ['9.15', 'v12.5', '12.5(1)', '12.5-1', '12.6 SU2']);
  assert.deepEqual(sortVersions(['版 10', '版 2', '版 1']), ['版 1', '版 2', '版 10']);
  assert.deepEqual(sortVersions(['версия 2', 'версия 10']), ['версия 2', 'версия 10']);
});

/** What the library records of a filed document, as far as the conflict check reads it. */
function metaOf(filing: Filing): DocumentMeta {
  const { labels: l, key, vendor } = filing;
  return {
    key, vendor, vendorLabel: l.vendor, productLabel: l.product, versionLabel: l.version, collectionLabel: l.collection, documentLabel: l.document,
    title: l.document, sourcePath: '', originalFile: '', format: 'markdown', contentHash: '', pageCount: 1, convertedAt: '',
  };
}

test('property: whatever labels are filed, one slot never holds two different labels', () => {
  const label = fc.oneof(
    fc.constantFrom('12.5(1)', '12.5-1', '12.5 1.', 'C++', 'C#', 'C', 'c-plus-plus', 'Ørsted', 'orsted', 'Straße', 'strasse', 'ガイド', 'ｶﾞｲﾄﾞ', 'Café', 'cafe', 'CAFE'),
    fc.string({ unit: 'grapheme', minLength: 1, maxLength: 8 }),
  );
  const filingArb = fc.record({ vendor: label, product: label, version: label, collection: label, document: label });
  fc.assert(
    fc.property(fc.array(filingArb, { minLength: 1, maxLength: 12 }), (attempts) => {
      const filed: Filing[] = [];
      for (const attempt of attempts) {
        let filing: Filing;
        try {
          filing = keyForLabels(attempt);
        } catch {
          continue; // nothing to make a slug from: refused before filing
        }
        if (filingConflict(filing, filed.map(metaOf))) continue;
        filed.push(filing);
      }
      // Every slot (per field and parent) holds one label.
      const slots = new Map<string, string>();
      for (const f of filed) {
        const entries: [string, string][] = [
          [`vendor:${f.vendor}`, f.labels.vendor],
          [`product:${f.key.product}`, f.labels.product],
          [`version:${f.key.product}/${f.key.version}`, f.labels.version],
          [`collection:${f.key.product}/${f.key.version}/${f.key.collection}`, f.labels.collection],
          [`document:${f.key.product}/${f.key.version}/${f.key.collection}/${f.key.document}`, f.labels.document],
        ];
        for (const [slot, value] of entries) {
          const held = slots.get(slot);
          assert.ok(held === undefined || sameLabel(held, value), `${slot} holds both ${JSON.stringify(held)} and ${JSON.stringify(value)}`);
          slots.set(slot, value);
        }
      }
    }),
    { numRuns: 500 },
  );
});
