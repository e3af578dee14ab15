import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Library } from '../../src/service/library.js';
import { LibraryError } from '../../src/library/errors.js';
import { loadConfig } from '../../src/config/config.js';
import { buildTree } from '../../src/service/tree.js';

const root = fs.mkdtempSync(path.join(os.tmpdir(), 'mcdewey-service-'));
const sources = path.join(root, 'sources');
let library: Library;

function write(relative: string, text: string): string {
  const file = path.join(sources, relative);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, text);
  return file;
}

const guide = (version: string, extra = '') => `# Agent Guide ${version}

## Agent states

An agent who places a call while in NOT_READY state transitions to TALKING. To sign out, the agent sets the state to LOGOUT.

## Reason codes

Not Ready reason codes are configured by the administrator in the admin console. ${extra}
`;

before(async () => {
  library = await Library.open(loadConfig({ data: path.join(root, 'data'), embedder: 'none' }, {}), 'write');
  write('acme/phone/12.5(1)/guide.md', guide('12.5(1)'));
  write('acme/phone/v12.6/guide.md', guide('v12.6', 'Version 12.6 adds wrap-up reasons for outbound campaigns.'));
  write('acme/phone/12.6 SU2/guide.md', guide('12.6 SU2', 'Service update 2 fixes the LOGOUT state during transfers of premium customers.'));
  write('zeta/router/9.1/notes.txt', 'Release notes\n\nThe router supports BGP graceful restart and ECMP with 64 paths.\n');
  const results = await library.add(library.plan([sources]));
  assert.deepEqual(results.map((r) => r.status), ['added', 'added', 'added', 'added']);
});
after(async () => {
  await library.close();
  fs.rmSync(root, { recursive: true, force: true });
});

test('versions are vendor strings, sorted naturally, newest matching version answers by default', async () => {
  const tree = library.tree();
  const product = tree.vendors.find((v) => v.vendor === 'acme')!.products[0]!;
  assert.deepEqual(product.versions.map((v) => [v.label, v.latest]), [['12.6 SU2', true], ['v12.6', false], ['12.5(1)', false]]);

  const response = await library.search({ query: 'agent places a call while in NOT_READY state' });
  assert.equal(response.hits[0]!.versionLabel, '12.6 SU2');
  assert.deepEqual(response.hits[0]!.alsoIn.map((a) => a.versionLabel), ['v12.6', '12.5(1)']);
  assert.equal(response.hits.filter((h) => h.headingPath.includes('Agent states')).length, 1);

  // Content only an older version has is still found, from that version.
  const older = await library.search({ query: 'wrap-up reasons outbound campaigns' });
  assert.equal(older.hits[0]!.versionLabel, 'v12.6');
});

test('filters accept labels or slugs; unknown values list what exists', async () => {
  const filtered = await library.search({ query: 'NOT_READY', product: 'phone', version: '12.5(1)' });
  assert.ok(filtered.hits.length > 0);
  assert.ok(filtered.hits.every((h) => h.versionLabel === '12.5(1)'));
  const bySlug = await library.search({ query: 'NOT_READY', version: '12.5-1' });
  assert.deepEqual(bySlug.hits.map((h) => h.chunkId), filtered.hits.map((h) => h.chunkId));
  assert.equal((await library.search({ query: 'BGP', vendor: 'zeta' })).hits[0]!.product, 'router');
  await assert.rejects(
    library.search({ query: 'x', product: 'phone', version: '13.0' }),
    (e: unknown) => e instanceof LibraryError && e.code === 'not_found' && /Available versions of phone: 12\.6 SU2, v12\.6, 12\.5\(1\)/.test(e.message),
  );
  await assert.rejects(library.search({ query: 'x', vendor: 'nobody' }), /Available vendors: acme, zeta/);
});

test('all versions: identical passages fold with "also in", different ones stay apart', async () => {
  const response = await library.search({ query: 'LOGOUT state', versions: 'all', limit: 20 });
  const states = response.hits.filter((h) => h.headingPath.includes('Agent states'));
  assert.equal(states.length, 1);
  assert.equal(states[0]!.alsoIn.length, 2);
  const reasonsResponse = await library.search({ query: 'reason codes administrator', versions: 'all', limit: 20 });
  const reasons = reasonsResponse.hits.filter((h) => h.headingPath.includes('Reason codes'));
  assert.ok(reasons.length >= 2, 'the changed Reason codes sections are not folded away');
});

test('re-adding is a no-op; a changed file replaces the old one with stable ids', async () => {
  const again = await library.add(library.plan([sources]));
  assert.ok(again.every((r) => r.status === 'unchanged'));
  const file = write('zeta/router/9.1/notes.txt', 'Release notes\n\nThe router supports BGP graceful restart and ECMP with 128 paths.\n');
  const [updated] = await library.add(library.plan([file]));
  assert.equal(updated!.status, 'updated');
  const view = library.chunk('router::9.1::notes::notes::0');
  assert.match(view.chunk.text, /128 paths/);
  assert.deepEqual(library.verify(), []);
});

test('a failure while indexing leaves the previous document in place, on disk and in the index', async () => {
  const file = write('zeta/router/9.1/notes.txt', 'Release notes\n\nCompletely rewritten notes about OSPF.\n');
  const store = (library as unknown as { store: { replaceDocument: (...args: unknown[]) => void } }).store;
  const original = store.replaceDocument;
  store.replaceDocument = () => {
    throw new Error('disk full (simulated)');
  };
  try {
    const [failed] = await library.add(library.plan([file]));
    assert.equal(failed!.status, 'failed');
    assert.match(failed!.error!, /disk full/);
  } finally {
    store.replaceDocument = original;
  }
  assert.match(library.chunk('router::9.1::notes::notes::0').chunk.text, /128 paths/);
  const onDisk = fs.readFileSync(path.join(root, 'data', 'library', 'router', '9.1', 'notes', 'notes.md'), 'utf8');
  assert.match(onDisk, /128 paths/);
  assert.deepEqual(library.verify(), []);
  assert.deepEqual(fs.readdirSync(path.join(root, 'data', 'tmp')), []);
});

test('a product belongs to one vendor', async () => {
  const file = write('other/phone/1.0/x.md', '# X\n\ntext');
  const [result] = await library.add(library.plan([file]));
  assert.equal(result!.status, 'failed');
  assert.match(result!.error!, /product "phone" already belongs to vendor "acme"/);
});

test('text windows page through a document with continuation', () => {
  const docId = 'phone::12.5-1::guide::guide';
  const first = library.textWindow(docId, { maxChars: 200 });
  assert.ok(first.truncated);
  assert.match(first.text, /^<!-- page 1 -->/);
  const second = library.textWindow(docId, { start: first.nextStart!, maxChars: 200 });
  assert.equal(second.start, first.nextStart);
  assert.ok(!second.text.startsWith(first.text.slice(0, 20)));
  assert.throws(() => library.textWindow(docId, { page: 7 }), /has no page 7/);
  assert.equal(library.outline(docId).entries[1]!.text, 'Agent states');
});

test('remove takes a version or a product and cleans up its files', async () => {
  const before = library.tree();
  assert.equal(library.tree(), before, 'the whole tree is built once per library change');
  assert.ok(Object.isFrozen(before.vendors[0]!.products[0]!.versions), 'the shared tree cannot be edited by a caller');
  const removed = await library.remove({ product: 'phone', version: 'v12.6' });
  const after = library.tree();
  assert.notEqual(after, before, 'a change rebuilds it');
  assert.ok(!after.vendors.flatMap((v) => v.products).some((p) => p.versions.some((v) => v.label === 'v12.6')));
  assert.equal(after.documents, before.documents - 1);
  assert.equal(removed.length, 1);
  assert.ok(!fs.existsSync(path.join(root, 'data', 'library', 'phone', 'v12.6')));
  await assert.rejects(library.remove({ product: 'phone', version: 'v12.6' }), /nothing in the library matches/);
  assert.deepEqual(library.verify(), []);
});

test('the size is counted once per library change, never from the catalog, and a page of documents makes only that page', async () => {
  const store = (library as unknown as { store: { documents: () => unknown[]; documentTotals: () => unknown } }).store;
  const { documents, documentTotals } = store;
  let reads = 0;
  let counts = 0;
  store.documents = (...args: []) => {
    reads++;
    return documents.apply(store, args);
  };
  store.documentTotals = () => {
    counts++;
    return documentTotals.apply(store);
  };
  const sum = () => library.documents().reduce((n, d) => n + d.chunkCount, 0);
  try {
    const before = library.size();
    library.size();
    assert.equal(reads, 0, 'the catalog is not read for a size');
    assert.equal(counts, 1, 'counted once while nothing changed');
    assert.deepEqual(before, { documents: library.documents().length, chunks: sum() });
    write('zeta/router/9.2/notes.txt', 'Release notes\n\nThe router adds BFD for static routes.\n');
    await library.add(library.plan([path.join(sources, 'zeta/router/9.2/notes.txt')]));
    const after = library.size();
    assert.equal(counts, 2);
    assert.equal(after.documents, before.documents + 1, 'a change is counted');
    assert.equal(after.chunks, sum());
  } finally {
    store.documents = documents;
    store.documentTotals = documentTotals;
  }
  const all = library.documents({ vendor: 'acme' });
  const page = library.documentPage({ vendor: 'acme' }, 1, 1);
  assert.deepEqual(page, { documents: all.slice(1, 2), total: all.length });
});

test('the shelves are the tree without its documents, counted by the store: never from the catalog, once per change', async () => {
  const strip = (tree: ReturnType<Library['tree']>) => ({
    ...tree,
    vendors: tree.vendors.map((v) => ({ ...v, products: v.products.map((p) => ({ ...p, versions: p.versions.map(({ documents: _documents, ...version }) => version) })) })),
  });
  const tree = library.tree();
  const catalog = countCatalogReads();
  try {
    // Labels spelled apart within one version keep the first document's, as the tree does.
    write('ACME/Phone/12.5(1)/Another Guide.md', guide('12.5(1)'));
    write('ACME/Phone/12.5(1)/A Guide.md', guide('12.5(1)'));
    await library.add(library.plan([path.join(sources, 'ACME')]));
    assert.ok(library.documents().some((d) => d.vendorLabel === 'ACME'), 'a label spelled apart is kept as spelled');
    catalog.reads = 0;
    const shelves = library.shelves();
    assert.equal(library.shelves(), shelves, 'built once while nothing changed');
    assert.ok(Object.isFrozen(shelves.vendors[0]!.products), 'shared, so frozen');
    assert.equal(catalog.reads, 0, 'the catalog is not read for the shelves');
    assert.notEqual(library.tree(), tree);
    assert.deepEqual(shelves, strip(library.tree()));
    // Narrowed by vendor or product; an unknown one is the filters' usual error.
    const acme = library.shelves({ vendor: 'acme' });
    assert.deepEqual(acme, strip(library.tree({ vendor: 'acme' })));
    assert.deepEqual(library.shelves({ product: 'router' }).vendors.map((v) => v.vendor), ['zeta']);
    assert.throws(() => library.shelves({ product: 'nosuch' }), /product "nosuch" is not in the library/);
    assert.equal(catalog.reads, 0, 'neither the shelves nor the trees compared with read the catalog');
    // A listing past its bound is the shelves, within it the tree.
    assert.equal(library.listing({}, 1), library.shelves());
    assert.equal(library.listing({}, 1000), library.tree());
  } finally {
    catalog.restore();
  }
});

test('the tree is built from document summaries, not the catalog, and a filtered tree is the whole one cut as building it from the documents would', async () => {
  const catalog = countCatalogReads();
  const trees: { filter: Parameters<Library['tree']>[0]; tree?: ReturnType<Library['tree']>; error?: string }[] = [];
  try {
    for (const filter of [{}, { vendor: 'acme' }, { product: 'router' }, { product: 'phone', version: 'latest' }, { version: '12.5(1)' }, { product: 'phone', version: '12.6 SU2', collection: 'docs' }, { document: 'notes' }, { product: 'phone', version: 'v12.6' }]) {
      try {
        trees.push({ filter, tree: library.tree(filter) });
      } catch (error) {
        assert.ok(error instanceof LibraryError && error.code === 'not_found', String(error));
        trees.push({ filter, error: error.message });
      }
    }
    assert.throws(() => library.tree({ product: 'nosuch' }), /product "nosuch" is not in the library/);
    assert.equal(catalog.reads, 0, 'no tree read the catalog');
  } finally {
    catalog.restore();
  }
  assert.ok(trees.filter((t) => t.tree).length >= 5);
  // A filtered tree names vendors, products and versions as the whole library does (the labels of
  // their first documents), where one built of the selected documents took the first selected one's:
  // "ACME" and "acme" are one vendor, and its name does not change with the filter.
  const whole = library.tree();
  const asInWhole = (tree: ReturnType<Library['tree']>) => ({
    ...tree,
    vendors: tree.vendors.map((v) => {
      const wv = whole.vendors.find((w) => w.vendor === v.vendor)!;
      return {
        ...v, label: wv.label, products: v.products.map((p) => {
          const wp = wv.products.find((w) => w.product === p.product)!;
          return { ...p, label: wp.label, versions: p.versions.map((ver) => ({ ...ver, label: wp.versions.find((w) => w.version === ver.version)!.label })) };
        }),
      };
    }),
  });
  for (const { filter, tree, error } of trees) {
    if (tree) assert.deepEqual(tree, asInWhole(buildTree(library.documents(filter))), JSON.stringify(filter));
    else assert.throws(() => library.documents(filter), (thrown: Error) => thrown.message === error);
  }
});

/** Counts the store's reads of the whole catalog (documents()) until restored. */
function countCatalogReads(): { reads: number; restore: () => void } {
  const store = (library as unknown as { store: { documents: () => unknown[] } }).store;
  const { documents } = store;
  const counter = {
    reads: 0,
    restore: () => {
      store.documents = documents;
    },
  };
  store.documents = (...args: []) => {
    counter.reads++;
    return documents.apply(store, args);
  };
  return counter;
}
