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
