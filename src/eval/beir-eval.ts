/**
 * Evaluates retrieval on a BEIR dataset through the same chunking, analysis, embedding and
 * ranking code the library uses. Each corpus document becomes a one-page document; a document
 * ranks at the position of its best chunk.
 */

import fs from 'node:fs';
import path from 'node:path';
import type { Embedder } from '../embed/embedder.js';
import type { DocumentMeta } from '../library/model.js';
import { slugify } from '../library/slug.js';
import { sourcePathOf } from '../library/ids.js';
import { SqliteStore } from '../store/sqlite/sqlite-store.js';
import type { LibraryStore } from '../store/store.js';
import { prepareDocuments } from '../ingest/indexer.js';
import { DEFAULT_TUNING, SearchEngine, type SearchMode, type SearchTuning } from '../search/search-engine.js';
import { LocalIndexes } from '../search/indexes/local-indexes.js';
import { CachedQueryVectors } from '../search/query-vectors.js';
import { summarize, type MetricSummary } from './metrics.js';
import type { BeirDataset, BeirDocument } from './beir-dataset.js';

export interface EvalProgress {
  (event: { phase: 'index' | 'query'; done: number; total: number }): void;
}

const PRODUCT = 'beir';
const VERSION = '1';

function metaFor(dataset: string, doc: BeirDocument, slug: string): DocumentMeta {
  const key = { product: PRODUCT, version: VERSION, collection: slugify(dataset), document: slug };
  return {
    key, vendor: 'beir', vendorLabel: 'BEIR', productLabel: dataset, versionLabel: VERSION, title: doc.title,
    sourcePath: sourcePathOf(key), originalFile: `${dataset}/corpus.jsonl#${doc.id}`, format: 'text', contentHash: '',
    pageCount: 1, convertedAt: '',
  };
}

/** Slugs are lowercase; ids that collide once lowercased get a numeric suffix. */
function documentSlugs(corpus: BeirDocument[]): Map<string, string> {
  const slugs = new Map<string, string>();
  const used = new Set<string>();
  for (const doc of corpus) {
    let slug = slugify(`d-${doc.id}`);
    for (let n = 2; used.has(slug); n++) slug = slugify(`d-${doc.id}-${n}`);
    used.add(slug);
    slugs.set(doc.id, slug);
  }
  return slugs;
}

/** Opens (building if needed) the evaluation index for a dataset and embedder under workDir. */
export async function openEvalIndex(
  dataset: BeirDataset, workDir: string, embedder: Embedder | null, onProgress?: EvalProgress,
): Promise<{ store: LibraryStore; idBySlug: Map<string, string> }> {
  const slugs = documentSlugs(dataset.corpus);
  const idBySlug = new Map([...slugs].map(([id, slug]) => [slug, id]));
  const file = path.join(workDir, `${slugify(dataset.name)}-${slugify(embedder?.name ?? 'none')}.sqlite`);
  fs.mkdirSync(workDir, { recursive: true });
  const store = new SqliteStore(file);
  if (embedder) await embedder.init();
  const identity = embedder ? { name: embedder.name, dimensions: embedder.dimensions } : null;
  const recorded = store.embedderIdentity();
  if (recorded === undefined || JSON.stringify(recorded) !== JSON.stringify(identity)) store.setEmbedderIdentity(identity);
  const have = new Set(store.documents().map((d) => d.key.document));
  const todo = dataset.corpus.filter((d) => !have.has(slugs.get(d.id)!));
  // Batches of documents so that the embedder sees full batches rather than one abstract at a time.
  const batch = Math.max(1, embedder?.batchSize ?? 64) * 4;
  for (let start = 0; start < todo.length; start += batch) {
    const docs = todo.slice(start, start + batch);
    const documents = docs.map((doc) => ({ meta: metaFor(dataset.name, doc, slugs.get(doc.id)!), pages: [{ number: 1, markdown: doc.text }] }));
    const chunks = await prepareDocuments(documents, store, embedder);
    documents.forEach((d, i) => store.replaceDocument(d.meta, '', d.pages, chunks[i]!));
    onProgress?.({ phase: 'index', done: Math.min(todo.length, start + batch), total: todo.length });
  }
  return { store, idBySlug };
}

export interface EvalResult extends MetricSummary {
  mode: SearchMode;
  /** Mean wall time per query, milliseconds: ranking with the index loaded and the query vector at hand. */
  msPerQuery: number;
  /** For modes that use the query vector: the mean time to embed a query, measured once before any mode ran. */
  queryEmbeddingMs?: number;
}

export async function evaluate(
  dataset: BeirDataset,
  store: LibraryStore,
  idBySlug: Map<string, string>,
  embedder: Embedder | null,
  modes: SearchMode[],
  tuning: SearchTuning = DEFAULT_TUNING,
  onProgress?: EvalProgress,
): Promise<EvalResult[]> {
  const indexes = new LocalIndexes(store, { params: tuning.bm25 });
  const queryVectors = embedder && new CachedQueryVectors(embedder.name, (query) => embedder.embedQuery(query));
  const engine = new SearchEngine(store, () => indexes.current(), queryVectors, tuning);
  const docOfChunk = new Map<number, string>();
  for (const d of store.documents()) {
    const id = idBySlug.get(d.key.document);
    if (id === undefined) continue;
    for (const c of store.chunksByOrdinal(d.rowid, 0, Number.MAX_SAFE_INTEGER)) docOfChunk.set(c.rowid, id);
  }
  const judged = [...dataset.qrels].filter(([q]) => dataset.queries.has(q));
  // Untimed, before any mode: the lexical index is built on first use and a query vector is cached
  // once embedded, so whichever mode ran first would otherwise pay for both in its ms/query. Query
  // embedding is timed here, on its own.
  indexes.current();
  let queryEmbeddingMs: number | undefined;
  if (queryVectors && modes.some((m) => m !== 'lexical')) {
    const started = performance.now();
    for (const [queryId] of judged) await queryVectors.vectorFor(dataset.queries.get(queryId)!);
    queryEmbeddingMs = (performance.now() - started) / Math.max(1, judged.length);
  }
  const results: EvalResult[] = [];
  for (const mode of modes) {
    if (mode !== 'lexical' && !embedder) continue;
    const runs: { ranked: string[]; qrels: Map<string, number> }[] = [];
    const started = performance.now();
    for (const [i, [queryId, qrels]] of judged.entries()) {
      const ranked: string[] = [];
      const seen = new Set<string>();
      for (const { rowid } of await engine.rank(dataset.queries.get(queryId)!, mode, 300)) {
        const id = docOfChunk.get(rowid);
        if (id !== undefined && !seen.has(id)) {
          seen.add(id);
          ranked.push(id);
        }
      }
      runs.push({ ranked, qrels });
      onProgress?.({ phase: 'query', done: i + 1, total: judged.length });
    }
    const msPerQuery = (performance.now() - started) / Math.max(1, judged.length);
    results.push({ mode, ...summarize(runs), msPerQuery, ...(mode !== 'lexical' && queryEmbeddingMs !== undefined ? { queryEmbeddingMs } : {}) });
  }
  return results;
}
