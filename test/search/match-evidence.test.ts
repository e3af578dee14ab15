import assert from 'node:assert/strict';
import { test } from 'node:test';
import { analyze } from '../../src/analysis/analyzer.js';
import { analysedAlike, frameOf, indexedIdentifiersFound, indexedMatchEvidence, matchEvidence, queryIds, windowChars } from '../../src/search/match-evidence.js';
import { LexicalIndex } from '../../src/search/lexical/lexical-index.js';
import { findTerm, termKey, termText } from '../../src/search/lexical/term-dictionary.js';
import { pageAt, pageStarts } from '../../src/search/passage-pages.js';
import { parseQuery } from '../../src/search/query.js';
import { matchLevel } from '../../src/search/relevance.js';
import { correction } from '../../src/search/spelling.js';
import type { TermWeights } from '../../src/search/term-weights.js';
import { weighQuery } from '../../src/search/weighted-query.js';

/** Term statistics of a made-up library: these words exist, with these chunk frequencies; nothing else does. */
const FREQUENCIES: Record<string, number> = Object.fromEntries(
  Object.entries({
    health: 40, monitor: 30, disable: 20, turn: 50, off: 60, target: 25, group: 80, port: 90, auto: 70, scale: 70,
    autoscale: 15, supposed: 5, firewall: 100, reach: 30, web: 200, interface: 150, lambda: 12, alarm: 18, enabled: 9,
    load: 40, balancer: 30, instance: 50, targets: 25, situation: 8, demanding: 3, manual: 35, effort: 6, maintenance: 22,
  }).map(([word, df]) => [analyze(word)[0]!, df]),
);
const CHUNKS = 1000;
const weights: TermWeights = {
  frequency: (term) => FREQUENCIES[term] ?? 0,
  known: (term) => (FREQUENCIES[term] ?? 0) > 0,
  idf: (term) => {
    const df = FREQUENCIES[term] ?? 0;
    return Math.log(1 + (CHUNKS - df + 0.5) / (df + 0.5));
  },
};
const query = (text: string) => weighQuery(parseQuery(text), text, weights);
const evidence = (q: string, text: string, headingPath: string[] = []) => matchEvidence(query(q), { context: ['Deploy Guide', 'acme'], headingPath, text });

test('function words of a question do not count: "how do I" is not what it asks about', () => {
  const q = query('How do I turn off the health monitor?');
  assert.deepEqual([...q.weights.keys()].sort(), ['health', 'monitor', 'off', 'turn']);
  assert.equal(evidence('How do I turn off the health monitor?', 'To turn off the health monitor, clear its check box.').windowCoverage, 1);
});

test('the densest window decides: the same words scattered over a long passage match less', () => {
  const filler = 'The appliance keeps running while you read this sentence about nothing in particular. '.repeat(8);
  const together = evidence('turn off the health monitor', `${filler} To turn off the health monitor, clear the box. ${filler}`);
  const scattered = evidence('turn off the health monitor', `Turn the key. ${filler} The off switch. ${filler} Health. ${filler} The monitor.`);
  assert.equal(together.windowCoverage, 1);
  assert.equal(scattered.coverage, 1);
  assert.ok(scattered.windowCoverage < 0.6, String(scattered.windowCoverage));
  assert.equal(matchLevel(together), 'strong');
  assert.notEqual(matchLevel(scattered), 'strong');
});

test('a question whose words spread past one window is a partial match from about a third of its weight in one window', () => {
  const spread = { coverage: 0.45, windowCoverage: 0.37, identifiersFound: 0, identifiersAsked: 0, rarestFound: true, verbatim: false, lacking: false, question: true, tokens: [0, 40] as [number, number] };
  assert.equal(matchLevel(spread), 'partial');
  assert.equal(matchLevel({ ...spread, windowCoverage: 0.3 }), 'weak');
});

test('a statement says several things at once: a partial match from a quarter of its weight in one window, unless it holds a word the library lacks', () => {
  const claim = { coverage: 0.45, windowCoverage: 0.3, identifiersFound: 0, identifiersAsked: 0, rarestFound: true, verbatim: false, lacking: false, question: false, tokens: [0, 40] as [number, number] };
  assert.equal(matchLevel(claim), 'partial');
  assert.equal(matchLevel({ ...claim, windowCoverage: 0.2 }), 'weak');
  assert.equal(matchLevel({ ...claim, lacking: true }), 'weak');
  // Spread that far, it is never strong, whatever identifiers it holds.
  assert.equal(matchLevel({ ...claim, identifiersAsked: 1, identifiersFound: 1 }), 'partial');
  // What the query is comes from its words: a question mark, or a first word that opens a question.
  assert.equal(query('APOE4 increases tau phosphorylation in neurons.').question, false);
  assert.equal(query('health monitor probe interval').question, false);
  assert.equal(query('how to turn off the health monitor').question, true);
  assert.equal(query('the health monitor: on or off?').question, true);
});

test('a statement is a strong match only when one window holds nearly all of it; a question, when it holds most of it', () => {
  const together = { coverage: 0.8, windowCoverage: 0.75, identifiersFound: 0, identifiersAsked: 0, rarestFound: true, verbatim: false, lacking: false, question: true, tokens: [0, 40] as [number, number] };
  assert.equal(matchLevel(together), 'strong');
  // The same passage for a claim: the quarter it lacks may be the subject the claim is about.
  assert.equal(matchLevel({ ...together, question: false }), 'partial');
  assert.equal(matchLevel({ ...together, question: false, windowCoverage: 0.95 }), 'strong');
  assert.equal(matchLevel({ ...together, question: false, windowCoverage: 0.95, rarestFound: false }), 'partial');
});

test('the window is where the matching text is', () => {
  const text = `${'Unrelated words fill this part of the passage. '.repeat(10)}Turn off the health monitor here.`;
  const window = windowChars(text, evidence('turn off health monitor', text).tokens);
  assert.equal(text.slice(window[0], window[1]), 'Turn off the health monitor');
});

test('compounds match written apart or together', () => {
  assert.equal(evidence('autoscale target group', 'The auto scale target group holds the firewalls.').windowCoverage, 1);
  assert.equal(evidence('auto scale target group', 'The autoscale target group holds the firewalls.').windowCoverage, 1);
});

test('a misspelt word counts as the word it misspells; a word the library lacks counts against every passage', () => {
  const misspelt = query('how am I suposed to reach the web interface');
  assert.ok(misspelt.weights.has(analyze('supposed')[0]!));
  assert.deepEqual(misspelt.unknown, []);
  assert.equal(correction('suposed', weights.frequency), analyze('supposed')[0]);
  assert.equal(correction('terraform', weights.frequency), undefined);

  const lacking = query('terraform module for the health monitor');
  assert.deepEqual(lacking.unknown, ['terraform', 'module']);
  const e = evidence('terraform module for the health monitor', 'The health monitor probes every port.');
  assert.ok(e.windowCoverage < 0.5, String(e.windowCoverage));
  assert.equal(matchLevel(e), 'weak');
});

test('identifiers and the frame: headings and labels count wherever the window is', () => {
  const e = evidence('lambda health_monitor_enabled', 'Set health_monitor_enabled to false.', ['Lambda settings']);
  assert.equal(e.identifiersAsked, 1);
  assert.equal(e.identifiersFound, 1);
  assert.equal(e.windowCoverage, 1);
  // A hyphenated product name is no identifier.
  assert.equal(query('VM-Series firewall').identifiers.length, 0);
  // Letters hyphenated to digits are: an issue key, a region.
  assert.deepEqual(query('Known issue HYPI-30 in us-east-1').identifiers, [analyze('HYPI-30'), analyze('us-east-1')]);
  const issue = evidence('what does HYPI-30 mean for the region', 'HYPI-30: verify that the region supports Lambda.');
  assert.deepEqual([issue.identifiersFound, issue.identifiersAsked], [1, 1]);
});

test('a passage without an identifier the query names is at best partial, however many of its words it holds', () => {
  // Another issue of the same list: every other word is there, the asked issue is not.
  const other = evidence('what does HYPI-30 mean for the region', 'HYPI-31: what the region means for Lambda does not change.');
  assert.deepEqual([other.identifiersFound, other.identifiersAsked], [0, 1]);
  // Even with all of its weight in one window and its rarest word present.
  assert.equal(matchLevel({ ...other, windowCoverage: 1, coverage: 1, rarestFound: true }), 'partial');
  assert.equal(matchLevel({ ...other, windowCoverage: 1, coverage: 1, rarestFound: true, identifiersFound: 1 }), 'strong');
});

test('a chunk running over a page break cites the page its best match is on', () => {
  const text = 'Because the load balancer does not allow instance targets, the interface IP is registered. Hence the solution handles both of these tasks. But in maintenance there could be a situation demanding manual effort.';
  const starts = pageStarts(text, [{ number: 39, markdown: 'both of these tasks. But in maintenance there could be a situation demanding manual effort.\n\n## Next section\n' }]);
  assert.deepEqual(starts, [{ page: 39, offset: text.indexOf('both of these tasks') }]);
  const at = (q: string) => {
    const [start, end] = windowChars(text, matchEvidence(query(q), { context: [], headingPath: [], text }).tokens);
    return pageAt(Math.floor((start + end) / 2), 38, starts);
  };
  assert.equal(at('load balancer instance targets'), 38);
  assert.equal(at('situation demanding manual effort maintenance'), 39);
  // A later page whose opening is not in the text leaves the text to the first page.
  assert.deepEqual(pageStarts(text, [{ number: 39, markdown: 'Something else entirely.' }]), []);
});

test('evidence read from the index\'s analysed terms equals evidence read from the text', () => {
  const passages = [
    { headingPath: ['Lambda settings'], text: 'Set health_monitor_enabled to false. The auto scale target group holds the firewalls.' },
    { headingPath: ['Auto Scale', 'Targets'], text: 'The autoscale target group holds the firewalls; turn off the health monitor first.' },
    { headingPath: [], text: `${'Unrelated words fill this part of the passage. '.repeat(12)}Turn off the health monitor here. HYPI-30: verify that the region supports Lambda.` },
    { headingPath: ['Maintenance'], text: 'Because the load balancer does not allow instance targets, the interface IP is registered.' },
  ];
  const context = ['Deploy Guide', 'acme'];
  const index = LexicalIndex.create();
  index.add(passages.map((p, i) => ({ rowid: i + 1, docRowid: 7, fields: [analyze(context.join(' ')), analyze(p.headingPath.join(' ')), analyze(p.text)] as const })));
  const queries = [
    'turn off the health monitor', 'auto scale target group', 'autoscale target group', 'lambda health_monitor_enabled',
    'what does HYPI-30 mean for the region', '"health monitor" firewalls', 'lambda settings health_monitor_enabled', '"lambda settings" HYPI-30', 'load balancer instance targets registered', 'terraform module for the health monitor',
  ];
  for (const q of queries) {
    const weighted = query(q);
    passages.forEach((p, i) => {
      const indexed = index.chunkTerms(i + 1)!;
      assert.equal(analysedAlike(p.text), true);
      const frame = [...frameOf({ context, headingPath: [] }), ...[...indexed.ids.subarray(...indexed.headings)].map((id) => termText(indexed.dictionary, id))];
      const compiled = queryIds(weighted, (term) => findTerm(indexed.dictionary, termKey(term)));
      const evidence = matchEvidence(weighted, { context, headingPath: p.headingPath, text: p.text });
      assert.deepEqual(indexedMatchEvidence(weighted, compiled, frame, indexed.ids, ...indexed.body), evidence, `${q} / passage ${i}`);
      // The identifier count alone, which ranks every candidate, agrees with the full evidence.
      assert.equal(indexedIdentifiersFound(weighted, compiled, () => frame, indexed.ids, ...indexed.body), evidence.identifiersFound, `${q} / passage ${i}`);
    });
  }
});

test('text whose words analyse differently whole than one by one is read from the text', () => {
  assert.equal(analysedAlike('Plain ASCII text, with punctuation: NOT_READY.'), true);
  assert.equal(analysedAlike('Café déjà vu, “quoted” — fine'), true);
  // NFKC turns ™ into letters that join the word before it; a combining mark joins words the same way.
  assert.equal(analysedAlike('Panorama™ virtual appliance'), false);
  assert.equal(analysedAlike('cafe\u0301 menu'), false);
});
