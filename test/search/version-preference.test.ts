import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { StoredChunk, StoredDocument } from '../../src/store/store.js';
import { answeringVersions, newestMember, preferredScore, type MatchRank, type Member, type PassageGroup } from '../../src/search/version-preference.js';

/** Just enough of a stored chunk and document for the version logic. */
function member(product: string, version: string, score: number, document = 'guide'): Member {
  const doc = { key: { product, version, collection: document, document }, versionLabel: version } as unknown as StoredDocument;
  return { chunk: { rowid: Math.round(score * 1000) } as unknown as StoredChunk, doc, product, score };
}
const group = (...members: Member[]): PassageGroup => ({ members, newest: newestMember(members), score: members[0]!.score });
const strong: MatchRank = { level: 'strong', verbatim: false };

test('the newest version matching as well as the best answers, and an older wording ranks below its best passage', () => {
  // The older guide's wording scores twice as high, but the newest says the same in other words.
  const older = group(member('switch', '1.0', 10));
  const newer = group(member('switch', '2.0', 5));
  const answering = answeringVersions([older, newer], () => strong, 24);
  assert.equal(answering.get('switch')?.label, '2.0');
  assert.ok(preferredScore(older, answering.get('switch'), 0.7) < preferredScore(newer, answering.get('switch'), 0.7));
});

test('release notes that match worse than the previous guide do not answer', () => {
  const guide = group(member('router', '1.0', 10));
  const notes = group(member('router', '2.0', 9, 'release-notes'));
  const answering = answeringVersions([guide, notes], (g) => ({ level: g === guide ? 'strong' : 'partial', verbatim: false }), 24);
  assert.equal(answering.get('router')?.label, '1.0');
  assert.equal(preferredScore(guide, answering.get('router'), 0.7), 10, 'the guide keeps its score');
});

test('a quotation is answered from the version it quotes', () => {
  const quoted = group(member('switch', '1.0', 10));
  const newer = group(member('switch', '2.0', 8));
  const answering = answeringVersions([quoted, newer], (g) => ({ level: 'strong', verbatim: g === quoted }), 24);
  assert.equal(answering.get('switch')?.label, '1.0');
});

test('a folded passage is shown from its newest version, and within a version from the newest-named revision', () => {
  assert.equal(newestMember([member('p', '6.6.0', 9), member('p', 'latest-2025-06', 8), member('p', '6.7.0', 7)]).doc.versionLabel, 'latest-2025-06');
  assert.equal(newestMember([member('p', '2.0', 9, 'guide_rev2018-02'), member('p', '2.0', 8, 'guide_rev2017-12')]).doc.key.document, 'guide_rev2018-02');
});

test('passages are judged only as far as the answer needs', () => {
  const judged: PassageGroup[] = [];
  const rank = (level: MatchRank['level']) => (g: PassageGroup) => {
    judged.push(g);
    return { level, verbatim: false };
  };
  // One version of a product: it answers whatever its passages match.
  const alone = [group(member('router', '1.0', 9)), group(member('router', '1.0', 8, 'notes'))];
  assert.equal(answeringVersions(alone, rank('weak'), 24).get('router')?.label, '1.0');
  assert.equal(judged.length, 0);
  // A newest version matching strongly answers without the older versions' passages being read, unless a quotation could outrank it.
  const newestStrong = [group(member('switch', '2.0', 9)), group(member('switch', '1.0', 8)), group(member('switch', '1.5', 7))];
  assert.equal(answeringVersions(newestStrong, rank('strong'), 24, false).get('switch')?.label, '2.0');
  assert.equal(judged.length, 1);
  judged.length = 0;
  assert.equal(answeringVersions(newestStrong, rank('strong'), 24).get('switch')?.label, '2.0');
  assert.equal(judged.length, 3);
});

/** Every judged passage read, in the plainest way: what the lazy judging must answer. */
function judgeAll(groups: readonly PassageGroup[], rankOf: (g: PassageGroup) => MatchRank, maxJudged: number): Map<string, { label: string; olderMatched: boolean; bestScore: number }> {
  const byProduct = new Map<string, Map<string, { rank: number; score: number }>>();
  groups.forEach((g, index) => {
    const versions = byProduct.get(g.newest.product) ?? new Map<string, { rank: number; score: number }>();
    byProduct.set(g.newest.product, versions);
    const r = index < maxJudged ? (rankOf(g).verbatim ? 3 : { weak: 0, partial: 1, strong: 2 }[rankOf(g).level]) : -1;
    for (const m of g.members) {
      const seen = versions.get(m.doc.versionLabel);
      if (seen) seen.rank = Math.max(seen.rank, r);
      else versions.set(m.doc.versionLabel, { rank: r, score: g.score });
    }
  });
  const answers = new Map<string, { label: string; olderMatched: boolean; bestScore: number }>();
  for (const [product, versions] of byProduct) {
    const best = Math.max(...[...versions.values()].map((v) => v.rank));
    const label = [...versions].filter(([, v]) => v.rank === best).map(([l]) => l).sort().at(-1)!;
    answers.set(product, { label, olderMatched: [...versions.keys()].some((l) => l < label), bestScore: versions.get(label)!.score });
  }
  return answers;
}

test('judging lazily answers as judging every passage does', () => {
  const levels = ['weak', 'partial', 'strong'] as const;
  for (let seed = 1; seed <= 200; seed++) {
    let x = seed;
    const next = (n: number) => ((x = (Math.imul(x, 1103515245) + 12345) >>> 0) >>> 16) % n;
    const groups = Array.from({ length: 3 + next(12) }, (_, i) => group(
      ...Array.from({ length: 1 + next(3) }, (_, j) => member(['a', 'b'][next(2)]!, ['1.0', '1.5', '2.0', '2.1'][next(4)]!, 40 - i - j / 10, `d${i}-${j}`)),
    ));
    // Members of one group share the first member's product, as folding guarantees.
    for (const g of groups) for (const m of g.members) m.product = g.members[0]!.product;
    const level = new Map(groups.map((g) => [g, { level: levels[next(3)]!, verbatim: next(4) === 0 }]));
    const noQuote = new Map(groups.map((g) => [g, { ...level.get(g)!, verbatim: false }]));
    const plain = (answers: Map<string, { label: string; olderMatched: boolean; bestScore: number }>) =>
      new Map([...answers].map(([p, a]) => [p, { label: a.label, olderMatched: a.olderMatched, bestScore: a.bestScore }]));
    assert.deepEqual(plain(answeringVersions(groups, (g) => level.get(g)!, 5)), judgeAll(groups, (g) => level.get(g)!, 5), `seed ${seed}`);
    assert.deepEqual(plain(answeringVersions(groups, (g) => noQuote.get(g)!, 5, false)), judgeAll(groups, (g) => noQuote.get(g)!, 5), `seed ${seed}, no quotation`);
  }
});
