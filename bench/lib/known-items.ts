import type { Library } from '../../src/service/library.js';
import { seededRandom, sample } from './random.js';
import { normalized, pageText } from './sentences.js';

/**
 * A page-level known-item query set built from the library itself: for sampled pages of every
 * document, a sentence (or, failing that, a heading) printed on that page is the query and the
 * page is the answer. Sentences found verbatim in another document (the same paragraph in
 * another version) are avoided where the page offers another one, and flagged where it does not.
 */
export interface KnownItem {
  query: string;
  kind: 'sentence' | 'heading';
  docId: string;
  product: string;
  version: string;
  versionLabel: string;
  page: number;
  /** False when the query text also appears verbatim in another document of the library. */
  uniqueInLibrary: boolean;
}

export const PAGES_PER_DOCUMENT = 6;

export function buildKnownItems(library: Library, seed: number): KnownItem[] {
  const random = seededRandom(seed);
  const documents = library.documents().sort((a, b) => (a.docId < b.docId ? -1 : 1));
  const pagesOf = new Map(documents.map((d) => [d.docId, library.pages(d.docId)]));
  const textOf = new Map(documents.map((d) => [d.docId, normalized(pagesOf.get(d.docId)!.map((p) => p.markdown).join('\n'))]));
  const items: KnownItem[] = [];
  for (const doc of documents) {
    const pages = pagesOf.get(doc.docId)!.map((page) => ({ page, text: pageText(page.markdown), normalized: normalized(page.markdown) }));
    const onlyOnThisPage = (candidate: string, pageNumber: number) =>
      pages.every((p) => p.page.number === pageNumber || !p.normalized.includes(normalized(candidate)));
    const inOtherDocument = (candidate: string) =>
      documents.some((other) => other.docId !== doc.docId && textOf.get(other.docId)!.includes(normalized(candidate)));
    const usable = pages.filter((p) => p.text.sentences.length > 0 || p.text.headings.some((h) => h.split(' ').length >= 3));
    for (const { page, text } of sample(usable, PAGES_PER_DOCUMENT, random)) {
      const pick = (kind: KnownItem['kind'], candidates: string[]): KnownItem | undefined => {
        const local = candidates.filter((c) => onlyOnThisPage(c, page.number));
        const unique = local.filter((c) => !inOtherDocument(c));
        const [query] = sample(unique.length > 0 ? unique : local, 1, random);
        if (query === undefined) return undefined;
        return {
          query, kind, docId: doc.docId, product: doc.key.product, version: doc.key.version, versionLabel: doc.versionLabel,
          page: page.number, uniqueInLibrary: unique.length > 0,
        };
      };
      const item = pick('sentence', text.sentences) ?? pick('heading', text.headings.filter((h) => h.split(' ').length >= 3));
      if (item) items.push(item);
    }
  }
  return items;
}
