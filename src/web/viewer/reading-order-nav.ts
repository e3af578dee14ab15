/** The viewer's way through a collection: its navigation tree with the document marked, and the documents before and after. */
import { documentHref } from '../../http/links.js';
import type { ReadingOrder, ReadingOrderEntry } from '../../service/library.js';
import { html, type SafeHtml } from '../html.js';
import { buildTrailTree, compactTrailTreeHtml, trailTreeHtml, treeContains } from '../trail-tree.js';
import { countOf } from '../page-labels.js';

/** Past this many documents the sidebar lists the reader's surroundings, not the whole collection. */
export const COMPACT_COLLECTION_DOCUMENTS = 300;

export function readingOrderTree(order: ReadingOrder): SafeHtml {
  const current = order.documents[order.position]!;
  const tree = buildTrailTree(order.documents, (d) => d.trail);
  const here = (d: ReadingOrderEntry) => d === current;
  const leaf = (d: ReadingOrderEntry) => here(d)
    ? html`<li class="here"><a href="${documentHref(d.docId)}" aria-current="page">${d.title}</a></li>`
    : html`<li><a href="${documentHref(d.docId)}">${d.title}</a></li>`;
  const section = (first: ReadingOrderEntry, title: string, count: number) =>
    html`<li class="tree-section"><a href="${documentHref(first.docId)}">${title}</a> <span class="meta">${countOf(count, 'document')}</span></li>`;
  const list = order.documents.length > COMPACT_COLLECTION_DOCUMENTS
    ? compactTrailTreeHtml(tree, leaf, here, section)
    : trailTreeHtml(tree, leaf, (s) => treeContains(s, here));
  return html`<nav class="reading-order" aria-label="Documents of this collection"><details open><summary>In this collection <span class="meta">${order.position + 1} of ${order.documents.length}</span></summary>
${list}
</details></nav>`;
}

/** "← Previous: Introduction" and "Next: Devices & Cabling →", in reading order. */
export function documentNeighbours(order: ReadingOrder, label: string): SafeHtml {
  const previous = order.previous
    ? html`<a href="${documentHref(order.previous.docId)}" rel="prev">← Previous document: ${order.previous.title}</a>`
    : html`<span class="disabled">← First document</span>`;
  const next = order.next
    ? html`<a href="${documentHref(order.next.docId)}" rel="next">Next document: ${order.next.title} →</a>`
    : html`<span class="disabled">Last document →</span>`;
  return html`<nav class="doc-nav" aria-label="${label}">${previous}${next}</nav>`;
}
