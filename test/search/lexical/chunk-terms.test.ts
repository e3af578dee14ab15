import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { analyze } from '../../../src/analysis/analyzer.js';
import { LexicalIndex, type LexicalDoc } from '../../../src/search/lexical/lexical-index.js';
import { termText } from '../../../src/search/lexical/term-dictionary.js';

/**
 * A chunk's indexed terms, whether they stand in for its text (`alike`) and whether it is a table of
 * contents, read back as they were given, through merges, saving and loading.
 */
test('indexed terms and the alike and contents flags are kept through merges, saving and loading', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mcdewey-terms-'));
  try {
    const texts = ['Configure the gateway session timeout.', 'Panorama™ manages the firewalls.', 'Plain words again.', 'The “quoted” reply.'];
    const docs: LexicalDoc[] = texts.map((text, i) => ({ rowid: 10 + i, docRowid: 1 + (i % 2), fields: [['guide'], ['setup'], analyze(text)], alike: i % 2 === 0, contents: i === 1 || i === 3 }));
    docs.push({ rowid: 99, docRowid: 3, fields: [[], [], ['plain']] });
    const index = LexicalIndex.create(undefined, { mergePolicy: { mergeFactor: 2 } });
    for (const doc of docs) index.add([doc]);
    assert.throws(() => index.add([{ rowid: 100, docRowid: 3, fields: [[], [], ['x']], alike: 'yes' as never }]), /alike is not a boolean/);
    assert.throws(() => index.add([{ rowid: 100, docRowid: 3, fields: [[], [], ['x']], contents: 1 as never }]), /contents is not a boolean/);
    index.remove([12]);
    while (index.mergeStep());
    const file = path.join(dir, 'terms.idx');
    index.save(file, 'p:1');
    for (const read of [index, LexicalIndex.load(file).index]) {
      for (const doc of docs) {
        const terms = read.chunkTerms(doc.rowid);
        if (doc.rowid === 12) {
          assert.equal(terms, undefined, 'removed');
          continue;
        }
        assert.ok(terms);
        assert.equal(terms.alike, doc.alike === true, `rowid ${doc.rowid}`);
        assert.equal(terms.docRowid, doc.docRowid);
        assert.equal(read.isContents(doc.rowid, doc.docRowid), doc.contents === true, `rowid ${doc.rowid}`);
        assert.equal(read.isContents(doc.rowid, doc.docRowid + 100), undefined, 'another document\'s chunk');
        assert.deepEqual([...terms.ids].map((id) => termText(terms.dictionary, id)), doc.fields.flat());
        assert.equal(read.documentOf(doc.rowid), doc.docRowid);
      }
      assert.equal(read.documentOf(12), undefined);
      assert.equal(read.isContents(12, 1), undefined, 'removed');
    }
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
