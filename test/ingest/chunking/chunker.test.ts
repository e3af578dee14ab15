import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { chunkDocument, DEFAULT_CHUNKING, splitToFit } from '../../../src/ingest/chunking/chunker.js';
import { estimateTokens } from '../../../src/ingest/chunking/tokens.js';
import type { Page } from '../../../src/library/model.js';

const key = { product: 'p', version: '1', collection: 'c', document: 'd' };
const sentence = (i: number) => `Sentence number ${i} explains how the agent changes state to READY.`;
const paragraph = (n: number, from = 0) => Array.from({ length: n }, (_, i) => sentence(from + i)).join(' ');

test('chunks carry heading paths, pages and page labels, and never straddle pages', () => {
  const pages: Page[] = [
    { number: 1, label: 'i', markdown: '# Guide\n\n## States\n\nShort intro.' },
    { number: 2, label: '1', markdown: '### Ready\n\nThe agent is ready.\n\n## Calls\n\nCalls arrive.' },
  ];
  const chunks = chunkDocument(key, pages);
  assert.deepEqual(chunks.map((c) => [c.id, c.page, c.pageLabel, c.headingPath]), [
    ['p::1::c::d::0', 1, 'i', ['Guide', 'States']],
    ['p::1::c::d::1', 2, '1', ['Guide', 'States', 'Ready']],
    ['p::1::c::d::2', 2, '1', ['Guide', 'Calls']],
  ]);
  assert.match(chunks[1]!.text, /^### Ready\n\nThe agent is ready\.$/);
});

test('a paragraph that runs over a page break stays whole', () => {
  const pages: Page[] = [
    { number: 1, markdown: 'The configuration of the load balancer requires that you' },
    { number: 2, markdown: 'open port 443 first.\n\nA new paragraph.' },
  ];
  const chunks = chunkDocument(key, pages);
  assert.equal(chunks[0]!.text, 'The configuration of the load balancer requires that you open port 443 first.');
  assert.equal(chunks[0]!.page, 1);
  assert.equal(chunks[0]!.pageEnd, 2);
  assert.equal(chunks[1]!.page, 2);
});

test('headings alone at the bottom of a page move to the next page with their text', () => {
  const chunks = chunkDocument(key, [
    { number: 1, markdown: 'Body text of page one.\n\n## Next Section' },
    { number: 2, markdown: 'Text of the next section.' },
  ]);
  assert.equal(chunks.length, 2);
  assert.deepEqual(chunks[1]!.headingPath, ['Next Section']);
  assert.equal(chunks[1]!.page, 2);
  assert.match(chunks[1]!.text, /^## Next Section/);
});

test('long sections are split within the token bound; ids are stable', () => {
  const pages: Page[] = [{ number: 1, markdown: `# Long\n\n${paragraph(200)}` }];
  const chunks = chunkDocument(key, pages, { targetTokens: 120, maxTokens: 160 });
  assert.ok(chunks.length > 5);
  for (const c of chunks) assert.ok(c.tokenCount <= 160 + 10, `chunk ${c.ordinal} has ${c.tokenCount} tokens`);
  assert.deepEqual(chunkDocument(key, pages, { targetTokens: 120, maxTokens: 160 }), chunks);
});

test('fenced code keeps its fences inside one chunk', () => {
  const code = '```\nshow running-config\n\ninterface Gi0/1\n```';
  const chunks = chunkDocument(key, [{ number: 1, markdown: `Run this:\n\n${code}\n\nDone.` }]);
  assert.ok(chunks.some((c) => c.text.includes(code)));
});

test('headings with no text after them: dropped at the end of a document, its one chunk in a document of headings only', () => {
  const chunks = chunkDocument(key, [
    { number: 1, markdown: 'Body text of page one.' },
    { number: 2, markdown: '### C#\n\n### VB.NET\n\n### JavaScript' },
  ]);
  assert.deepEqual(chunks.map((c) => [c.text, c.page, c.headingPath]), [['Body text of page one.', 1, []]]);
  const onlyHeadings = chunkDocument(key, [{ number: 1, markdown: '# Release Notes' }, { number: 2, markdown: '## 12.5' }]);
  assert.deepEqual(onlyHeadings.map((c) => [c.text, c.page, c.headingPath]), [['# Release Notes\n\n## 12.5', 2, ['Release Notes', '12.5']]]);
});

test('property: chunking loses no words and respects the bound', () => {
  fc.assert(
    fc.property(fc.array(fc.array(fc.nat(300), { minLength: 1, maxLength: 12 }), { minLength: 1, maxLength: 6 }), (layout) => {
      let n = 0;
      const pages: Page[] = layout.map((paras, p) => ({
        number: p + 1,
        markdown: paras.map((len) => (len % 7 === 0 ? `## H${n++}` : paragraph(1 + (len % 25), (n += 30)))).join('\n\n'),
      }));
      const chunks = chunkDocument(key, pages, { targetTokens: 100, maxTokens: 150 });
      const words = (s: string) => s.replace(/#+ /g, '').split(/\s+/).filter(Boolean);
      const source = pages.flatMap((p) => words(p.markdown));
      const chunked = chunks.flatMap((c) => words(c.text));
      // Every word is in a chunk, once, in the document's order, but for headings with no text after
      // them at the end of a document that has text (empty sections).
      const blocks = pages.flatMap((p) => p.markdown.split('\n\n'));
      const lastText = blocks.findLastIndex((b) => !b.startsWith('## '));
      const kept = lastText < 0 ? blocks : blocks.slice(0, lastText + 1);
      assert.deepEqual(chunked, kept.flatMap(words));
      for (const c of chunks) {
        assert.ok(c.tokenCount <= 150 + 12);
        assert.ok(c.page <= c.pageEnd);
      }
      assert.deepEqual(chunks.map((c) => c.ordinal), chunks.map((_, i) => i));
    }),
    { numRuns: 200 },
  );
});

test('splitToFit falls back to words for a sentence with no end', () => {
  const pieces = splitToFit(Array.from({ length: 500 }, (_, i) => `w${i}`).join(' '), 50);
  assert.ok(pieces.length >= 10);
  for (const p of pieces) assert.ok(estimateTokens(p) <= 50);
});

const table = (rows: number) =>
  ['| Parameter | Description |', '| --- | --- |', ...Array.from({ length: rows }, (_, i) => `| Param${i} | ${sentence(i)} |`)].join('\n');

test('a table keeps its caption, even when the text before them fills a chunk', () => {
  const chunks = chunkDocument(key, [{ number: 1, markdown: `# Setup\n\n${paragraph(18)}\n\nTable 2: Auto Scale Input Parameters\n\n${table(12)}` }]);
  const withTable = chunks.find((c) => c.text.includes('| Param0 |'))!;
  assert.match(withTable.text, /^Table 2: Auto Scale Input Parameters\n\n\| Parameter \| Description \|/);
  assert.ok(chunks.every((c) => c === withTable || !c.text.includes('Table 2:')), 'the caption is in no other chunk');
  assert.deepEqual(withTable.headingPath, ['Setup']);
  for (const chunk of chunks) assert.ok(chunk.tokenCount <= DEFAULT_CHUNKING.maxTokens, `${chunk.tokenCount} tokens`);
});

test('a caption at the bottom of a page goes with its table at the top of the next', () => {
  const chunks = chunkDocument(key, [
    { number: 4, markdown: `${paragraph(6)}\n\nTable 1: Required Ports` },
    { number: 5, markdown: `${table(3)}\n\nAfter the table.` },
  ]);
  const withTable = chunks.find((c) => c.text.includes('| Param0 |'))!;
  assert.match(withTable.text, /^Table 1: Required Ports\n\n\| Parameter/);
  assert.deepEqual([withTable.page, withTable.pageEnd], [4, 5]);
  assert.ok(!chunks[0]!.text.includes('Table 1:'), 'the text before it is a chunk of its own');
  assert.deepEqual([chunks[0]!.page, chunks[0]!.pageEnd], [4, 4]);
});

test('a paragraph that only mentions a table is no caption', () => {
  const chunks = chunkDocument(key, [{ number: 1, markdown: `${paragraph(18)}\n\nThe following table lists the ports you open.\n\n${table(12)}` }]);
  assert.ok(chunks[0]!.text.endsWith('The following table lists the ports you open.'));
});
