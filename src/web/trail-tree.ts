/**
 * Documents in reading order, nested under the sections of their trails ("Data Model › DCIM"): the
 * navigation tree of a docs site or folder, as the library page and the viewer's sidebar show it.
 */
import { html, type SafeHtml } from './html.js';

export interface TrailNode<T> {
  title: string;
  items: (TrailNode<T> | { leaf: T })[];
}

/** Items sharing leading trail sections share nodes; order is kept as given. */
export function buildTrailTree<T>(items: readonly T[], trailOf: (item: T) => readonly string[]): TrailNode<T> {
  const root: TrailNode<T> = { title: '', items: [] };
  const stack = [root];
  for (const item of items) {
    const trail = trailOf(item);
    let shared = 0;
    while (shared < trail.length && shared + 1 < stack.length && stack[shared + 1]!.title === trail[shared]) shared++;
    stack.length = shared + 1;
    for (const title of trail.slice(shared)) {
      const node: TrailNode<T> = { title, items: [] };
      stack.at(-1)!.items.push(node);
      stack.push(node);
    }
    stack.at(-1)!.items.push({ leaf: item });
  }
  return root;
}

export function treeContains<T>(node: TrailNode<T>, found: (item: T) => boolean): boolean {
  return node.items.some((entry) => ('leaf' in entry ? found(entry.leaf) : treeContains(entry, found)));
}

/**
 * Nested lists; each section is a <details>, open when `open` says so (the reader's own place, or
 * every section while filtering).
 */
export function trailTreeHtml<T>(node: TrailNode<T>, leaf: (item: T) => SafeHtml, open: (section: TrailNode<T>) => boolean): SafeHtml {
  const entries = node.items.map((entry) => {
    if ('leaf' in entry) return leaf(entry.leaf);
    const inner = trailTreeHtml(entry, leaf, open);
    return open(entry)
      ? html`<li class="tree-section"><details open><summary>${entry.title}</summary>${inner}</details></li>`
      : html`<li class="tree-section"><details><summary>${entry.title}</summary>${inner}</details></li>`;
  });
  return html`<ol class="doc-tree">${entries}</ol>`;
}
