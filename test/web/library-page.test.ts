import assert from 'node:assert/strict';
import { test } from 'node:test';
import { LIBRARY_PAGE_DOCUMENTS, libraryPage, OVERVIEW_VERSION_DOCUMENTS } from '../../src/web/pages/library-page.js';
import { libraryHref, parseLibraryParams } from '../../src/web/library-params.js';
import { buildTree } from '../../src/service/tree.js';
import type { Library } from '../../src/service/library.js';
import type { DocumentInfo } from '../../src/service/types.js';
import { LibraryError } from '../../src/library/errors.js';
import { textOf } from './web-server.js';

/** A library of `counts[product]` documents per version of each product, as the tree the page reads. */
function libraryOf(products: Record<string, { versions: string[]; documents: number; site?: boolean }>): Library {
  const documents: DocumentInfo[] = [];
  for (const [product, { versions, documents: n, site }] of Object.entries(products)) {
    for (const version of versions) {
      for (let i = 0; i < n; i++) {
        const document = `page-${String(i).padStart(4, '0')}`;
        documents.push({
          docId: `${product}::${version}::docs::${document}`, key: { product, version, collection: 'docs', document },
          vendor: 'acme', vendorLabel: 'Acme', productLabel: product, versionLabel: version,
          title: `${product} ${version} page ${i}`, sourcePath: `acme/${product}/${version}/${document}.md`, format: 'markdown', pageCount: 1, chunkCount: 3,
          ...(site ? { navigation: { order: i, trail: [`Part ${Math.floor(i / 50)}`] } } : {}),
        } as unknown as DocumentInfo);
      }
    }
  }
  const tree = buildTree(documents);
  return { tree: () => tree } as unknown as Library;
}

const docLinks = (html: string) => [...html.matchAll(/href="\/doc\/([^"]+)"/g)].map((m) => decodeURIComponent(m[1]!));
const body = (library: Library, query: Record<string, string>) => {
  const page = libraryPage(library, parseLibraryParams(query));
  assert.equal(page.status, 200);
  return page.body;
};

test('a library larger than a page lists a few documents per version, each version linking to all of its documents', () => {
  const library = libraryOf({ router: { versions: ['1.0', '2.0'], documents: 300 }, switch: { versions: ['5'], documents: 4 } });
  const html = body(library, {});
  const links = docLinks(html);
  assert.equal(links.length, 2 * OVERVIEW_VERSION_DOCUMENTS + 4, 'every version shows, each with its first documents');
  assert.ok(links.includes('switch::5::docs::page-0003'), 'a short version is listed whole');
  assert.match(html, /<a href="\/library\?product=router&amp;version=2\.0">All 300 documents of router 2\.0<\/a>/);
  assert.doesNotMatch(html, /All 4 documents of switch/);
  assert.match(html, /data-partial="true"/, 'the script is told the listing is partial');
  // A docs site cut short says how much of it is listed.
  const sites = body(libraryOf({ handbook: { versions: ['3'], documents: 450, site: true } }), {});
  assert.match(textOf(sites), /docs: 10 of 450 documents listed here in reading order/);
  assert.match(textOf(body(libraryOf({ handbook: { versions: ['3'], documents: 450, site: true } }), { product: 'handbook', page: '2' })), /docs: 50 of 450 documents listed here in reading order/);
});

test('a version or a filter with more documents than a page is paged, each page in order, with a pager', () => {
  const library = libraryOf({ router: { versions: ['1.0', '2.0'], documents: 500 } });
  const first = body(library, { product: 'router', version: '2.0' });
  assert.equal(docLinks(first).length, LIBRARY_PAGE_DOCUMENTS);
  assert.ok(docLinks(first).every((id) => id.startsWith('router::2.0::')));
  assert.match(textOf(first), /500 documents in router 2\.0\. Documents 1–400 are listed on this page\./);
  assert.match(first, /<a href="\/library\?product=router&amp;version=2\.0&amp;page=2" rel="next">Next page<\/a>/);
  const second = body(library, { product: 'router', version: '2.0', page: '2' });
  const inOrder = library.tree().vendors[0]!.products[0]!.versions.find((v) => v.version === '2.0')!.documents.map((d) => d.docId);
  assert.deepEqual(docLinks(first), inOrder.slice(0, 400));
  assert.deepEqual(docLinks(second), inOrder.slice(400), 'the rest, in the same order');
  assert.match(second, /rel="prev">Previous page<\/a>/);
  assert.doesNotMatch(second, /rel="next"/);
  // A page past the end shows the last one.
  assert.deepEqual(docLinks(body(library, { product: 'router', version: '2.0', page: '99' })), docLinks(second));

  // A filter runs over the whole library and is paged the same way, across versions.
  const filtered = body(library, { filter: 'router', page: '2' });
  const ids = docLinks(filtered);
  assert.equal(ids.length, LIBRARY_PAGE_DOCUMENTS);
  assert.ok(ids.some((id) => id.startsWith('router::2.0::')) && ids.some((id) => id.startsWith('router::1.0::')), 'the page spans the versions it falls on');
  assert.match(textOf(filtered), /1,000 documents of 1,000 match “router”\. Documents 401–800 are listed on this page\./);
  assert.match(filtered, /<span>Page 2 of 3<\/span>/);
});

test('a small library is listed whole, as before', () => {
  const html = body(libraryOf({ router: { versions: ['1.0'], documents: 30 } }), {});
  assert.equal(docLinks(html).length, 30);
  assert.doesNotMatch(html, /data-partial|class="pager"/);
});

test('bad parameters are refused with what to do, and an unknown product is not found', () => {
  const refused = (query: Record<string, string>, code: string) =>
    assert.throws(() => libraryPage(libraryOf({ router: { versions: ['1.0'], documents: 3 } }), parseLibraryParams(query)), (e: unknown) => e instanceof LibraryError && e.code === code);
  refused({ page: '0' }, 'invalid_input');
  refused({ page: 'x' }, 'invalid_input');
  refused({ version: '1.0' }, 'invalid_input');
  refused({ product: 'p'.repeat(300) }, 'invalid_input');
  refused({ product: 'nope' }, 'not_found');
  refused({ product: 'router', version: '9.9' }, 'not_found');
  assert.equal(libraryHref({ filter: 'a b', product: 'router', page: 1 }), '/library?filter=a+b&product=router');
});
