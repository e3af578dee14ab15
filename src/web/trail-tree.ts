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

/** Items listed at one level of a compact tree: this many on each side of the reader's own. */
const COMPACT_REACH = 20;

/**
 * The tree as a bounded list for a large collection (a docs site of thousands of pages): only the
 * sections on the way to the reader's own item are unfolded, each level lists the items near it
 * (with how many come before and after), and every other section is one link to its first item
 * with its count. A full tree of 2,170 pages made every page of the viewer 379 KB.
 */
export function compactTrailTreeHtml<T>(
  node: TrailNode<T>, leaf: (item: T) => SafeHtml, here: (item: T) => boolean, section: (first: T, title: string, count: number) => SafeHtml,
): SafeHtml {
  const at = node.items.findIndex((entry) => ('leaf' in entry ? here(entry.leaf) : treeContains(entry, here)));
  const from = Math.max(0, at - COMPACT_REACH);
  const to = Math.min(node.items.length, (at < 0 ? 0 : at) + COMPACT_REACH + 1);
  const entries = node.items.slice(from, to).map((entry, i) => {
    if ('leaf' in entry) return leaf(entry.leaf);
    if (from + i === at) {
      return html`<li class="tree-section"><details open><summary>${entry.title}</summary>${compactTrailTreeHtml(entry, leaf, here, section)}</details></li>`;
    }
    return section(firstLeaf(entry)!, entry.title, leafCount(entry));
  });
  const before = from > 0 ? html`<li class="meta">${from.toLocaleString('en')} more before</li>` : '';
  const after = to < node.items.length ? html`<li class="meta">${(node.items.length - to).toLocaleString('en')} more after</li>` : '';
  return html`<ol class="doc-tree">${before}${entries}${after}</ol>`;
}

function firstLeaf<T>(node: TrailNode<T>): T | undefined {
  for (const entry of node.items) {
    const found = 'leaf' in entry ? entry.leaf : firstLeaf(entry);
    if (found !== undefined) return found;
  }
  return undefined;
}

function leafCount<T>(node: TrailNode<T>): number {
  return node.items.reduce((n, entry) => n + ('leaf' in entry ? 1 : leafCount(entry)), 0);
}
