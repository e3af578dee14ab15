import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { analyze } from '../../src/analysis/analyzer.js';
import { matchedWords } from '../../src/search/snippet-words.js';
import { collapseSpaces } from '../../src/search/snippet.js';
import { corpusPath } from '../support/corpus.js';

/** What matchedWords must equal: every word analysed and looked up, no shortcut. */
function reference(plain: string, tokens: ReadonlySet<string>): [number, number][] {
  const found: [number, number][] = [];
  for (const m of plain.matchAll(/[\p{L}\p{N}]+/gu)) {
    const term = analyze(m[0])[0];
    if (term !== undefined && tokens.has(term)) found.push([m.index, m.index + m[0].length]);
  }
  return found;
}

test('a word is never ruled out by its first two letters when it analyses to a query term: every two letters before the endings stemming rewrites', () => {
  const letters = 'abcdefghijklmnopqrstuvwxyz';
  const endings = ['', 's', 'es', 'ies', 'sses', 'ed', 'eed', 'ing', 'ying', 'y', 'e', 'at', 'bl', 'iz', 'll', 'ational', 'ization', 'ness', 'ful', 'ement', 'ly', 'logi'];
  let checked = 0;
  for (const a of letters) {
    for (const b of letters) {
      for (const ending of endings) {
        for (const word of [a + b + ending, `${a.toUpperCase()}${b}${ending}`, `${a}${b}x${ending}`]) {
          const term = analyze(word)[0]!;
          assert.deepEqual(matchedWords(word, new Set([term])), [[0, word.length]], `${word} → ${term}`);
          checked++;
        }
      }
    }
  }
  assert.ok(checked > 40_000);
});

test('snippet word matching finds what analysing every word finds, over SciFact abstracts', () => {
  const lines = fs.readFileSync(corpusPath('beir', 'scifact', 'corpus.jsonl'), 'utf8').split('\n').slice(0, 1500).filter(Boolean);
  let matched = 0;
  for (const [i, line] of lines.entries()) {
    const text = (JSON.parse(line) as { text: string }).text;
    // Query terms drawn from the abstract itself and from its neighbour, so that most texts match some and miss others.
    const words = [...analyze(text), ...analyze((JSON.parse(lines[(i + 1) % lines.length]!) as { text: string }).text)];
    const tokens = new Set(words.filter((_, k) => k % 7 === i % 7));
    const found = matchedWords(text, tokens);
    assert.deepEqual(found, reference(text, tokens), `abstract ${i}`);
    matched += found.length;
    // Every word of the text as a query term on its own: none may be ruled out.
    assert.equal(matchedWords(text, new Set(analyze(text))).length, text.match(/[\p{L}\p{N}]+/gu)?.length ?? 0, `abstract ${i}`);
  }
  assert.ok(matched > 1000);
});

test('snippet word matching outside ASCII reads every word that may match', () => {
  const text = 'Über-admins set the Étage; café policies apply to aﬁx and eyed Eyes, ﬁle ﬂow, and 12.5(1) naïve façade.';
  const tokens = new Set(['über', 'etag', 'cafe', 'polici', 'afix', 'ei', 'eye', 'file', 'flow', '12', 'naiv', 'facad'].map((w) => analyze(w)[0]!));
  assert.deepEqual(matchedWords(text, tokens), reference(text, tokens));
  assert.ok(matchedWords(text, tokens).length >= 10);
});

test('spaces collapse as the regular expression collapses them, with Unicode spaces and line separators', () => {
  const pieces = ['a', 'word', ' ', '  ', '\t', '\n', '\r\n', '\u00a0', '\u2003', '\u2028', '\u3000', '\ufeff', '\u0085', '\u200b', 'é', '·'];
  let seed = 7;
  let matched = 0;
  const next = () => {
    seed ^= seed << 13;
    seed ^= seed >>> 17;
    seed ^= seed << 5;
    return seed >>> 0;
  };
  for (let i = 0; i < 3000; i++) {
    let text = '';
    for (let k = next() % 12; k > 0; k--) text += pieces[next() % pieces.length];
    assert.equal(collapseSpaces(text), text.replace(/\s+/g, ' ').trim(), JSON.stringify(text));
  }
});

test('snippet words outside ASCII are the regular expression\'s runs of letters and digits, code point by code point', () => {
  // Letters and digits outside ASCII and outside the Basic Multilingual Plane, marks (not letters),
  // a table's " · ", emoji, and lone halves of surrogate pairs.
  const pieces = ['a', 'Zeta', '7', 'é', 'e\u0301', '·', ' · ', 'ß', '中文', '٣', '𝐀', '𝟙', '😀', '\ud835', '\udc00', '-', ' ', 'ﬁle', 'İ', 'Ω'];
  let seed = 7;
  let matched = 0;
  const next = () => (seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) % pieces.length;
  for (let n = 0; n < 2000; n++) {
    let text = '';
    for (let k = 0; k < 1 + (n % 17); k++) text += pieces[next()];
    const every = new Set(analyze(text));
    const found = matchedWords(text, every);
    assert.deepEqual(found, reference(text, every), JSON.stringify(text));
    matched += found.length;
  }
  assert.ok(matched > 3000, `${matched} words matched`);
});
