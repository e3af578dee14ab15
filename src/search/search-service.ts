import type { Embedder } from '../embed/embedder.js';
import type { LibraryStore, ScoredRowid, StoredDocument } from '../store/store.js';
import { sourcePathOf } from '../library/ids.js';
import { compareVersions } from '../library/version.js';
import { Bm25Ranker, DEFAULT_BM25, type Bm25Params } from './bm25.js';
import { DEFAULT_FUSION, fuseRanks, type FusionParams } from './fusion.js';
import { groupNearDuplicates } from './fold-versions.js';
import { parseQuery } from './query.js';
import { makeSnippet, type Snippet } from './snippet.js';
import { LibraryError } from '../service/errors.js';
import { resolveFilter, type SearchFilter } from './filters.js';
import { VectorIndex } from './vector-index.js';

export type SearchMode = 'hybrid' | 'lexical' | 'vector';

export interface SearchRequest extends SearchFilter {
  query: string;
  limit?: number;
  offset?: number;
  mode?: SearchMode;
  /** 'latest' (default): only the newest version of each product unless a version is asked for. */
  versions?: 'latest' | 'all';
}

export interface VersionMention {
  version: string;
  versionLabel: string;
  chunkId: string;
  page: number;
  pageLabel?: string;
}

export interface SearchHit {
  rank: number;
  score: number;
  chunkId: string;
  docId: string;
  title: string;
  vendor: string;
  vendorLabel: string;
  product: string;
  productLabel: string;
  version: string;
  versionLabel: string;
  page: number;
  pageEnd: number;
  pageLabel?: string;
  headingPath: string[];
  sourcePath: string;
  snippet: Snippet;
  alsoIn: VersionMention[];
}

export interface SearchResponse {
  query: string;
  mode: SearchMode;
  hits: SearchHit[];
  /** Offset of the next page of results, when there are more. */
  nextOffset?: number;
  /** Plain statements about how the search ran (lexical only, versions searched, …). */
  notices: string[];
}

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
export const MAX_LIMIT = 100;

export class SearchService {
  private readonly bm25: Bm25Ranker;
  private readonly vectors: VectorIndex;

  constructor(
    private readonly store: LibraryStore,
    private readonly embedder: Embedder | null,
    private readonly tuning: SearchTuning = DEFAULT_TUNING,
  ) {
    this.bm25 = new Bm25Ranker(store, tuning.bm25);
    this.vectors = new VectorIndex(store);
  }

  /** Ranked chunk rowids for a query: the primitive that evaluation and `search` share. */
  async rank(query: string, mode: SearchMode, depth: number, docRowids?: ReadonlySet<number>): Promise<ScoredRowid[]> {
    const parsed = parseQuery(query);
    const lexical = mode === 'vector' ? [] : this.bm25.search(parsed, depth, docRowids);
    if (mode === 'lexical' || !this.embedder || query.trim() === '') return lexical;
    const vector = this.vectors.search(await this.queryVector(this.embedder, query), depth, docRowids);
    return mode === 'vector' ? vector : fuseRanks(lexical, vector, this.tuning.fusion);
  }

  /**
   * The query's vector. An embedder that fails (a remote endpoint down, a key revoked) is reported
   * as unavailable, not as a bug; the details (its URL among them) go to the log, not to clients.
   */
  private async queryVector(embedder: Embedder, query: string): Promise<Float32Array> {
    try {
      return await embedder.embedQuery(query);
    } catch (error) {
      console.error(`mcdewey search: the embedder failed: ${error instanceof Error ? error.message : String(error)}`);
      throw new LibraryError('unavailable', 'semantic search is unavailable: the embedder did not answer', 'Retry later, or search in lexical mode');
    }
  }

  async search(request: SearchRequest): Promise<SearchResponse> {
    const limit = Math.min(Math.max(1, request.limit ?? 10), MAX_LIMIT);
    const offset = Math.max(0, request.offset ?? 0);
    const notices: string[] = [];
    let mode: SearchMode = request.mode ?? 'hybrid';
    if (mode !== 'lexical' && !this.embedder) {
      notices.push('Lexical search only: no embedder is configured for this library.');
      mode = 'lexical';
    }
    const documents = resolveFilter(this.store, request);
    const docRowids = request.vendor || request.product || request.version || request.document
      ? new Set(documents.map((d) => d.rowid))
      : undefined;
    const depth = Math.max(this.tuning.depth, (offset + limit) * 3);
    let ranked: ScoredRowid[];
    try {
      ranked = await this.rank(request.query, mode, depth, docRowids);
    } catch (error) {
      // Hybrid search degrades to lexical when the embedder fails, rather than every search failing with it.
      if (mode !== 'hybrid' || !(error instanceof LibraryError && error.code === 'unavailable')) throw error;
      notices.push('Lexical search only: semantic search is unavailable right now (the embedder did not answer).');
      mode = 'lexical';
      ranked = await this.rank(request.query, mode, depth, docRowids);
    }

    const docs = new Map(documents.map((d) => [d.rowid, d]));
    const chunks = this.store.chunksByRowid(ranked.map((r) => r.rowid));
    const scoreOf = new Map(ranked.map((r) => [r.rowid, r.score]));
    const candidates = chunks.flatMap((chunk) => {
      const doc = docs.get(chunk.docRowid);
      return doc ? [{ chunk, doc, product: doc.key.product, version: doc.key.version, text: chunk.text }] : [];
    });

    // By default each product answers from the newest of its versions that matched at all, so a
    // version that lacks the topic (e.g. a release-notes-only release) does not hide older guides.
    const latestOnly = (request.versions ?? 'latest') === 'latest' && !request.version;
    const latest = latestOnly ? latestVersionByProduct(candidates.map((c) => c.doc)) : undefined;
    const groups = groupNearDuplicates(candidates);
    // A passage found only in older versions stays findable, ranked lower (olderVersionWeight).
    const kept = groups
      .map((group) => {
        const preferred = latest && group.find((m) => m.version === latest.get(m.product));
        const primary = preferred || group[0]!;
        const demoted = latest !== undefined && !preferred;
        const score = (scoreOf.get(primary.chunk.rowid) ?? 0) * (demoted ? this.tuning.olderVersionWeight : 1);
        return { primary, others: group.filter((m) => m !== primary), score };
      })
      .sort((a, b) => b.score - a.score);
    const page = kept.slice(offset, offset + limit);
    if (latest) {
      const shown = [...new Set(page.map((k) => k.primary.product))];
      const hidden = shown.filter((p) => page.some((k) => k.primary.product === p && k.primary.version === latest.get(p)) &&
        candidates.some((c) => c.product === p && c.version !== latest.get(p)));
      if (hidden.length > 0) {
        notices.push(
          `Preferred the newest matching version of ${hidden.map((p) => `${p} (${labelOf(documents, p, latest.get(p)!)})`).join(', ')}; ` +
            'passages found only in older versions rank lower. Pass a version, or all versions, to change this.',
        );
      }
    }

    // Highlight what was scored (stop words only inside phrases), not every "to" and "the".
    const parsed = parseQuery(request.query);
    const queryTokens = new Set([...parsed.terms.keys(), ...parsed.phrases.flat()]);
    const hits = page.map(({ primary, others, score }, i): SearchHit => {
      const { chunk, doc } = primary;
      const hit: SearchHit = {
        rank: offset + i + 1,
        score: round(score),
        chunkId: chunk.id,
        docId: doc.docId,
        title: doc.title,
        vendor: doc.vendor,
        vendorLabel: doc.vendorLabel,
        product: doc.key.product,
        productLabel: doc.productLabel,
        version: doc.key.version,
        versionLabel: doc.versionLabel,
        page: chunk.page,
        pageEnd: chunk.pageEnd,
        headingPath: chunk.headingPath,
        sourcePath: sourcePathOf(doc.key),
        snippet: makeSnippet(chunk.text, queryTokens),
        alsoIn: others
          .sort((a, b) => compareVersions(b.doc.versionLabel, a.doc.versionLabel))
          .map((o) => {
            const mention: VersionMention = {
              version: o.doc.key.version, versionLabel: o.doc.versionLabel, chunkId: o.chunk.id, page: o.chunk.page,
            };
            if (o.chunk.pageLabel !== undefined) mention.pageLabel = o.chunk.pageLabel;
            return mention;
          }),
      };
      if (chunk.pageLabel !== undefined) hit.pageLabel = chunk.pageLabel;
      return hit;
    });
    const response: SearchResponse = { query: request.query, mode, hits, notices };
    if (offset + limit < kept.length) response.nextOffset = offset + limit;
    return response;
  }
}

function latestVersionByProduct(documents: StoredDocument[]): Map<string, string> {
  const latest = new Map<string, { slug: string; label: string }>();
  for (const d of documents) {
    const current = latest.get(d.key.product);
    if (!current || compareVersions(d.versionLabel, current.label) > 0) latest.set(d.key.product, { slug: d.key.version, label: d.versionLabel });
  }
  return new Map([...latest].map(([p, v]) => [p, v.slug]));
}

function labelOf(documents: StoredDocument[], product: string, version: string): string {
  return documents.find((d) => d.key.product === product && d.key.version === version)?.versionLabel ?? version;
}

const round = (n: number) => Math.round(n * 1e6) / 1e6;
