/**
 * The search pipeline, in named stages that the service runs in order and that evaluation and the
 * benchmark call one by one:
 *
 *   plan      parse the query once, fix the mode and the candidate depth
 *   retrieve  lexical (BM25F) and vector candidates from the in-memory indexes, fused into one
 *             ranking of chunks; the query's vector is computed while the lexical index ranks
 *   collect   fold near-identical passages, prefer each product's newest relevant version and a
 *             product the query names: documents and folding signatures come from the lexical
 *             index, chunk rows from the store only for the passages judged or shown
 *   evidence  how well a passage matches, from its own words (relevance floor, cited page)
 *
 * Building the hits a surface shows (snippets, labels, paging) is the service's last stage.
 */

import { analyze } from '../analysis/analyzer.js';
import { LibraryError } from '../library/errors.js';
import { LIMITS } from '../library/limits.js';
import type { CatalogStore, ContentStore, IndexSource, ScoredRowid, StoredChunk, StoredDocument } from '../store/store.js';
import { DEFAULT_BM25, type Bm25Params } from './lexical/bm25-params.js';
import { DEFAULT_FUSION, fuseRanks, vectorWeightFor, type FusionParams } from './fusion.js';
import { CandidateRows, StaleCandidates } from './candidate-rows.js';
import { groupNearDuplicates, type Foldable } from './near-duplicates.js';
import { PassageSignatures } from './passage-signatures.js';
import { matchLevel } from './relevance.js';
import { answeringVersions, newestMember, preferredScore, type AnsweringVersion, type PassageGroup } from './version-preference.js';
import { frameOf, indexedIdentifiersFound, indexedMatchEvidence, matchEvidence, queryIds, type MatchEvidence, type QueryIds } from './match-evidence.js';
import { findTerm, termKey, termText, type TermDictionaryData } from './lexical/term-dictionary.js';
import type { ChunkTerms } from './lexical/chunk-terms.js';
import { weighQuery, type WeightedQuery } from './weighted-query.js';
import { queryNamePairs, queryNames, type QueryName } from './query-names.js';
import { queryObject } from './query-object.js';
import { describeRewrites, rewriteUnknownWords, type QueryRewrite } from './query-rewrite.js';
import { spelledOutTerms, withSpelledOut } from './short-forms.js';
import { IndexTermWeights } from './term-weights.js';
import type { SearchIndexes } from './indexes/search-indexes.js';
import { leftOutNotice, parseQuery, type ParsedQuery } from './query.js';
import type { QueryVectors } from './query-vectors.js';
import { timed, timedAsync, timedPart, type SearchTrace } from './trace.js';
import { isContentsListing } from './contents-listing.js';
import { listedCopies } from './also-in.js';

export type SearchMode = 'hybrid' | 'lexical' | 'vector';
export type { AnsweringVersion };

/** Passages judged when choosing each product's answering version: the best of each version among the top. */
const VERSIONS_JUDGED = 24;
/**
 * The most candidates a search folds when the usual depth folds into too few passages (see
 * collectEnough): sixteen times the usual hundred. A library holding one passage in a dozen versions
 * of four sibling products has 48 candidates per passage; at 1,600 candidates a search at 1M chunks
 * takes tens of milliseconds, where the deepest page (offset 1,000: 3,300) takes hundreds.
 */
export const DEEPEST_COLLECT = 1_600;

export interface SearchTuning {
  bm25: Bm25Params;
  fusion: FusionParams;
  /** Candidates taken from each ranker before fusion. */
  depth: number;
  /**
   * Candidates read and folded into passages, at least; a deep page reads more. Near-identical
   * passages score alike, so their copies in other versions rank close together, well within this.
   */
  collectDepth: number;
  /** Without a version filter, passages only a product's older versions hold rank at most this share of the answering version's best. */
  olderVersionWeight: number;
  /** When the query names a product, other products' passages rank as if this much as relevant. */
  otherProductWeight: number;
  /** Score bonus (a share) for a passage holding every identifier of the query. */
  identifierBoost: number;
  /**
   * A table of contents ranks as if this much as relevant (contents-listing.ts): it lists the
   * section titles a question shares words with, and answers none of them. One that holds the
   * query word for word (a contents line copied as the query) keeps its score.
   */
  contentsWeight: number;
}

// Fusion weights were tuned with 300 candidates per list; normalisation depends on that depth.
export const DEFAULT_TUNING: SearchTuning = { bm25: DEFAULT_BM25, fusion: DEFAULT_FUSION, depth: 300, collectDepth: 100, olderVersionWeight: 0.7, otherProductWeight: 0.5, identifierBoost: 0.5, contentsWeight: 0.5 };

/** The query without some of its terms (its phrases kept); the query itself when nothing would be left. */
function withoutTerms(parsed: ParsedQuery, drop: ReadonlySet<string>): ParsedQuery | undefined {
  const terms = new Map([...parsed.terms].filter(([term]) => !drop.has(term)));
  return terms.size === parsed.terms.size || terms.size === 0 ? undefined : { ...parsed, terms };
}

/**
 * Why query vectors from `queryModel` cannot search the library's vectors, if they cannot: another
 * process re-indexed the library without an embedder, or with another one, since this one started.
 * Vectors of another model live in another space, so comparing them would rank at random.
 */
function staleVectors(libraryModel: string | null | undefined, queryModel: string): string | undefined {
  if (libraryModel === null) return 'Lexical search only: the library is now indexed without an embedder (re-indexed since this server started), so it holds no vectors.';
  if (libraryModel !== undefined && libraryModel !== queryModel) {
    return `Lexical search only: the library's vectors are now made by ${libraryModel}, and this server embeds queries with ${queryModel}; restart it to search by meaning again.`;
  }
  return undefined;
}

/** Before the query is parsed (in the plan's first step). */
const EMPTY_QUERY: ParsedQuery = { terms: new Map(), phrases: [], tokens: [] };

export interface SearchPlan {
  query: string;
  parsed: ParsedQuery;
  mode: SearchMode;
  depth: number;
  /** Candidates the collect stage reads: enough to fill the requested page after folding. */
  collectDepth: number;
  /**
   * Candidates lexical ranking returns: `depth` when fusion (or evaluation) reads the ranking,
   * only what collect reads when lexical ranking is all there is. Rank-safe top k with ties by
   * rowid, so the shorter list is the longer one's head, and pruning to it is faster.
   */
  lexicalDepth: number;
  /** Passages the collect stage ranks in their final order (the rest are only counted): the page and what the relevance floor reads. */
  shown: number;
  /** Only chunks of these documents, when the request filters. */
  docRowids?: ReadonlySet<number>;
  notices: string[];
  /** The indexes this search ranks with, taken once: later stages weigh terms over the same snapshot. */
  indexes?: SearchIndexes;
  /** The query's terms with their library weights, computed on first use. */
  weighted?: WeightedQuery;
  termWeights?: IndexTermWeights;
  /** The query lexical ranking uses when it differs from `parsed`: without the words that named the search's scope. */
  rankingQuery?: ParsedQuery;
  /** Words the library lacks, read as a compound before ranking. */
  rewrites?: QueryRewrite[];
  /** The query without what it sets its subject against (query-contrast.ts, judged by service/search.ts): what lexical ranking and the relevance floor read; the query vector reads the query as written. */
  subject?: string;
  /** Long forms the library holds of the query's short forms ("minimum" for "min"), each with the short terms it stands for: ranked as terms, and matched as those short terms. */
  spelledOut?: Map<string, string[]>;
  /** Products the query names: their passages rank first (others at otherProductWeight of their score). */
  preferredProducts?: ReadonlySet<string>;
  /** Evidence already read, by chunk rowid: several stages ask about the same passages. */
  evidence?: Map<number, MatchEvidence>;
  /** The query in each index segment's term ids, for evidence read from indexed terms. */
  queryIds?: Map<TermDictionaryData, QueryIds>;
}

export interface Candidate {
  chunk: StoredChunk;
  doc: StoredDocument;
}

/** One passage to show, with the same passage in other versions folded under it. */
export interface RankedPassage {
  primary: Candidate;
  /** The same passage elsewhere, as its hit lists it (also-in.ts), newest version first. */
  others: Candidate[];
  /** How many other copies the passage has, listed or not. */
  otherCount: number;
  score: number;
}

export interface Collected {
  /** The best passages in order, at least as many as the plan shows (or all there are). */
  passages: RankedPassage[];
  /** Passages the candidates fold into: how far the result could be paged. */
  total: number;
  /** Without a version filter: product slug → the version it answers from. Empty when all versions count alike. */
  answering: Map<string, AnsweringVersion>;
}

export type EngineStore = ContentStore & Pick<CatalogStore, 'documentByRowid' | 'documentsByRowid'> & Pick<IndexSource, 'vectorModel'>;

/**
 * A candidate while it is folded and ranked: its chunk's row is read (through the search's
 * CandidateRows) only when its words are judged or it is shown.
 */
class CandidateMember implements Foldable {
  readonly product: string;
  readonly version: string;
  readonly document: string;

  constructor(readonly rowid: number, readonly doc: StoredDocument, readonly score: number, private readonly rows: CandidateRows) {
    this.product = doc.key.product;
    this.version = doc.key.version;
    this.document = doc.docId;
  }

  get chunk(): StoredChunk {
    return this.rows.chunk(this.rowid);
  }

  get text(): string {
    return this.chunk.text;
  }
}

/**
 * Folding signatures of passages the lexical index holds none for (a snapshot behind the store),
 * one store per thread: they depend on a passage's text alone, so every engine of the thread
 * shares them, including the short-lived one a search worker makes per search.
 */
const signatures = new PassageSignatures();

/**
 * Each document's analysed context (title and labels), the first part of its passages' frame, kept
 * while the store's catalog keeps the document's record: a changed document is a new record.
 */
const contexts = new WeakMap<StoredDocument, string[]>();

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

  /** Stage 1: the parsed query, the mode that can actually run, and how deep to rank. */
  /**
   * `scopeTerms` are the query's words that named the product and version it is narrowed to
   * (query-scope.ts): every candidate is in that scope, so lexical ranking leaves them out.
   * `wholeRanking`: the caller reads the ranking itself, `depth` deep (evaluation), not through collect.
   * `subject`: the query without what it sets itself against (query-contrast.ts), when the caller judged it so.
   */
  plan(query: string, options: { mode?: SearchMode; depth?: number; shown?: number; docRowids?: ReadonlySet<number>; preferredProducts?: ReadonlySet<string>; scopeTerms?: ReadonlySet<string>; wholeRanking?: boolean; subject?: string }, trace?: SearchTrace): SearchPlan {
    const notices: string[] = [];
    let mode = options.mode ?? 'hybrid';
    if (mode !== 'lexical' && !this.queryVectors) {
      notices.push('Lexical search only: no embedder is configured for this library.');
      mode = 'lexical';
    }
    const stale = mode === 'lexical' || !this.queryVectors ? undefined : staleVectors(this.store.vectorModel(), this.queryVectors.model);
    if (stale) {
      notices.push(stale);
      mode = 'lexical';
    }
    const depth = Math.max(this.tuning.depth, options.depth ?? 0);
    const collectDepth = Math.max(this.tuning.collectDepth, options.depth ?? 0);
    const lexicalDepth = mode === 'lexical' && !options.wholeRanking ? collectDepth : depth;
    const plan: SearchPlan = { query, parsed: EMPTY_QUERY, mode, depth, collectDepth, lexicalDepth, shown: options.shown ?? collectDepth, notices };
    if (options.docRowids) plan.docRowids = options.docRowids;
    if (options.preferredProducts) plan.preferredProducts = options.preferredProducts;
    timed(trace, 'parse', () => {
      if (options.subject) plan.subject = options.subject;
      const read = plan.subject ?? query;
      const asWritten = parseQuery(read);
      const leftOut = leftOutNotice(asWritten);
      if (leftOut) notices.push(leftOut);
      const { parsed, rewrites } = rewriteUnknownWords(asWritten, read, (term) => this.termWeights(plan).frequency(term));
      plan.parsed = parsed;
      if (options.scopeTerms) plan.rankingQuery = withoutTerms(parsed, options.scopeTerms);
      const spelledOut = spelledOutTerms(plan.rankingQuery ?? parsed, read, (term) => this.termWeights(plan).known(term));
      if (spelledOut.size > 0) {
        plan.spelledOut = spelledOut;
        plan.rankingQuery = withSpelledOut(plan.rankingQuery ?? parsed, spelledOut);
      }
      if (rewrites.length > 0) {
        plan.rewrites = rewrites;
        notices.push(`Read ${describeRewrites(rewrites)}: the library has no such word.`);
      }
    });
    return plan;
  }

  /**
   * Stage 2: ranked chunk rowids. Hybrid search degrades to lexical when the embedder fails,
   * rather than every search failing with it; the plan's notices say so.
   */
  async retrieve(plan: SearchPlan, trace?: SearchTrace): Promise<ScoredRowid[]> {
    const { lexical: lexicalIndex, vectors } = this.snapshot(plan);
    const queryVectors = plan.mode === 'lexical' || plan.query.trim() === '' ? null : this.queryVectors;
    const fusion = this.tuning.fusion;
    // Re-ranking with adaptive weights can learn from the lexical ranking alone that the vector side
    // weighs nothing (the best passage holds the whole query): then the query is not embedded at all.
    // It is asked for after the lexical ranking (under a millisecond at 100k chunks, against ~20 ms
    // for USE-lite to embed a query): started beside it, an embedding no search waits for would still
    // hold the embedder, and the next query's would queue behind it. Otherwise it starts first and
    // the embedder runs in its own thread while the lexical index ranks here.
    const deferred = plan.mode === 'hybrid' && fusion.method === 'rerank' && fusion.adaptive === true;
    const embed = (source: QueryVectors) => {
      const started = timedAsync(trace, 'embed', () => this.queryVector(source, plan.query));
      started.catch(() => {}); // awaited below; this only keeps a failure from counting as unhandled meanwhile
      return started;
    };
    let embedding = queryVectors && !deferred ? embed(queryVectors) : undefined;
    const lexical = plan.mode === 'vector' ? [] : timed(trace, 'lexical', () => lexicalIndex.search(plan.rankingQuery ?? plan.parsed, plan.lexicalDepth, plan.docRowids), (r) => ({ candidates: r.length }));
    if (!queryVectors) return lexical;
    // Re-ranking needs the similarity of the lexical candidates only: reading their few hundred
    // vectors instead of scanning every vector in the library (17 of 30 ms of a hybrid search at
    // 25k chunks). Otherwise the nearest neighbours are the list.
    const rerank = plan.mode === 'hybrid' && fusion.method === 'rerank' && lexical.length > 0;
    // The vector side's weight is known before any similarity is: when it weighs nothing the fused
    // scores are the lexical ones to the bit, with or without the vector (other methods take
    // candidates from the vector list, so they need it whatever its weight).
    const [coverage, coverageMs] = plan.mode === 'hybrid' && fusion.adaptive ? timedPart(trace, () => this.lexicalCoverage(plan, lexical)) : [0, 0];
    /** The fuse step, measured with the coverage it was weighed by. */
    const fuse = (vector: ScoredRowid[]) => {
      const [fused, fuseMs] = timedPart(trace, () => fuseRanks(lexical, vector, fusion, coverage));
      trace?.step('fuse', coverageMs + fuseMs);
      return fused;
    };
    if (rerank && vectorWeightFor(fusion, coverage) === 0) return fuse([]);
    embedding ??= embed(queryVectors);
    let queryVector: Float32Array;
    try {
      queryVector = await embedding;
    } catch (error) {
      if (plan.mode !== 'hybrid' || !(error instanceof LibraryError && error.code === 'unavailable')) throw error;
      plan.notices.push('Lexical search only: semantic search is unavailable right now (the embedder did not answer).');
      plan.mode = 'lexical';
      return lexical;
    }
    const vector = timed(trace, 'vector', () => {
      if (!vectors || vectors.dims !== queryVector.length) return [];
      return rerank ? vectors.score(queryVector, lexical.map((r) => r.rowid)) : vectors.search(queryVector, plan.depth, plan.docRowids);
    }, (r) => ({ candidates: r.length }));
    if (plan.mode === 'vector') return vector;
    return fuse(vector);
  }

  /**
   * How much of the query the best lexical passage holds (its window coverage): what adaptive
   * fusion weighs the vector side by. A passage holding every identifier the query names holds
   * what it asks for exactly: semantic similarity cannot improve on that, only reorder look-alikes
   * (the same paragraph in a sibling product), so it counts as holding the whole query.
   */
  lexicalCoverage(plan: SearchPlan, lexical: ScoredRowid[]): number {
    const best = lexical[0];
    if (!best) return 0;
    const docRowid = this.snapshot(plan).lexical.documentOf(best.rowid);
    const doc = docRowid === undefined ? undefined : this.store.documentByRowid(docRowid);
    if (!doc) return 0;
    // Its indexed terms stand in for its row where they can (the snapshot that ranked it holds
    // them): the row, text and all, was read from the store for this alone. Where they cannot, a
    // passage the store no longer holds as the index does (a write since) holds nothing.
    const evidence = this.evidenceOf(plan, best.rowid, doc, () => this.store.chunksByRowid([best.rowid]).find((c) => c.docRowid === doc.rowid));
    if (!evidence) return 0;
    return evidence.identifiersAsked > 0 && evidence.identifiersFound === evidence.identifiersAsked ? 1 : evidence.windowCoverage;
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
   * Stage 3 (collect) with as many candidates as folding needs: `wanted` passages (a page and one
   * more, so that whether another page exists is known). Versions fold: in a library holding a
   * dozen versions of a product, the hundred best chunks can be a handful of passages, and the
   * search would end after them although the library holds more. While the candidates fold into
   * fewer than `wanted` and the ranking was cut at its depth, more of it is read, and it is ranked
   * again four times deeper when it has no more to read, up to DEEPEST_COLLECT candidates.
   * Lexical ranking is rank-safe, so a deeper list begins with the shorter one; fusion normalises
   * vector similarities among the candidates, so a hybrid list ranked deeper can order its head a
   * little differently, as a deeper page's does.
   */
  async collectEnough(plan: SearchPlan, ranked: ScoredRowid[], newestOnly: boolean, wanted: number, trace?: SearchTrace): Promise<Collected> {
    let collected = this.collect(plan, ranked, newestOnly, trace);
    while (collected.total < wanted) {
      if (ranked.length > plan.collectDepth) {
        plan.collectDepth = Math.min(ranked.length, plan.collectDepth * 4);
      } else if (ranked.length >= Math.min(plan.lexicalDepth, plan.depth) && plan.collectDepth < DEEPEST_COLLECT) {
        const depth = Math.min(DEEPEST_COLLECT, plan.collectDepth * 4);
        plan.collectDepth = depth;
        plan.depth = Math.max(plan.depth, depth);
        plan.lexicalDepth = plan.mode === 'lexical' ? depth : plan.depth;
        ranked = await this.retrieve(plan, trace);
      } else {
        break;
      }
      collected = this.collect(plan, ranked, newestOnly, trace);
    }
    return collected;
  }

  /**
   * Stage 3: the candidates as passages in rank order. Near-identical passages of a product (across
   * versions, or across revisions within one) become one passage, shown from its newest version with
   * the others under "also in". With `newestOnly`, each product answers from its newest version with
   * a passage matching as well as its best one, and passages only older versions hold rank below
   * that version's best passage (version-preference.ts). Candidates of documents outside the plan's
   * (or the library's current) documents are left out.
   *
   * A candidate's document comes from the index snapshot the search ranked with; when the store no
   * longer agrees with it (a write since), the candidates are collected again from the store's rows.
   */
  collect(plan: SearchPlan, ranked: ScoredRowid[], newestOnly: boolean, trace?: SearchTrace): Collected {
    const read = ranked.slice(0, plan.collectDepth);
    const rowids = read.map((r) => r.rowid);
    const { lexical } = this.snapshot(plan);
    const indexed = timed(trace, 'load', () => CandidateRows.fromIndex(this.store, rowids, (rowid) => lexical.documentOf(rowid)));
    if (indexed) {
      try {
        return this.fold(plan, read, indexed, newestOnly, trace);
      } catch (error) {
        if (!(error instanceof StaleCandidates)) throw error;
      }
    }
    const stored = timed(trace, 'load', () => CandidateRows.fromStore(this.store, rowids));
    return this.fold(plan, read, stored, newestOnly, trace);
  }

  private fold(plan: SearchPlan, read: readonly ScoredRowid[], rows: CandidateRows, newestOnly: boolean, trace?: SearchTrace): Collected {
    let held = 0;
    return timed(trace, 'fold', () => {
      const wanted = new Set<number>();
      for (const { rowid } of read) {
        const docRowid = rows.documentOf(rowid);
        if (docRowid === undefined) continue;
        held++;
        if (!plan.docRowids || plan.docRowids.has(docRowid)) wanted.add(docRowid);
      }
      const documents = this.store.documentsByRowid(wanted);
      const candidates: CandidateMember[] = [];
      for (const { rowid, score } of read) {
        const docRowid = rows.documentOf(rowid);
        const doc = docRowid === undefined ? undefined : documents.get(docRowid);
        if (doc) candidates.push(new CandidateMember(rowid, doc, score, rows));
      }
      const { lexical } = this.snapshot(plan);
      const folded = groupNearDuplicates(candidates, undefined, undefined, (c) => lexical.foldSignature(c.rowid, c.doc.rowid) ?? signatures.of(c.text));
      const newest = folded.map((members) => newestMember(members));
      // Identifier evidence is part of a passage's score before versions are judged: the newest
      // version's passage naming ConfigFileURL must be among those judged even when its text ranks
      // low. It costs an identifier check of every group, so only queries that name an identifier pay it.
      const identifiers = this.namesIdentifiers(plan);
      const groups: PassageGroup<CandidateMember>[] = folded.map((members, g) => {
        return { members, newest: newest[g]!, score: members[0]!.score * (identifiers ? this.identifierFactor(plan, newest[g]!) : 1) };
      });
      if (identifiers) groups.sort((a, b) => b.score - a.score);
      const answering = newestOnly
        ? answeringVersions(groups, (g) => {
          const evidence = this.memberEvidence(plan, g.newest);
          return { level: matchLevel(evidence), verbatim: evidence.verbatim };
        }, VERSIONS_JUDGED, this.weighted(plan).whole !== undefined)
        : new Map<string, AnsweringVersion>();
      return { passages: this.rankPassages(plan, groups, answering, rows), total: groups.length, answering };
    }, (c) => ({ candidates: held, passages: c.total }));
  }

  /**
   * The groups as passages in order of their preferred score (ties in group order), as far as the
   * plan shows. Group scores already hold the identifier factor (see collect).
   */
  private rankPassages(plan: SearchPlan, groups: readonly PassageGroup<CandidateMember>[], answering: ReadonlyMap<string, AnsweringVersion>, rows: CandidateRows): RankedPassage[] {
    const scores = groups.map((group) => this.passageScore(plan, group, answering.get(group.newest.product)));
    const shown = groups.map((_, index) => index).sort((a, b) => scores[b]! - scores[a]! || a - b).slice(0, Math.min(plan.shown, groups.length));
    const listed = shown.map((index) => {
      const group = groups[index]!;
      return listedCopies(group.members.filter((m) => m !== group.newest), LIMITS.alsoInListed);
    });
    // The rows of the passages shown, with the copies they list, read together.
    rows.load(shown.flatMap((index, i) => [groups[index]!.newest.rowid, ...listed[i]!.map((m) => m.rowid)]));
    return shown.map((index, i): RankedPassage => {
      const group = groups[index]!;
      return {
        primary: { chunk: group.newest.chunk, doc: group.newest.doc },
        others: listed[i]!.map(({ chunk, doc }) => ({ chunk, doc })),
        otherCount: group.members.length - 1,
        score: scores[index]!,
      };
    });
  }

  /** A passage's score once its product's answering version and a product the query names are preferred, and contents pages are not. */
  private passageScore(plan: SearchPlan, group: PassageGroup<CandidateMember>, answer: AnsweringVersion | undefined): number {
    const otherProduct = plan.preferredProducts !== undefined && !plan.preferredProducts.has(group.newest.product);
    return preferredScore(group, answer, this.tuning.olderVersionWeight)
      * (otherProduct ? this.tuning.otherProductWeight : 1)
      * (this.isContents(plan, group.newest) && !this.memberEvidence(plan, group.newest).verbatim ? this.tuning.contentsWeight : 1);
  }

  /** From the index snapshot's flag; from the text (reading the row) where the snapshot lags the store. */
  private isContents(plan: SearchPlan, member: CandidateMember): boolean {
    return this.snapshot(plan).lexical.isContents(member.rowid, member.doc.rowid) ?? isContentsListing(member.text);
  }

  private namesIdentifiers(plan: SearchPlan): boolean {
    return this.tuning.identifierBoost > 0 && this.weighted(plan).identifiers.length > 0;
  }

  /** A passage holding every identifier the query names (NOT_READY, ConfigFileURL) outranks look-alikes that share only its other words. */
  private identifierFactor(plan: SearchPlan, candidate: CandidateMember): number {
    if (!this.namesIdentifiers(plan)) return 1;
    return this.identifiersFound(plan, candidate) === this.weighted(plan).identifiers.length ? 1 + this.tuning.identifierBoost : 1;
  }

  private weighted(plan: SearchPlan): WeightedQuery {
    plan.weighted ??= weighQuery(plan.parsed, plan.subject ?? plan.query, this.termWeights(plan), new Map(plan.rewrites?.map((r) => [r.term, r.terms])), plan.spelledOut);
    return plan.weighted;
  }

  /** Term frequencies over the snapshot this search ranks with, looked up once per term. */
  private termWeights(plan: SearchPlan): IndexTermWeights {
    plan.termWeights ??= new IndexTermWeights(this.snapshot(plan).lexical);
    return plan.termWeights;
  }

  private snapshot(plan: SearchPlan): SearchIndexes {
    plan.indexes ??= this.indexes();
    return plan.indexes;
  }

  /**
   * Stage 4: how well a passage matches the query, from its own words (the relevance floor and the
   * cited page read it). The words are the chunk's analysed terms as the lexical index holds them;
   * the text is analysed again only where the index cannot stand in for it (see analysedAlike).
   */
  evidence(plan: SearchPlan, candidate: Candidate): MatchEvidence {
    return this.evidenceOf(plan, candidate.chunk.rowid, candidate.doc, () => candidate.chunk);
  }

  /**
   * Evidence of the chunk `rowid` of `doc`, reading its row (`chunkOf`) only where the index cannot
   * stand in for it; undefined when that row is not there to read.
   */
  private evidenceOf(plan: SearchPlan, rowid: number, doc: StoredDocument, chunkOf: () => StoredChunk): MatchEvidence;
  private evidenceOf(plan: SearchPlan, rowid: number, doc: StoredDocument, chunkOf: () => StoredChunk | undefined): MatchEvidence | undefined;
  private evidenceOf(plan: SearchPlan, rowid: number, doc: StoredDocument, chunkOf: () => StoredChunk | undefined): MatchEvidence | undefined {
    plan.evidence ??= new Map();
    let evidence = plan.evidence.get(rowid);
    if (!evidence) {
      const indexed = this.indexedTerms(plan, rowid, doc);
      if (indexed) {
        const { dictionary, ids, body } = indexed;
        evidence = indexedMatchEvidence(this.weighted(plan), this.queryIds(plan, dictionary), this.indexedFrame(doc, indexed), ids, body[0], body[1]);
      } else {
        const chunk = chunkOf();
        if (!chunk) return undefined;
        evidence = matchEvidence(this.weighted(plan), { context: this.contextOf(doc), headingPath: chunk.headingPath, text: chunk.text });
      }
      plan.evidence.set(rowid, evidence);
    }
    return evidence;
  }

  /**
   * A chunk's analysed terms as the index snapshot holds them, when they can stand in for its
   * text (see analysedAlike). The snapshot may lag the store: a rowid it holds for another
   * document (reused since) is read from the text.
   */
  private indexedTerms(plan: SearchPlan, rowid: number, doc: StoredDocument): ChunkTerms | undefined {
    const indexed = this.snapshot(plan).lexical.chunkTerms(rowid);
    return indexed && indexed.docRowid === doc.rowid && indexed.alike ? indexed : undefined;
  }

  /** The analysed words of a passage's frame from its indexed terms: its document's context, then its headings. */
  private indexedFrame(doc: StoredDocument, { dictionary, ids, headings }: ChunkTerms): string[] {
    const frame = [...this.context(doc)];
    for (let i = headings[0]; i < headings[1]; i++) frame.push(termText(dictionary, ids[i]!));
    return frame;
  }

  /**
   * How many of the query's identifiers a candidate holds: the part of its evidence that ranks it
   * (identifierFactor), read for every candidate group; the rest is computed only for the passages
   * judged or shown. Equal to its evidence's `identifiersFound` by construction (match-evidence.ts).
   */
  private identifiersFound(plan: SearchPlan, member: CandidateMember): number {
    const kept = plan.evidence?.get(member.rowid);
    if (kept) return kept.identifiersFound;
    const indexed = this.indexedTerms(plan, member.rowid, member.doc);
    if (!indexed) return this.memberEvidence(plan, member).identifiersFound;
    const { dictionary, ids, body } = indexed;
    return indexedIdentifiersFound(this.weighted(plan), this.queryIds(plan, dictionary), () => this.indexedFrame(member.doc, indexed), ids, body[0], body[1]);
  }

  /** A candidate's evidence while collecting: its row is read only when its indexed terms cannot stand in for it. */
  private memberEvidence(plan: SearchPlan, member: CandidateMember): MatchEvidence {
    return this.evidenceOf(plan, member.rowid, member.doc, () => member.chunk);
  }

  /** What frames a document's passages: its title and labels. */
  private contextOf(doc: StoredDocument): string[] {
    return [doc.title, doc.vendorLabel, doc.key.product, doc.productLabel, doc.versionLabel];
  }

  private context(doc: StoredDocument): string[] {
    let context = contexts.get(doc);
    if (!context) contexts.set(doc, (context = frameOf({ context: this.contextOf(doc), headingPath: [] })));
    return context;
  }

  private queryIds(plan: SearchPlan, dictionary: TermDictionaryData): QueryIds {
    plan.queryIds ??= new Map();
    let compiled = plan.queryIds.get(dictionary);
    if (!compiled) plan.queryIds.set(dictionary, (compiled = queryIds(this.weighted(plan), (term) => findTerm(dictionary, termKey(term)))));
    return compiled;
  }

  /** The words to mark in snippets: the query's subject terms and identifiers, not "how", "do" or "the". */
  highlightTerms(plan: SearchPlan): Set<string> {
    const weighted = this.weighted(plan);
    return new Set([...weighted.weights.keys(), ...weighted.unknown.flatMap((w) => analyze(w)), ...weighted.identifiers.flat(), ...(plan.spelledOut?.keys() ?? [])]);
  }

  /**
   * The names the query writes (query-names.ts) that none of these documents mentions: in no
   * chunk, title or label; and the thing a how-to question acts on (query-object.ts) when one of its
   * words is nowhere in them. Asked of the documents a search found, a name they never mention says
   * they are about something else, however many of the other words they share.
   */
  unmentionedNames(plan: SearchPlan, docs: readonly StoredDocument[]): string[] {
    const names = queryNames(plan.subject ?? plan.query);
    const pairs = queryNamePairs(plan.subject ?? plan.query);
    const object = queryObject(plan.subject ?? plan.query);
    if ((names.length === 0 && pairs.length === 0 && object === undefined) || docs.length === 0) return [];
    const docRowids = new Set(docs.map((d) => d.rowid));
    const { lexical } = this.snapshot(plan);
    let frames: Set<string> | undefined; // titles and labels, read only for a term the text lacks
    const inFrames = (term: string) => (frames ??= new Set(docs.flatMap((d) => this.context(d)))).has(term);
    const mentioned = (term: string) => lexical.containsTerm(term, docRowids) || inFrames(term);
    // A name the documents write apart ("SUBSCRIPTIONID" for SUBSCRIPTION_ID) is mentioned in its two parts.
    const mentionedApart = (word: string) => {
      for (let k = 2; k + 2 <= word.length; k++) {
        const parts = [...analyze(word.slice(0, k)), ...analyze(word.slice(k))];
        if (parts.length === 2 && parts.every(mentioned)) return true;
      }
      return false;
    };
    const single = names.filter((name) => !name.terms.every(mentioned) && !mentionedApart(name.word)).map((name) => name.word);
    // A two-word name whose words each appear, but never together ("Transit Gateway" beside "transit VPC" and "internet gateway").
    const together = (pair: QueryName) => lexical.containsPhrase(pair.terms, docRowids) || (pair.withPossessive !== undefined && lexical.containsPhrase(pair.withPossessive, docRowids));
    const apart = pairs.filter((pair) => pair.terms.every(mentioned) && !together(pair)).map((pair) => pair.word);
    // What a how-to question acts on ("enable accelerated networking"), when a word of it is nowhere in these documents:
    // written whole, as the compound the query's words join into, or (a short form) spelled out.
    const { weights, joins } = this.weighted(plan);
    const heldBy = (term: string) => mentioned(term) || [...joins].some(([joined, parts]) => parts.includes(term) && mentioned(joined));
    const unmentionedObject = object?.words.some(({ word, terms }) => terms.some((t) => weights.has(t) && !heldBy(t)) && !mentionedApart(word));
    return [...single, ...apart, ...(unmentionedObject && object ? [object.text] : [])];
  }

  /** The query's terms that no chunk of the library holds. */
  unknownTerms(plan: SearchPlan): string[] {
    return this.weighted(plan).unknown;
  }

  /** Stages 1 and 2 alone: what evaluation scores. */
  async rank(query: string, mode: SearchMode, depth: number, docRowids?: ReadonlySet<number>): Promise<ScoredRowid[]> {
    return this.retrieve(this.plan(query, { mode, depth, wholeRanking: true, ...(docRowids ? { docRowids } : {}) }));
  }
}

