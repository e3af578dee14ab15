import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { dataDirAt } from '../../src/library/data-dir.js';
import { CHECKPOINT_CHARS, DocumentFileWindows } from '../../src/library/document-file-windows.js';
import { documentFilePath } from '../../src/library/paths.js';
import type { Page } from '../../src/library/model.js';
import { filePageText, indexPageText } from '../../src/service/page-text.js';
import { SqliteStore } from '../../src/store/sqlite/sqlite-store.js';
import type { StoredDocument } from '../../src/store/store.js';
import { hugeMarkdown, writeHugeDocument } from '../support/huge-document.js';

/**
 * A window of a huge page costs the window, not the page (issue 9's soak: every read of a window
 * of a 30 MB page re-read the whole page from SQLite, and its chunk list read and sorted every
 * chunk of the page, so a few reads a second took the server's thread). Work is counted in bytes
 * read from the document file, not in time, so the test holds on a loaded machine; every window
 * is compared with the index's own slice, so reading from the file never changes an answer.
 */

const sandbox = fs.mkdtempSync(path.join(os.tmpdir(), 'mcdewey-windows-'));
after(() => fs.rmSync(sandbox, { recursive: true, force: true }));
const MB = 1024 * 1024;

/** Deterministic starts spread over a page. */
const starts = (chars: number, count: number) => Array.from({ length: count }, (_, i) => Math.floor(((i * 7919) % count) * (chars / count)) + (i % 3));

function open(data: string, docId: string) {
  const dir = dataDirAt(data);
  const store = new SqliteStore(dir.indexFile);
  const document = store.document(docId) as StoredDocument;
  return { store, document, file: documentFilePath(dir.libraryDir, document.key) };
}

describe('window reads of an 8 MB page with non-ASCII and astral characters', () => {
  const data = path.join(sandbox, 'mixed');
  // Two-byte, three-byte and four-byte (astral) characters throughout, so checkpoints are needed.
  const markdown = hugeMarkdown(8 * MB, 40).replace(/cluster/g, 'clüster').replace(/policy/g, 'pólicy 政策').replace(/tunnel/g, 'tunnel 𝄞');
  // Mostly ASCII with a rare astral line: the layout scan counts plain blocks whole and the rest byte by byte.
  const sparse = hugeMarkdown(4 * MB, 40).split('\n').map((line, i) => (i % 3001 === 7 ? `${line} 𝄞 ü` : line)).join('\n');
  const pages: Page[] = [
    { number: 1, label: 'i', markdown: 'A short first page.\n\n## Start' }, { number: 2, markdown }, { number: 3, markdown: sparse }, { number: 4, markdown: 'The end.' },
  ];
  let docId: string;

  before(async () => {
    docId = (await writeHugeDocument(data, 'mixed', pages, 2000, 'pdf')).docId;
  });

  test('20 windows read after the first cost about 20 windows of bytes, and match the index exactly', async () => {
    const { store, document, file } = open(data, docId);
    try {
      const windows = new DocumentFileWindows();
      const text = filePageText(store, document, { file }, windows);
      const index = indexPageText(store, document);
      // The first read finds no layout: the index answers while the file is scanned in the background.
      const first = text.pageSlice(2, 0, 50_000)!;
      assert.deepEqual(first, index.pageSlice(2, 0, 50_000));
      assert.equal(windows.bytesRead, 0, 'the first read does not read the file');
      await windows.settled();
      assert.equal(windows.scans, 1);
      const fileBytes = fs.statSync(file).size;
      assert.ok(windows.bytesRead >= fileBytes, 'the background scan read the file once');
      const afterScan = windows.bytesRead;
      const length = 50_000;
      for (const start of starts(first.chars, 20)) {
        assert.deepEqual(text.pageSlice(2, start, length), index.pageSlice(2, start, length), `window at ${start}`);
      }
      const perWindow = (windows.bytesRead - afterScan) / 20;
      // At most the skipped part of a checkpoint and the window, 4 bytes a character at worst.
      assert.ok(perWindow <= (CHECKPOINT_CHARS + length) * 4, `${perWindow} bytes a window`);
      assert.ok(perWindow < fileBytes / 20, `a window read ${perWindow} bytes of a ${fileBytes}-byte file`);
      assert.equal(windows.scans, 1, 'the layout is built once per document version');
      // Page lengths and labels, and a page's pieces, agree with the index too.
      assert.deepEqual(text.pageLengths(), index.pageLengths());
      assert.equal([...text.pagePieces(2, first.chars)].join(''), [...index.pagePieces(2, first.chars)].join(''));
      assert.deepEqual(text.pageSlice(1, 3, 10), index.pageSlice(1, 3, 10));
      assert.deepEqual(text.pageSlice(4, 0, 100), index.pageSlice(4, 0, 100));
      assert.deepEqual(text.pageSlice(2, first.chars - 5, 100), index.pageSlice(2, first.chars - 5, 100));
      const sparseChars = index.pageSlice(3, 0, 1)!.chars;
      for (const start of starts(sparseChars, 20)) {
        assert.deepEqual(text.pageSlice(3, start, 1000), index.pageSlice(3, start, 1000), `sparse page window at ${start}`);
      }
      assert.equal(text.pageSlice(5, 0, 100), undefined);
      assert.equal(windows.scans, 1);
    } finally {
      store.close();
    }
  });

  test('a page window through the Library lists the chunks covering it, as a scan of every chunk does', async () => {
    const { store, document } = open(data, docId);
    try {
      const all = store.chunksByOrdinal(document.rowid, 0, Number.MAX_SAFE_INTEGER);
      for (const page of [1, 2, 3, 4, 5]) {
        const covering = all.filter((c) => c.page <= page && c.pageEnd >= page);
        assert.equal(store.chunksOnPageCount(document.rowid, page), covering.length, `count on page ${page}`);
        for (const offset of [0, 7, 50, covering.length - 1, covering.length + 3]) {
          const got = store.chunksOnPage(document.rowid, page, { offset, limit: 50 }).map((c) => c.ordinal);
          assert.deepEqual(got, covering.slice(Math.max(0, offset), offset + 50).map((c) => c.ordinal), `page ${page} from ${offset}`);
        }
        if (covering.length > 0) {
          const middle = covering[Math.floor(covering.length / 2)]!;
          assert.equal(store.chunksOnPageCount(document.rowid, page, middle.ordinal), Math.floor(covering.length / 2));
        }
      }
    } finally {
      store.close();
    }
  });
});

describe('pages the file holds differently from the index are read from the index', () => {
  const data = path.join(sandbox, 'differs');
  // An escaped page-marker look-alike (one more backslash in the file) and trailing space the
  // index keeps but the file trims: neither may be served from the file.
  const pages: Page[] = [
    { number: 1, markdown: 'Before\n<!-- page 7 -->\nAfter' },
    { number: 2, markdown: 'Trailing space kept by the index   ' },
    { number: 3, markdown: 'Plain text é' },
  ];
  let docId: string;

  before(async () => {
    docId = (await writeHugeDocument(data, 'differs', pages, 2000, 'pdf')).docId;
  });

  test('every window equals the index\'s, and a replaced file is not read as the old version', async () => {
    const { store, document, file } = open(data, docId);
    try {
      const windows = new DocumentFileWindows();
      const text = filePageText(store, document, { file }, windows);
      const index = indexPageText(store, document);
      assert.deepEqual(text.pageSlice(1, 0, 20), index.pageSlice(1, 0, 20));
      await windows.settled();
      for (const page of [1, 2, 3]) {
        for (const start of [0, 3, 10]) assert.deepEqual(text.pageSlice(page, start, 20), index.pageSlice(page, start, 20), `page ${page} at ${start}`);
      }
      assert.deepEqual(text.pageLengths(), index.pageLengths());
      assert.equal(windows.scans, 1);
      const before = windows.bytesRead;
      assert.deepEqual(text.pageSlice(3, 6, 5), { number: 3, chars: 12, text: 'text ' });
      assert.ok(windows.bytesRead - before <= 5 * 4, 'page 3 is read from the file');
      // Another version of the file (the index not yet updated): its bytes must not be served.
      fs.writeFileSync(file, fs.readFileSync(file, 'utf8').replace('Plain text é', 'Other text é'));
      assert.deepEqual(text.pageSlice(3, 0, 20), index.pageSlice(3, 0, 20));
      await windows.settled();
      assert.equal(windows.scans, 2, 'a changed file is scanned again');
      assert.deepEqual(text.pageSlice(3, 0, 20), index.pageSlice(3, 0, 20), 'and refused for its hash');
      assert.equal(windows.scans, 2, 'once: the refusal is kept for that version of the file');
      fs.rmSync(file);
      assert.deepEqual(text.pageSlice(3, 0, 20), index.pageSlice(3, 0, 20));
    } finally {
      store.close();
    }
  });
});
