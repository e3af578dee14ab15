import type { SearchHit, SearchMode } from '../src/service/library.js';
import type { Library } from '../src/service/library.js';
import { buildKnownItems, PAGES_PER_DOCUMENT, type KnownItem } from './lib/fixtures/known-items.js';
import { ensureLibrary, LIBRARY_DESCRIPTIONS } from './lib/fixtures/libraries.js';
import { log } from './lib/run/log.js';
import { openLibrary } from './lib/fixtures/open-library.js';
import { commandFor, type BenchOptions } from './lib/run/options.js';
import { measure, type ResultFile } from './lib/report/results.js';

/**
 * Page-level known-item search over the vendor PDFs: does the search put the page a sentence
 * was copied from at the top? Counted strictly (the hit itself is that page) and folded (the
 * page is the hit or one of the versions folded into it as "also in"), without and with the
 * right product + version filter. Top-1 misses are classified so that version confusions show.
 */
export type TopOutcome = 'right' | 'versionConfusion' | 'wrongPageRightDocument' | 'otherDocumentSameVersion' | 'otherProduct' | 'noHits';

export interface KnownItemScores {
  mode: SearchMode;
  filter: 'none' | 'product+version';
  queries: number;
  strict: { hit1: number; hit5: number; mrr10: number };
  folded: { hit1: number; hit5: number; mrr10: number };
  /** Top-1 outcome counts, judged strictly. */
  top1: Record<TopOutcome, number>;
  /** Strict top-1 version confusions whose answer page is in the hit's alsoIn. */
  versionConfusionsFoldedRight: number;
  /** hit@1 (strict) over the queries whose text is unique to their document. */
  uniqueQueries: { queries: number; strictHit1: number };
  msPerQuery: number;
}

export interface KnownItemResults {
  documents: number;
  pages: number;
  items: KnownItem[];
  scores: KnownItemScores[];
}

const MODES: SearchMode[] = ['lexical', 'vector', 'hybrid'];
const documentOfChunk = (chunkId: string) => chunkId.slice(0, chunkId.lastIndexOf('::'));

/** The answer page lies within the hit's chunk (as before hits cited the page of their best match, so figures stay comparable). */
function isAnswer(hit: SearchHit, item: KnownItem): boolean {
  return hit.docId === item.docId && item.page >= hit.chunkPage && item.page <= hit.chunkPageEnd;
}

function isFoldedAnswer(hit: SearchHit, item: KnownItem): boolean {
  return isAnswer(hit, item) || hit.alsoIn.some((m) => documentOfChunk(m.chunkId) === item.docId && m.page === item.page);
}

function outcome(hit: SearchHit | undefined, item: KnownItem): TopOutcome {
  if (!hit) return 'noHits';
  if (isAnswer(hit, item)) return 'right';
  if (hit.docId === item.docId) return 'wrongPageRightDocument';
  if (hit.product !== item.product) return 'otherProduct';
  return hit.version === item.version ? 'otherDocumentSameVersion' : 'versionConfusion';
}

async function score(library: Library, items: KnownItem[], mode: SearchMode, filter: KnownItemScores['filter']): Promise<KnownItemScores> {
  const strict = { hit1: 0, hit5: 0, mrr10: 0 };
  const folded = { hit1: 0, hit5: 0, mrr10: 0 };
  const top1: Record<TopOutcome, number> = { right: 0, versionConfusion: 0, wrongPageRightDocument: 0, otherDocumentSameVersion: 0, otherProduct: 0, noHits: 0 };
  let versionConfusionsFoldedRight = 0;
  const unique = { queries: 0, strictHit1: 0 };
  const add = (into: typeof strict, rank: number) => {
    if (rank === 0) into.hit1++;
    if (rank >= 0 && rank < 5) into.hit5++;
    if (rank >= 0 && rank < 10) into.mrr10 += 1 / (rank + 1);
  };
  const started = performance.now();
  for (const item of items) {
    const scope = filter === 'none' ? {} : { product: item.product, version: item.versionLabel };
    const { hits } = await library.search({ query: item.query, mode, limit: 10, ...scope });
    add(strict, hits.findIndex((h) => isAnswer(h, item)));
    add(folded, hits.findIndex((h) => isFoldedAnswer(h, item)));
    const top = outcome(hits[0], item);
    top1[top]++;
    if (top === 'versionConfusion' && isFoldedAnswer(hits[0]!, item)) versionConfusionsFoldedRight++;
    if (item.uniqueInLibrary) {
      unique.queries++;
      if (top === 'right') unique.strictHit1++;
    }
  }
  const n = Math.max(1, items.length);
  const mean = (s: typeof strict) => ({ hit1: round(s.hit1 / n), hit5: round(s.hit5 / n), mrr10: round(s.mrr10 / n) });
  return {
    mode, filter, queries: items.length, strict: mean(strict), folded: mean(folded), top1, versionConfusionsFoldedRight,
    uniqueQueries: { queries: unique.queries, strictHit1: round(unique.strictHit1 / Math.max(1, unique.queries)) },
    msPerQuery: round((performance.now() - started) / n),
  };
}

const round = (n: number) => Math.round(n * 10_000) / 10_000;

export async function runKnownItem(options: BenchOptions): Promise<ResultFile<KnownItemResults>> {
  const conditions = {
    library: LIBRARY_DESCRIPTIONS.pdf, embedder: options.embedder, seed: options.seed, pagesPerDocument: PAGES_PER_DOCUMENT,
    search: 'library.search, limit 10, default tuning; without a filter each product answers from its newest relevant version',
    timing: 'ms/query after one untimed default search per query (indexes loaded, query vectors cached): ranking, folding and hits, not embedding',
  };
  return measure('known-item', commandFor('known-item', options, ['embedder', 'seed']), conditions, async () => {
    const built = await ensureLibrary('pdf', options.embedder);
    const library = await openLibrary(built.data, options.embedder);
    try {
      const items = buildKnownItems(library, options.seed);
      log(`known-item: ${items.length} queries from ${built.documents} documents`);
      // Untimed: every query once, as the default (hybrid) search would run it, so the timed passes
      // find the indexes loaded and each query's vector cached; otherwise the first mode's ms/query
      // holds the index load and the embedding the later modes reuse.
      for (const item of items) await library.search({ query: item.query, limit: 10 });
      const scores: KnownItemScores[] = [];
      for (const filter of ['none', 'product+version'] as const) {
        for (const mode of MODES) scores.push(await score(library, items, mode, filter));
      }
      const pages = library.documents().reduce((s, d) => s + d.pageCount, 0);
      return { documents: built.documents, pages, items, scores };
    } finally {
      await library.close();
    }
  });
}
