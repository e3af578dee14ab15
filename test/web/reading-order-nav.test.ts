import assert from 'node:assert/strict';
import { test } from 'node:test';
import { COMPACT_COLLECTION_DOCUMENTS, readingOrderTree } from '../../src/web/viewer/reading-order-nav.js';
import type { ReadingOrder, ReadingOrderEntry } from '../../src/service/library.js';

/** A docs site: `sections` top sections of `perSection` pages each, the first section's pages in two subsections. */
function site(sections: number, perSection: number, position: number): ReadingOrder {
  const documents: ReadingOrderEntry[] = [];
  for (let s = 0; s < sections; s++) {
    for (let p = 0; p < perSection; p++) {
      const trail = s === 0 ? [`Section ${s}`, `Part ${p % 2}`] : [`Section ${s}`];
      documents.push({ docId: `site::1::docs::s${s}-p${p}`, title: `Page ${s}.${p}`, trail });
    }
  }
  if (sections > 0) documents.sort((a, b) => (a.trail.join('/') < b.trail.join('/') ? -1 : a.trail.join('/') > b.trail.join('/') ? 1 : 0));
  return { documents, position };
}

const links = (html: string) => [...html.matchAll(/href="\/doc\/([^"]+)"/g)].map((m) => decodeURIComponent(m[1]!));

test('a large collection lists the reader\'s surroundings: its sections unfolded, nearby pages, other sections as one link each', () => {
  const order = site(40, 100, 2_345); // 4,000 pages
  const current = order.documents[order.position]!;
  const section = current.trail[0]!;
  const html = readingOrderTree(order).toString();
  assert.ok(html.length < 20_000, `${html.length} characters`);
  assert.ok(html.includes(`<li class="here"><a href="/doc/${current.docId}" aria-current="page">`));
  // The reader's section is open; the sections around it are single links to their first page, with counts.
  assert.ok(html.includes(`<details open><summary>${section}</summary>`));
  // The section just before the reader's: a link to its first page.
  const before = order.documents[order.documents.findIndex((d) => d.trail[0] === section) - 1]!.trail[0]!;
  const first = order.documents.find((d) => d.trail[0] === before)!;
  assert.ok(html.includes(`<li class="tree-section"><a href="/doc/${first.docId}">${before}</a> <span class="meta">100 documents</span></li>`));
  assert.equal((html.match(/<details open>/g) ?? []).length, 2, 'the collection and the reader\'s section only');
  // Within the section, the pages near the reader's, and how many more there are on each side.
  const inSection = links(html).filter((id) => order.documents.find((d) => d.docId === id)?.trail[0] === section);
  assert.equal(inSection.length, 41);
  assert.ok(inSection.includes(order.documents[order.position - 1]!.docId) && inSection.includes(order.documents[order.position + 1]!.docId));
  assert.match(html, /<li class="meta">\d+ more before<\/li>/);
  assert.match(html, /<li class="meta">\d+ more after<\/li>/);
  assert.match(html, /In this collection <span class="meta">2346 of 4000<\/span>/);
});

test('a nested section on the way to the reader is unfolded too; a collection within the bound is listed whole', () => {
  const nested = site(10, 60, 3); // 600 pages, the reader in Section 0 › Part 0
  const html = readingOrderTree(nested).toString();
  assert.ok(html.includes('<details open><summary>Section 0</summary><ol class="doc-tree"><li class="tree-section"><details open><summary>Part 0</summary>'));
  assert.ok(html.includes('<li class="tree-section"><a href="/doc/site::1::docs::s0-p1">Part 1</a> <span class="meta">30 documents</span></li>'));
  const small = site(3, Math.floor(COMPACT_COLLECTION_DOCUMENTS / 3), 10);
  assert.equal(links(readingOrderTree(small).toString()).length, small.documents.length);
});
