import fs from 'node:fs';
import path from 'node:path';
import { loadConfig } from '../../src/config/config.js';
import { dataDirAt } from '../../src/library/data-dir.js';
import { serializeDocumentFile } from '../../src/library/document-file.js';
import { chunkIdOf, documentIdOf, sourcePathOf } from '../../src/library/ids.js';
import { sha256 } from '../../src/library/library-files.js';
import type { DocumentKey, DocumentMeta, Page } from '../../src/library/model.js';
import { Library } from '../../src/service/library.js';
import { SqliteStore } from '../../src/store/sqlite/sqlite-store.js';
import type { ChunkToIndex } from '../../src/store/store.js';

/**
 * Very large documents for the tests and benchmark of bounded responses: a page of tens of MB of
 * Markdown, or hundreds of thousands of headings. Converting and chunking them through the real
 * pipeline takes minutes, and what is under test is reading them, so the Markdown file and its
 * index rows are written directly (the file is a real document file, and `check` agrees with it);
 * chunks are the page cut into slices of `chunkChars`, as the chunker cuts long paragraphs.
 */
export interface HugeDocument {
  docId: string;
  /** Characters of Markdown in the whole document. */
  chars: number;
  chunks: number;
}

const WORDS = ['router', 'switch', 'license', 'cluster', 'upgrade', 'install', 'interface', 'policy', 'tunnel', 'certificate', 'gateway', 'session'];

/** Lines of prose, `chars` characters in all, with an `## Section n` heading every `headingEvery` lines (never when 0). */
export function hugeMarkdown(chars: number, headingEvery = 0): string {
  const lines: string[] = [];
  let length = 0;
  for (let i = 0; length < chars; i++) {
    const line = headingEvery > 0 && i % headingEvery === 0
      ? `## Section ${i / headingEvery + 1}`
      : Array.from({ length: 12 }, (_, j) => WORDS[(i * 7 + j * 5) % WORDS.length]).join(' ') + '.';
    lines.push(line);
    length += line.length + 1;
  }
  return lines.join('\n');
}

/** Writes one document of `pages` into the library at `dataDir` (created if needed, lexical only). */
export async function writeHugeDocument(
  dataDir: string, document: string, pages: Page[], chunkChars = 2000, format: 'markdown' | 'pdf' = 'markdown',
): Promise<HugeDocument> {
  // Opening the library once creates and marks the data directory and records "no embedder".
  await (await Library.open(loadConfig({ data: dataDir, embedder: 'none' }, {}), 'write')).close();
  const dir = dataDirAt(dataDir);
  const key: DocumentKey = { product: 'huge', version: '1', collection: document, document };
  const meta: DocumentMeta = {
    key, vendor: 'test', vendorLabel: 'Test', productLabel: 'huge', versionLabel: '1', collectionLabel: document, documentLabel: document,
    title: document, sourcePath: sourcePathOf(key), originalFile: `${document}.${format === 'pdf' ? 'pdf' : 'md'}`, format, contentHash: sha256(document),
    pageCount: pages.length, convertedAt: new Date().toISOString(),
  };
  const chunks: ChunkToIndex[] = [];
  for (const page of pages) {
    for (let start = 0; start < page.markdown.length; start += chunkChars) {
      const ordinal = chunks.length;
      const text = page.markdown.slice(start, start + chunkChars);
      chunks.push({
        chunk: { id: chunkIdOf(key, ordinal), ordinal, page: page.number, pageEnd: page.number, headingPath: [], text, tokenCount: Math.ceil(text.length / 5) },
        embedHash: '',
        vector: null,
      });
    }
  }
  const text = serializeDocumentFile(meta, pages);
  const file = path.join(dir.libraryDir, meta.sourcePath);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, text);
  const store = new SqliteStore(dir.indexFile);
  try {
    store.replaceDocument(meta, sha256(text), pages, chunks);
  } finally {
    store.close();
  }
  return { docId: documentIdOf(key), chars: pages.reduce((n, p) => n + p.markdown.length, 0), chunks: chunks.length };
}
