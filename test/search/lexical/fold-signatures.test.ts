import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { analyze } from '../../../src/analysis/analyzer.js';
import { LexicalIndex, type LexicalDoc } from '../../../src/search/lexical/lexical-index.js';
import { readLexicalFile, writeLexicalFile, LEXICAL_FORMAT } from '../../../src/search/lexical/lexical-file.js';
import { writeArrayFile } from '../../../src/search/segments/array-file.js';
import { IndexFileError } from '../../../src/search/segments/index-file-error.js';
import { signatureOf, type Signature } from '../../../src/search/near-duplicates.js';

/**
 * Each chunk's folding signature is kept with the lexical index: given when the chunk is added
 * (signatureOf its text, what folding would compute), kept through saving, loading,
 * sharing and merges, gone with the chunk, and stored once per distinct text of a segment.
 */
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mcdewey-foldsig-'));
test.after(() => fs.rmSync(dir, { recursive: true, force: true }));

const PARAGRAPHS = [
  'Configure the management interface before you deploy the virtual appliance in the cloud.',
  'The autoscale group adds instances when the average CPU load stays above the threshold for five minutes.',
  'Release 6.6.0 adds support for 25 new instance types and removes the 2019 limits.',
  'Short.',
  'Two words',
  '',
];

const NAMES = ['', 'alpha', 'beta', 'gamma', 'delta'];

/** Documents 1..versions each hold every paragraph (plus one of their own): the same text in many versions. */
type TextDoc = LexicalDoc & { text: string };

function chunks(versions: number, firstRowid = 1): TextDoc[] {
  const docs: TextDoc[] = [];
  for (let v = 1; v <= versions; v++) {
    for (const text of [...PARAGRAPHS, `Version ${v} notes: only the ${NAMES[v]} guide says so, once, in release ${v}.`]) {
      docs.push({ rowid: firstRowid + docs.length, docRowid: v, fields: [['guide'], [], analyze(text)], signature: signatureOf(text), text });
    }
  }
  return docs;
}

function plain(signature: Signature | undefined) {
  return signature && { shingles: [...signature.shingles], minHashes: [...signature.minHashes] };
}

function assertSignatures(index: LexicalIndex, docs: readonly TextDoc[]) {
  for (const doc of docs) assert.deepEqual(plain(index.foldSignature(doc.rowid, doc.docRowid)), plain(signatureOf(doc.text)), `rowid ${doc.rowid}`);
}

function storedSignatures(index: LexicalIndex): number {
  return index.share().segments.reduce((sum, s) => sum + s.data.foldShingleStart.length - 1, 0);
}

test('a chunk added with its signature keeps it, stored once per distinct signature', () => {
  const index = LexicalIndex.create();
  const docs = chunks(4);
  index.add(docs);
  assertSignatures(index, docs);
  assert.equal(storedSignatures(index), PARAGRAPHS.length + 4, 'repeated paragraphs share one signature');
  // Another document's rowid (a snapshot behind the store), a removed chunk, an unknown rowid: none.
  assert.equal(index.foldSignature(docs[0]!.rowid, 99), undefined);
  index.remove([docs[0]!.rowid]);
  assert.equal(index.foldSignature(docs[0]!.rowid, docs[0]!.docRowid), undefined);
  assert.equal(index.foldSignature(123_456, 1), undefined);
  // Added without one: no signature, and its neighbours keep theirs.
  index.add([{ rowid: 500, docRowid: 7, fields: [[], [], ['hello']] }]);
  assert.equal(index.foldSignature(500, 7), undefined);
  assertSignatures(index, docs.slice(1));
  // What is not a signature is refused at the edge.
  for (const signature of [{ shingles: [1, 2], minHashes: new Uint32Array(32) }, { shingles: Uint32Array.of(2, 1), minHashes: new Uint32Array(32) }, { shingles: new Uint32Array(0), minHashes: new Uint32Array(3) }]) {
    assert.throws(() => index.add([{ rowid: 600, docRowid: 8, fields: [[], [], ['x']], signature: signature as never }]), /not a folding signature/);
  }
});

test('signatures survive merges, saving, loading and sharing; removed chunks leave merged segments with theirs', () => {
  const index = LexicalIndex.create(undefined, { mergePolicy: { mergeFactor: 2 } });
  const batches = [chunks(3, 1), chunks(3, 1001), chunks(2, 2001)];
  for (const batch of batches) index.add(batch);
  const removed = batches[1]!.slice(0, 5);
  index.remove(removed.map((d) => d.rowid));
  index.add([{ rowid: 9000, docRowid: 50, fields: [[], [], ['plain']] }]);
  const live = batches.flat().filter((d) => !removed.includes(d));
  assert.ok(index.segmentCount > 1);
  while (index.mergeStep());
  assert.equal(index.segmentCount, 1, 'merged into one segment');
  assertSignatures(index, live);
  assert.equal(index.foldSignature(9000, 50), undefined, 'a chunk without a signature keeps none through a merge');
  for (const d of removed) assert.equal(index.foldSignature(d.rowid, d.docRowid), undefined);
  // Merging deduplicates across the merged segments: one signature per distinct live signature
  // (texts differing only in numbers, which shingles ignore, share one).
  assert.equal(storedSignatures(index), new Set(live.map((d) => JSON.stringify(plain(signatureOf(d.text))))).size);

  const file = path.join(dir, 'merged.idx');
  index.save(file, 'p:1');
  for (const shared of [false, true]) {
    const { index: loaded } = LexicalIndex.load(file, { shared });
    assertSignatures(loaded, live);
    assertSignatures(LexicalIndex.attach(loaded.share()), live);
  }
});

test('a file from the previous format, or with signatures that do not fit its segments, is refused so that it is rebuilt', () => {
  const index = LexicalIndex.create();
  index.add(chunks(2));
  const good = path.join(dir, 'good.idx');
  index.save(good, 'p:2');
  const content = readLexicalFile(good, false);

  const previous = path.join(dir, 'previous.idx');
  writeArrayFile(previous, { kind: 'lexical', format: LEXICAL_FORMAT - 1, meta: {}, arrays: [] });
  assert.throws(() => LexicalIndex.load(previous), (e: unknown) => e instanceof IndexFileError && e.problem === 'version');

  const damaged = (name: string, change: (data: (typeof content.segments)[number]['data']) => void) => {
    const data = { ...content.segments[0]!.data };
    change(data);
    const file = path.join(dir, name);
    writeLexicalFile(file, { ...content, segments: [{ data, live: content.segments[0]!.live }] });
    assert.throws(() => LexicalIndex.load(file), (e: unknown) => e instanceof IndexFileError && e.problem === 'corrupt' && /folding signatures/.test(e.message), name);
  };
  damaged('id.idx', (d) => {
    d.foldIds = Uint32Array.from(d.foldIds);
    d.foldIds[0] = d.foldShingleStart.length - 1;
  });
  damaged('ids.idx', (d) => (d.foldIds = d.foldIds.slice(1)));
  damaged('hashes.idx', (d) => (d.foldMinHashes = d.foldMinHashes.slice(1)));
  damaged('starts.idx', (d) => (d.foldShingles = d.foldShingles.slice(1)));
});
