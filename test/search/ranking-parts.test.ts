import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyze } from '../../src/analysis/analyzer.js';
import { fuseRanks } from '../../src/search/fusion.js';
import { groupNearDuplicates, jaccard, shingles } from '../../src/search/near-duplicates.js';
import { makeSnippet, markdownToPlain } from '../../src/search/snippet.js';
import { topK } from '../../src/search/top-k.js';

test('weighted RRF lets the stronger list lead', () => {
  const lexical = [{ rowid: 1, score: 9 }, { rowid: 2, score: 5 }];
  const vector = [{ rowid: 3, score: 0.9 }, { rowid: 2, score: 0.8 }];
  const fused = fuseRanks(lexical, vector, { method: 'rrf', k: 60, lexicalWeight: 1, vectorWeight: 0.3 });
  assert.deepEqual(fused.map((r) => r.rowid), [2, 1, 3]);
  const lexicalOnly = fuseRanks(lexical, vector, { method: 'rrf', k: 60, lexicalWeight: 1, vectorWeight: 0 });
  assert.deepEqual(lexicalOnly.slice(0, 2).map((r) => r.rowid), [1, 2]);
});

test('near-identical passages of one product fold across documents (versions or revisions), never within one document', () => {
  const text = 'Deploy the Auto Scale solution with the CloudFormation template and set the parameters carefully.';
  const hits = [
    { product: 'ftdv', version: '6.7.0', document: 'ftdv::6.7.0::guide::guide', text, id: 'a' },
    { product: 'ftdv', version: '6.6.0', document: 'ftdv::6.6.0::guide::guide', text: `${text} `, id: 'b' },
    { product: 'ftdv', version: '6.7.0', document: 'ftdv::6.7.0::guide::guide', text, id: 'c' },
    { product: 'asav', version: '9.15', document: 'asav::9.15::guide::guide', text, id: 'd' },
    { product: 'ftdv', version: 'latest', document: 'ftdv::latest::guide::guide', text: 'Something else entirely about Lambda functions and logs.', id: 'e' },
    { product: 'ftdv', version: '6.7.0', document: 'ftdv::6.7.0::guide::guide-rev2', text, id: 'f' },
  ];
  assert.deepEqual(groupNearDuplicates(hits).map((g) => g.map((h) => h.id)), [['a', 'b', 'f'], ['c'], ['d'], ['e']]);
  assert.equal(jaccard(shingles('a b c d'), shingles('a b c d')), 1);
});

test('snippets centre on the query terms and report highlight ranges', () => {
  const text = `${'Filler words here. '.repeat(40)}The agent sets the state to NOT_READY with a reason code. ${'More filler. '.repeat(40)}`;
  const snippet = makeSnippet(text, new Set(['readi', 'reason']), 120);
  assert.ok(snippet.text.startsWith('…') && snippet.text.endsWith('…'));
  const marked = snippet.highlights.map(([s, e]) => snippet.text.slice(s, e));
  assert.deepEqual(marked, ['READY', 'reason']);
});

test('snippets rule words out by their first letter only where analysis keeps it: stems change endings, not beginnings', () => {
  // The property the snippet's shortcut relies on, over words whose stems change most.
  for (const word of ['Policies', 'policy', 'Yielding', 'ies', 'ying', 'agreed', 'Happily', 'sensational', 'relational', 'EEDs', 'Y2K', 'x86_64']) {
    assert.equal(analyze(word)[0]![0], word[0]!.toLowerCase(), word);
  }
  const snippet = makeSnippet('Policies apply. Über-admins and Étage too.', new Set([analyze('policy')[0]!, analyze('über')[0]!, analyze('étage')[0]!]));
  assert.deepEqual(snippet.highlights.map(([s, e]) => snippet.text.slice(s, e)), ['Policies', 'Über', 'Étage']);
});

test('topK returns the best k in order', () => {
  const items = Array.from({ length: 1000 }, (_, i) => ({ score: (i * 7919) % 1000 }));
  assert.deepEqual(topK(items, 3).map((i) => i.score), [999, 998, 997]);
  assert.deepEqual(topK(items, 0), []);
});

test('snippets show text, not Markdown syntax', () => {
  const snippet = makeSnippet('##### Input Parameters\n\n| Name | Type |\n| --- | --- |\n| `asaAdminUserPassword` | **String\\*** |', new Set(['asaadminuserpassword']));
  assert.equal(snippet.text, 'Input Parameters Name · Type asaAdminUserPassword · String*');
  assert.deepEqual(snippet.highlights.map(([s, e]) => snippet.text.slice(s, e)), ['asaAdminUserPassword']);
});

test('Markdown marks are dropped only where they are marks: at the start of a line, or paired', () => {
  const markdown = '> quoted line\n>tight quote\n- dash item\n* star item\n+ plus item\n-1 stays\n*emphasis* stays\n#hashtag stays\n####### seven\n__under__ and `code` and \\_escaped\\_ and a\\b';
  assert.equal(markdownToPlain(markdown), 'quoted line tight quote dash item star item plus item -1 stays *emphasis* stays #hashtag stays ####### seven under and code and _escaped_ and a\\b');
});

test('snippets of hostile lines take linear time', () => {
  const started = performance.now();
  makeSnippet(`${' '.repeat(20_000)}x\n${'|'.repeat(5_000)} ${' '.repeat(20_000)}y`, new Set(['x']));
  // Generous bound: the quadratic version took ~0.9 s on this input; linear takes a few ms.
  assert.ok(performance.now() - started < 300);
});
