import assert from 'node:assert/strict';
import { test } from 'node:test';
import { analyze } from '../../src/analysis/analyzer.js';
import { matchEvidence } from '../../src/search/match-evidence.js';
import { parseQuery } from '../../src/search/query.js';
import { matchLevel } from '../../src/search/relevance.js';
import { spelledOutTerms, withSpelledOut } from '../../src/search/short-forms.js';
import type { TermWeights } from '../../src/search/term-weights.js';
import { weighQuery } from '../../src/search/weighted-query.js';

const t = (word: string) => analyze(word)[0]!;
/** A made-up library: these words exist, with these chunk frequencies; nothing else does ("min" and "max" included). */
const FREQUENCIES: Record<string, number> = Object.fromEntries(
  Object.entries({ minimum: 30, maximum: 25, number: 200, instances: 80, group: 90, scale: 70, start: 60, configuration: 120, zero: 15, application: 90, information: 70, library: 40, specification: 20 })
    .map(([word, df]) => [t(word), df]),
);
const weights: TermWeights = {
  frequency: (term) => FREQUENCIES[term] ?? 0,
  known: (term) => (FREQUENCIES[term] ?? 0) > 0,
  idf: (term) => Math.log(1 + (1000 - (FREQUENCIES[term] ?? 0) + 0.5) / ((FREQUENCIES[term] ?? 0) + 0.5)),
};
const known = (term: string) => weights.known(term);

test('a short form in the query also searches the long form the library spells out, phrases and tokens untouched', () => {
  const text = 'What min/max does the scale group start with?';
  const parsed = parseQuery(text);
  const spelled = spelledOutTerms(parsed, text, known);
  assert.deepEqual([...spelled], [[t('minimum'), [t('min')]], [t('maximum'), [t('max')]]]);
  const ranked = withSpelledOut(parsed, spelled);
  assert.equal(ranked.terms.get(t('minimum')), 1);
  assert.equal(ranked.terms.get(t('maximum')), 1);
  assert.ok(ranked.terms.has(t('min')), 'the short form is still searched: some pages write it');
  assert.deepEqual(ranked.phrases, parsed.phrases);
  assert.deepEqual(ranked.tokens, parsed.tokens);
});

test('only short to long, only when the library holds the long form, never a long form the query already has', () => {
  assert.equal(spelledOutTerms(parseQuery('the minimum number of instances'), 'the minimum number of instances', known).size, 0, 'a long form is not read short');
  assert.equal(spelledOutTerms(parseQuery('the repo of the group'), 'the repo of the group', known).size, 0, 'the library has no "repository"');
  assert.equal(spelledOutTerms(parseQuery('config and configuration'), 'config and configuration', known).size, 0);
  assert.deepEqual([...spelledOutTerms(parseQuery('config of the group'), 'config of the group', known).keys()], [t('configuration')]);
});

test('a short form written with capitals is a name or an acronym, not a clipped word', () => {
  for (const text of ['PKG-1a config', 'the MIN of the group', 'Config of the group']) {
    const spelled = spelledOutTerms(parseQuery(text), text, known);
    assert.ok(!spelled.has(t('minimum')) && !spelled.has(t('package')), text);
    assert.equal(spelled.has(t('configuration')), text === 'PKG-1a config', text);
  }
});

test('short forms that are words of their own are not spelled out: an "app" is not always an application', () => {
  for (const text of ['deploy the function app', 'the info log level', 'copy the lib folder', 'the spec of the pod']) {
    assert.equal(spelledOutTerms(parseQuery(text), text, known).size, 0, text);
  }
});

test('the relevance floor reads a spelled-out long form as the short form it stands for', () => {
  const text = 'What min/max does the scale group start with?';
  const parsed = parseQuery(text);
  const passage = { context: ['Deploy Guide'], headingPath: [], text: 'By default, the scale group starts with the minimum and maximum number of instances as zero.' };
  const plain = matchEvidence(weighQuery(parsed, text, weights), passage);
  const read = matchEvidence(weighQuery(parsed, text, weights, new Map(), spelledOutTerms(parsed, text, known)), passage);
  assert.ok(read.windowCoverage > plain.windowCoverage, `${read.windowCoverage} > ${plain.windowCoverage}`);
  assert.equal(read.windowCoverage, 1);
  assert.equal(matchLevel(read), 'strong');
});
