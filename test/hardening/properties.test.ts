import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { parseDocumentFile, serializeDocumentFile } from '../../src/library/document-file.js';
import { chunkIdOf, documentIdOf, parseChunkId, parseDocumentId } from '../../src/library/ids.js';
import type { DocumentKey, DocumentMeta, Page } from '../../src/library/model.js';
import { chunkDocument, DEFAULT_CHUNKING } from '../../src/ingest/chunking/chunker.js';
import { parseAtxHeading } from '../../src/ingest/chunking/markdown-blocks.js';
import { isSlug, slugify } from '../../src/library/slug.js';

/**
 * Property-based tests (fast-check) of the invariants the library's files and ids rest on:
 *
 * - a document file round-trips: `parseDocumentFile(serializeDocumentFile(m, p))` gives back m and
 *   p (each page's trailing whitespace aside) for arbitrary metadata and page texts, including
 *   lines that start with `<!--`, `---`, `#`, lines that are exactly a page marker (escaped on
 *   write), leading indentation and any Unicode;
 * - the chunker on arbitrary Markdown: no crash, ordinals and ids sequential from 0, every chunk
 *   on a page that exists, pageEnd ≥ page, labels from the chunk's own page, and no chunk over
 *   the token limit unless a single unsplittable word forces it;
 * - `parseChunkId(chunkIdOf(k, n))` and `parseDocumentId(documentIdOf(k))` give back k and n
 *   for every slug key and ordinal;
 * - ATX heading parsing agrees with the regular expression it replaced (which backtracked
 *   cubically on long runs of spaces).
 */

const RUNS = { numRuns: 400 };

/** Lines that stress the file format and Markdown structure, mixed with arbitrary text. */
const trickyLine = fc.oneof(
  fc.constantFrom(
    '---', '--- ', '<!--', '<!-- page 2 -->', '<!-- page 7 label="iv" -->', '\\<!-- page 3 -->', '\\\\<!-- page 3 -->',
    '<!-- page x -->', '<!-- comment -->', '#', '# Heading', '###### deep', '####### seven', '```', '~~~', '', ' ', '    code',
    'title: "x"', 'page_count: 3', '|a|b|', '> quote', '- item', '1. item', '\t', '\u2028', '\r', '\ufeff',
  ),
  fc.string({ unit: 'binary', maxLength: 60 }).map((s) => s.replace(/\n/g, ' ')),
  fc.string({ unit: fc.constantFrom('#', '-', '<', '!', ' ', '>', '`', 'a', '*', '|', '\\'), maxLength: 20 }),
);
const pageText = fc.array(trickyLine, { maxLength: 12 }).map((lines) => lines.join('\n'));
const slug = fc.stringMatching(/^[a-z0-9](?:[a-z0-9._-]{0,30}[a-z0-9])?$/).filter(isSlug);
// Spread into a plain object: fast-check's records have a null prototype, which deepEqual tells apart.
const key = fc.record({ product: slug, version: slug, collection: slug, document: slug }).map((k): DocumentKey => ({ ...k }));

test('property: a document file round-trips its metadata and pages', () => {
  const anyText = fc.string({ unit: 'binary', maxLength: 40 });
  fc.assert(
    fc.property(key, anyText, anyText, fc.array(fc.record({ label: fc.option(anyText, { nil: undefined }), markdown: pageText }), { maxLength: 6 }), (k, title, label, raw) => {
      const pages: Page[] = raw.map((p, i) => ({ number: i + 1, markdown: p.markdown, ...(p.label === undefined ? {} : { label: p.label }) }));
      const meta: DocumentMeta = {
        key: k, vendor: 'vendor', vendorLabel: label, productLabel: title, versionLabel: label, title,
        sourcePath: `${k.product}/${k.version}/${k.collection}/${k.document}.md`, originalFile: `/in/${title}`, format: 'markdown',
        contentHash: 'c0ffee', pageCount: pages.length, convertedAt: '2026-11-24T00:00:00.000Z',
      };
      const parsed = parseDocumentFile(serializeDocumentFile(meta, pages), 'f.md');
      assert.deepEqual(parsed.meta, meta);
      assert.deepEqual(parsed.pages, pages.map((p) => ({ ...p, markdown: p.markdown.trimEnd() })));
    }),
    RUNS,
  );
});

test('property: the chunker never crashes, numbers chunks in order and keeps them on real pages', () => {
  const markdownPage = fc.array(fc.oneof(trickyLine, fc.lorem({ maxCount: 40, mode: 'sentences' }), fc.constantFrom('## Section', 'word '.repeat(900))), { maxLength: 25 })
    .map((lines) => lines.join('\n'));
  fc.assert(
    fc.property(key, fc.array(fc.record({ markdown: markdownPage, label: fc.option(fc.string({ maxLength: 5 }), { nil: undefined }) }), { minLength: 1, maxLength: 8 }), (k, raw) => {
      const pages: Page[] = raw.map((p, i) => ({ number: i + 1, markdown: p.markdown, ...(p.label === undefined ? {} : { label: p.label }) }));
      const chunks = chunkDocument(k, pages);
      chunks.forEach((chunk, i) => {
        assert.equal(chunk.ordinal, i);
        assert.equal(chunk.id, chunkIdOf(k, i));
        assert.ok(chunk.page >= 1 && chunk.page <= pages.length, `page ${chunk.page}`);
        assert.ok(chunk.pageEnd >= chunk.page && chunk.pageEnd <= pages.length, `pageEnd ${chunk.pageEnd}`);
        assert.equal(chunk.pageLabel, pages[chunk.page - 1]!.label);
        assert.ok(chunk.text.trim().length > 0, 'no empty chunk');
        const longestWord = Math.max(...chunk.text.split(/\s+/).map((w) => w.length));
        // A paragraph may run on across a page break, adding at most the continuation to a full chunk.
        assert.ok(chunk.tokenCount <= DEFAULT_CHUNKING.maxTokens * 2 || longestWord > 1000, `${chunk.tokenCount} tokens`);
      });
      assert.deepEqual(chunkDocument(k, pages), chunks, 'chunking is a pure function of the pages');
    }),
    { numRuns: 200 },
  );
});

test('property: chunk and document ids round-trip for every slug key and ordinal', () => {
  fc.assert(
    fc.property(key, fc.integer({ min: 0, max: 999_999_999 }), (k: DocumentKey, ordinal) => {
      assert.deepEqual(parseChunkId(chunkIdOf(k, ordinal)), { key: k, ordinal });
      assert.deepEqual(parseDocumentId(documentIdOf(k)), k);
    }),
    { numRuns: 2000 },
  );
  // Keys made by slugify from arbitrary labels, long ones included, round-trip too.
  fc.assert(
    fc.property(fc.array(fc.string({ unit: 'binary', minLength: 1, maxLength: 300 }), { minLength: 4, maxLength: 4 }), fc.nat(), (labels, ordinal) => {
      let k: DocumentKey;
      try {
        const [product, version, collection, document] = labels.map((l) => slugify(l)) as [string, string, string, string];
        k = { product, version, collection, document };
      } catch {
        return; // a label with nothing usable is refused, not turned into an id
      }
      assert.deepEqual(parseChunkId(chunkIdOf(k, ordinal % 1_000_000_000)), { key: k, ordinal: ordinal % 1_000_000_000 });
    }),
    { numRuns: 1000 },
  );
});

test('property: ATX heading parsing matches the regular expression it replaced', () => {
  const REPLACED = /^(#{1,6})\s+(.*?)\s*#*\s*$/;
  fc.assert(
    fc.property(fc.string({ unit: fc.constantFrom('#', ' ', '\t', 'a', 'C', '\r', '\u2028', '\u00a0', '.', '*'), maxLength: 30 }), (line) => {
      const match = REPLACED.exec(line);
      assert.deepEqual(parseAtxHeading(line), match ? { level: match[1]!.length, text: match[2]! } : undefined, JSON.stringify(line));
    }),
    { numRuns: 5000 },
  );
});
