import { test } from 'node:test';
import assert from 'node:assert/strict';
import { LibraryError } from '../../src/library/errors.js';
import { parseDocumentParams } from '../../src/web/document-params.js';
import { chunkHref, documentHref } from '../../src/http/links.js';
import { searchHref } from '../../src/web/links.js';
import { locationTitle, pageTitle } from '../../src/web/page-labels.js';
import { parseLibraryParams } from '../../src/web/library-params.js';
import { parseSearchParams } from '../../src/web/search-params.js';

const invalid = (run: () => unknown) => assert.throws(run, (e) => e instanceof LibraryError && e.code === 'invalid_input');

test('search params: trimmed query, empty filters dropped, all, infer, weak and offset parsed', () => {
  assert.deepEqual(parseSearchParams({ q: '  lambda  ', vendor: '', product: ' ftdv ', version: '6.6.0', all: '1', offset: '20' }), {
    q: 'lambda', product: 'ftdv', version: '6.6.0', all: true, infer: true, weak: false, offset: 20,
  });
  assert.deepEqual(parseSearchParams({}), { q: '', all: false, infer: true, weak: false, offset: 0 });
  assert.deepEqual(parseSearchParams({ q: 'x', infer: '0', weak: '1' }), { q: 'x', all: false, infer: false, weak: true, offset: 0 });
});

test('search params: bad offsets and oversized inputs are invalid input, not crashes', () => {
  invalid(() => parseSearchParams({ q: 'x', offset: '-1' }));
  invalid(() => parseSearchParams({ q: 'x', offset: '1e3' }));
  invalid(() => parseSearchParams({ q: 'x', offset: '999999' }));
  invalid(() => parseSearchParams({ q: 'x'.repeat(1001) }));
  invalid(() => parseSearchParams({ q: 'x', vendor: 'v'.repeat(201) }));
});

test('document params: page numbers from 1, chunk ids kept', () => {
  assert.deepEqual(parseDocumentParams({ page: '59', chunk: 'a::b::c::d::1' }), { page: 59, chunk: 'a::b::c::d::1' });
  assert.deepEqual(parseDocumentParams({ page: '' }), {});
  invalid(() => parseDocumentParams({ page: '0' }));
  invalid(() => parseDocumentParams({ page: 'abc' }));
  invalid(() => parseDocumentParams({ page: '2.5' }));
});

test('document params: section anchors and part numbers, checked', () => {
  assert.deepEqual(parseDocumentParams({ section: 'h-route-selection-2', part: '3' }), { section: 'h-route-selection-2', part: 3 });
  invalid(() => parseDocumentParams({ section: 'route-selection' }));
  invalid(() => parseDocumentParams({ section: 'h-"><script>' }));
  invalid(() => parseDocumentParams({ section: `h-${'a'.repeat(100)}` }));
  invalid(() => parseDocumentParams({ part: '0' }));
  invalid(() => parseDocumentParams({ part: 'x' }));
});

test('library params: a trimmed filter, bounded', () => {
  assert.deepEqual(parseLibraryParams({ filter: '  dcim device ' }), { filter: 'dcim device' });
  assert.deepEqual(parseLibraryParams({ filter: '   ' }), {});
  invalid(() => parseLibraryParams({ filter: 'x'.repeat(201) }));
});

test('locations: a page in a PDF, a section elsewhere', () => {
  const passage = { page: 1, headingPath: ['BGP', 'Basic Concepts', 'Route Selection'], title: 'BGP' };
  assert.equal(locationTitle({ ...passage, format: 'html' }), 'Section: Basic Concepts › Route Selection');
  assert.equal(locationTitle({ ...passage, format: 'markdown', headingPath: ['BGP'] }), 'Section: introduction');
  assert.equal(locationTitle({ ...passage, format: 'pdf', page: 59, pageLabel: '43' }), 'Page 59 · printed 43');
});

test('links keep the :: of ids readable and encode everything else', () => {
  const id = 'finesse::v12.5::developer-guide::developer-guide::43';
  assert.equal(chunkHref(id), `/chunk/${id}`);
  assert.equal(documentHref('finesse::v12.5::developer-guide::developer-guide', 59, id), `/doc/finesse::v12.5::developer-guide::developer-guide?page=59&chunk=${id}#${id}`);
  assert.equal(chunkHref('a/../b?c#d'), '/chunk/a%2F..%2Fb%3Fc%23d');
  assert.equal(searchHref({ q: 'a & b', version: '12.5(1)', all: true, offset: 10 }), '/search?q=a+%26+b&version=12.5%281%29&all=1&offset=10');
  assert.equal(searchHref({}), '/search');
});

test('page titles show the printed page label only where it differs', () => {
  assert.equal(pageTitle(59, '43'), 'Page 59 · printed 43');
  assert.equal(pageTitle(12, '12'), 'Page 12');
  assert.equal(pageTitle(3), 'Page 3');
  assert.equal(pageTitle(5, 'iv'), 'Page 5 · printed iv');
});
