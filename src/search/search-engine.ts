/**
 * The search pipeline, in named stages that the service runs in order and that evaluation and the
 * benchmark call one by one:
 *
 *   plan      parse the query once, fix the mode and the candidate depth
 *   retrieve  lexical (BM25F) and vector candidates from the in-memory indexes, fused into one
 *             ranking of chunks; the query's vector is computed while the lexical index ranks
 *   collect   load the candidate chunks, fold near-identical passages, prefer the newest version
 *
 * Building the hits a surface shows (snippets, labels, paging) is the service's last stage.
 */

import { LibraryError } from '../library/errors.js';
import { compareVersions } from '../library/version.js';
import type { ContentStore, ScoredRowid, StoredChunk, StoredDocument } from '../store/store.js';
import { DEFAULT_BM25, type Bm25Params } from './lexical/bm25-params.js';
import { DEFAULT_FUSION, fuseRanks, type FusionParams } from './fusion.js';
import { groupNearDuplicates } from './fold-versions.js';
import type { SearchIndexes } from './indexes/search-indexes.js';
import { parseQuery, type ParsedQuery } from './query.js';
import type { QueryVectors } from './query-vectors.js';
import { timed, timedAsync, type SearchTrace } from './trace.js';

export type SearchMode = 'hybrid' | 'lexical' | 'vector';

export interface SearchTuning {
  bm25: Bm25Params;
  fusion: FusionParams;
  /** Candidates taken from each ranker before fusion. */
  depth: number;
  /**
   * Without a version filter, passages found only in a product's older versions rank as if this
   * much as relevant, so the newest version answers when it has something comparable.
   */
  olderVersionWeight: number;
}

// Fusion weights were tuned with 300 candidates per list; normalisation depends on that depth.
export const DEFAULT_TUNING: SearchTuning = { bm25: DEFAULT_BM25, fusion: DEFAULT_FUSION, depth: 300, olderVersionWeight: 0.7 };

export interface SearchPlan {
  query: string;
  parsed: ParsedQuery;
  mode: SearchMode;
  depth: number;
  /** Only chunks of these documents, when the request filters. */
  docRowids?: ReadonlySet<number>;
  notices: string[];
}

export interface Candidate {
  chunk: StoredChunk;
  doc: StoredDocument;
}

/** One passage to show, with the same passage in other versions folded under it. */
export interface RankedPassage {
  primary: Candidate;
  others: Candidate[];
  score: number;
}

export interface Collected {
  passages: RankedPassage[];
  /** Products whose older versions also matched while their newest version was preferred. */
  preferredNewest: Map<string, { slug: string; label: string }>;
}

export type EngineStore = ContentStore;

export class SearchEngine {
  /**
   * `indexes` gives the current snapshot of the search indexes (built with `tuning.bm25`), caught
   * up with the library; `queryVectors` is null when the library is searched lexically only.
   */
  constructor(
    private readonly store: EngineStore,
    private readonly indexes: () => SearchIndexes,
    private readonly queryVectors: QueryVectors | null,
    readonly tuning: SearchTuning = DEFAULT_TUNING,
  ) {}

  get hasEmbedder(): boolean {
    return this.queryVectors !== null;
  }

  /** Stage 1: the parsed query, the mode that can actually run, and how deep to rank. */
  plan(query: string, options: { mode?: SearchMode; depth?: number; docRowids?: ReadonlySet<number> }, trace?: SearchTrace): SearchPlan {
    const parsed = timed(trace, 'parse', () => parseQuery(query));
    const notices: string[] = [];
    let mode = options.mode ?? 'hybrid';
    if (mode !== 'lexical' && !this.queryVectors) {
      notices.push('Lexical search only: no embedder is configured for this library.');
      mode = 'lexical';
    }
    const plan: SearchPlan = { query, parsed, mode, depth: Math.max(this.tuning.depth, options.depth ?? 0), notices };
    if (options.docRowids) plan.docRowids = options.docRowids;
    return plan;
  }

  /**
   * Stage 2: ranked chunk rowids. Hybrid search degrades to lexical when the embedder fails,
   * rather than every search failing with it; the plan's notices say so.
   */
  async retrieve(plan: SearchPlan, trace?: SearchTrace): Promise<ScoredRowid[]> {
    const { lexical: lexicalIndex, vectors } = this.indexes();
    const queryVectors = plan.mode === 'lexical' || plan.query.trim() === '' ? null : this.queryVectors;
    // Started first: the embedder runs in its own thread while the lexical index ranks here.
    const embedding = queryVectors && timedAsync(trace, 'embed', () => this.queryVector(queryVectors, plan.query));
    embedding?.catch(() => {}); // awaited below; this only keeps a failure from counting as unhandled meanwhile
    const lexical = plan.mode === 'vector' ? [] : timed(trace, 'lexical', () => lexicalIndex.search(plan.parsed, plan.depth, plan.docRowids), (r) => ({ candidates: r.length }));
    if (!embedding) return lexical;
    let queryVector: Float32Array;
    try {
      queryVector = await embedding;
    } catch (error) {
      if (plan.mode !== 'hybrid' || !(error instanceof LibraryError && error.code === 'unavailable')) throw error;
      plan.notices.push('Lexical search only: semantic search is unavailable right now (the embedder did not answer).');
      plan.mode = 'lexical';
      return lexical;
    }
    const vector = timed(trace, 'vector', () => (vectors && vectors.dims === queryVector.length ? vectors.search(queryVector, plan.depth, plan.docRowids) : []), (r) => ({ candidates: r.length }));
    return plan.mode === 'vector' ? vector : timed(trace, 'fuse', () => fuseRanks(lexical, vector, this.tuning.fusion));
  }

  /**
   * The query's vector. An embedder that fails (a remote endpoint down, a key revoked) is reported
   * as unavailable, not as a bug; the details (its URL among them) go to the log, not to clients.
   */
  private async queryVector(queryVectors: QueryVectors, query: string): Promise<Float32Array> {
    try {
      return await queryVectors.vectorFor(query);
    } catch (error) {
      console.error(`mcdewey search: the embedder failed: ${error instanceof Error ? error.message : String(error)}`);
      throw new LibraryError('unavailable', 'semantic search is unavailable: the embedder did not answer', 'Retry later, or search in lexical mode');
    }
  }

  /**
   * Stage 3: the candidates as passages in rank order. Near-identical passages in several versions
   * of a product become one passage. With `newestOnly`, each product answers from the newest of its
   * versions that matched at all (so a version that lacks the topic, e.g. a release-notes-only
   * release, does not hide older guides), and a passage found only in older versions stays
   * findable, ranked lower (olderVersionWeight).
   */
  collect(ranked: ScoredRowid[], documents: ReadonlyMap<number, StoredDocument>, newestOnly: boolean, trace?: SearchTrace): Collected {
    const chunks = timed(trace, 'load', () => this.store.chunksByRowid(ranked.map((r) => r.rowid)));
    const scoreOf = new Map(ranked.map((r) => [r.rowid, r.score]));
    return timed(trace, 'fold', () => {
      const candidates = chunks.flatMap((chunk) => {
        const doc = documents.get(chunk.docRowid);
        return doc ? [{ chunk, doc, product: doc.key.product, version: doc.key.version, text: chunk.text }] : [];
      });
      const latest = newestOnly ? newestVersionByProduct(candidates.map((c) => c.doc)) : undefined;
      const passages = groupNearDuplicates(candidates)
        .map((group): RankedPassage => {
          const preferred = latest && group.find((m) => m.version === latest.get(m.product)?.slug);
          const primary = preferred || group[0]!;
          const demoted = latest !== undefined && !preferred;
          const score = (scoreOf.get(primary.chunk.rowid) ?? 0) * (demoted ? this.tuning.olderVersionWeight : 1);
          return { primary: { chunk: primary.chunk, doc: primary.doc }, others: group.filter((m) => m !== primary).map(({ chunk, doc }) => ({ chunk, doc })), score };
        })
        .sort((a, b) => b.score - a.score);
      const preferredNewest = new Map<string, { slug: string; label: string }>();
      if (latest) {
        for (const [product, newest] of latest) {
          if (candidates.some((c) => c.product === product && c.version !== newest.slug)) preferredNewest.set(product, newest);
        }
      }
      return { passages, preferredNewest };
    }, (c) => ({ candidates: chunks.length, passages: c.passages.length }));
  }

  /** Stages 1 and 2 alone: what evaluation scores. */
  async rank(query: string, mode: SearchMode, depth: number, docRowids?: ReadonlySet<number>): Promise<ScoredRowid[]> {
    return this.retrieve(this.plan(query, { mode, depth, ...(docRowids ? { docRowids } : {}) }));
  }
}

function newestVersionByProduct(documents: StoredDocument[]): Map<string, { slug: string; label: string }> {
  const latest = new Map<string, { slug: string; label: string }>();
  for (const d of documents) {
    const current = latest.get(d.key.product);
    if (!current || compareVersions(d.versionLabel, current.label) > 0) latest.set(d.key.product, { slug: d.key.version, label: d.versionLabel });
  }
  return latest;
}
