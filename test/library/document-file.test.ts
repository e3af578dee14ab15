import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DocumentFileError, parseDocumentFile, serializeDocumentFile } from '../../src/library/document-file.js';
import type { DocumentMeta, Page } from '../../src/library/model.js';

const meta: DocumentMeta = {
  key: { product: 'finesse', version: 'v12.5', collection: 'developer-guide', document: 'developer-guide' },
  vendor: 'cisco', vendorLabel: 'Cisco', productLabel: 'Finesse', versionLabel: 'v12.5',
  title: 'Cisco Finesse "Web Services" Developer Guide', sourcePath: 'finesse/v12.5/developer-guide/developer-guide.md',
  originalFile: '/docs/guide.pdf', format: 'pdf', contentHash: 'abc', pageCount: 3, convertedAt: '2026-11-24T00:00:00.000Z',
};
const pages: Page[] = [
  { number: 1, label: 'i', markdown: '# Title\n\nIntro text.' },
  { number: 2, markdown: '' },
  { number: 3, label: '43 "x"', markdown: '## State\n\n| a | b |\n|---|---|\n| 1 | 2 |' },
];

test('a document file round-trips exactly', () => {
  const text = serializeDocumentFile(meta, pages);
  assert.match(text, /<!-- page 3 label="43 \\"x\\"" -->/);
  assert.deepEqual(parseDocumentFile(text, 'f.md'), { meta, pages });
});

test('a document\'s place in its site\'s navigation round-trips, and a malformed one is refused', () => {
  const withNavigation: DocumentMeta = { ...meta, navigation: { order: 12, trail: ['Installation', 'Upgrading "safely"'] } };
  const text = serializeDocumentFile(withNavigation, pages);
  assert.deepEqual(parseDocumentFile(text, 'f.md'), { meta: withNavigation, pages });
  assert.throws(() => parseDocumentFile(text.replace('"order":12', '"order":-1'), 'f.md'), /navigation/);
});

test('a truncated or damaged file is refused with a clear error', () => {
  const text = serializeDocumentFile(meta, pages);
  const truncated = text.slice(0, text.indexOf('<!-- page 3'));
  assert.throws(() => parseDocumentFile(truncated, 'f.md'), (e: unknown) => e instanceof DocumentFileError && /declares 3 pages but holds 2/.test(e.message));
  assert.throws(() => parseDocumentFile('no front matter', 'f.md'), /no front matter/);
  assert.throws(() => parseDocumentFile(text.replace('format: "pdf"', 'format: "docx"'), 'f.md'), /unknown format/);
});

test('a document\'s origin (a URL with its validators) round-trips, and a malformed one is refused', () => {
  const fromUrl: DocumentMeta = {
    ...meta,
    originalFile: 'https://docs.example.com/guide.pdf#intro',
    origin: { kind: 'url', url: 'https://docs.example.com/guide.pdf', etag: '"abc"', lastModified: 'Tue, 01 Dec 2026 10:00:00 GMT', site: 'https://docs.example.com/' },
  };
  const text = serializeDocumentFile(fromUrl, pages);
  assert.deepEqual(parseDocumentFile(text, 'f.md'), { meta: fromUrl, pages });
  assert.throws(() => parseDocumentFile(text.replace('"kind":"url"', '"kind":"ftp"'), 'f.md'), /origin/);
});

test('an OCR page keeps its flag through the file, and files without the flag read as before', () => {
  const ocrPages: Page[] = [
    { number: 1, label: 'i', markdown: 'Typed text.' },
    { number: 2, label: '2', markdown: 'Recognised text.', ocr: true },
    { number: 3, markdown: 'Recognised, no label.', ocr: true },
  ];
  const text = serializeDocumentFile({ ...meta, pageCount: 3 }, ocrPages);
  assert.match(text, /^<!-- page 2 label="2" ocr -->$/m);
  assert.match(text, /^<!-- page 3 ocr -->$/m);
  assert.match(text, /^<!-- page 1 label="i" -->$/m);
  assert.deepEqual(parseDocumentFile(text, 'f.md').pages, ocrPages);
  // A file written before the flag existed: no page comes back marked.
  const old = serializeDocumentFile(meta, pages);
  assert.ok(parseDocumentFile(old, 'f.md').pages.every((page) => !('ocr' in page)));
});

test('page text that looks like an OCR page marker stays text', () => {
  const tricky: Page[] = [{ number: 1, markdown: '<!-- page 2 label="x" ocr -->\n\\<!-- page 3 ocr -->' }];
  const text = serializeDocumentFile({ ...meta, pageCount: 1 }, tricky);
  assert.deepEqual(parseDocumentFile(text, 'f.md').pages, tricky);
});
