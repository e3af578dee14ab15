import { DEFAULT_BM25, type Bm25Params } from './bm25-params.js';
import { IndexInputError } from '../segments/index-input-error.js';
import { DEFAULT_MERGE_POLICY, planMerge, validateMergePolicy, type MergePolicy } from '../segments/merge-policy.js';
import type { ScoredRowid } from '../segments/ranked-heap.js';
import { localsOf } from '../segments/doc-runs.js';
import { findLocal } from '../segments/rowid-table.js';
import { bytesOf } from '../segments/typed-memory.js';
import { averageLengths } from './bm25f.js';
import { DocsSource, MergeSource } from './chunk-sources.js';
import { validateDocs, validateParams, validateQuery, type LexicalDoc, type LexicalQuery } from './lexical-input.js';
import { readLexicalFile, writeLexicalFile } from './lexical-file.js';
import { searchSegments, segmentsContainPhrase, segmentsContainTerm, type SegmentState } from './lexical-search.js';
import { withRemoved } from './live-state.js';
import { drift } from './score-bound.js';
import { buildSegment, refreshBounds } from './segment-builder.js';
import { chunkTermsOf, type ChunkTerms } from './chunk-terms.js';
import { foldSignatureOf } from './fold-signatures.js';
import type { Signature } from '../near-duplicates.js';
import { segmentArrays, segmentData } from './segment-data.js';
import { findTerm, termCount, termKey } from './term-dictionary.js';

export type { LexicalDoc, LexicalQuery } from './lexical-input.js';
export type { ChunkTerms } from './chunk-terms.js';

/**
 * The in-memory lexical index: BM25F over title, headings and body with phrase boosts (bm25f.ts),
 * answered by rank-safe block-max MaxScore over immutable typed-array segments.
 *
 *   const index = LexicalIndex.create();               // DEFAULT_BM25, private memory
 *   index.add(chunks);                                  // one new segment per call
 *   index.remove([rowid, …]);                           // tombstones; statistics stay exact
 *   index.removeDocuments(new Set([docRowid, …]));      // every chunk of these documents
 *   while (index.mergeStep()) await setImmediate();     // maintenance, one merge per step (node:timers/promises)
 *   index.search(parseQuery(text), 10, docRowids);      // [{ rowid, score }], best first, ties by rowid
 *   index.save(file, changeLogPosition);                // atomic; LexicalIndex.load(file) reads it back
 *   worker.postMessage(index.share());                  // LexicalIndex.attach(handle) in the worker
 *
 * Same live chunks → same scores, bit for bit, and the same top k, however they were batched,
 * removed and merged: statistics are global and applied at query time, terms are summed in query order.
 * Mutations are synchronous and replace state rather than edit it, so a handle shared earlier stays
 * a consistent snapshot; share again after changes.
 */
export interface LexicalIndexOptions {
  /** Keep arrays in SharedArrayBuffers, so `share()` hands worker threads the memory without copying. */
  shared?: boolean;
  mergePolicy?: Partial<MergePolicy>;
  /**
   * A query phrase whose rarest word has at most this many postings in a segment is matched up
   * front (cheap, and its boost is then known exactly); phrases of common words only are checked
   * just for the chunks that survive pruning. Speed only: results are the same for any value.
   */
  eagerPhrasePostings?: number;
}

export const DEFAULT_EAGER_PHRASE_POSTINGS = 2048;

export interface LexicalIndexStats {
  liveChunks: number;
  removedChunks: number;
  segments: number;
  /** Distinct terms summed over segments. */
  segmentTerms: number;
  postings: number;
  /** Bytes of typed arrays held (the index's memory, excluding small JS objects). */
  bytes: number;
  bytesPerLiveChunk: number;
}

/** What `share()` returns: structured-cloneable, with typed arrays that stay shared when posted. */
export interface LexicalIndexHandle {
  kind: 'lexical-index';
  params: Bm25Params;
  segments: SegmentState[];
}

/** When the averages moved this far from a segment's bound averages, its bounds are recomputed. */
const MAX_BOUND_DRIFT = 1.25;

export class LexicalIndex {
  private segments: SegmentState[] = [];

  private constructor(
    readonly params: Bm25Params,
    private readonly shared: boolean,
    private readonly policy: MergePolicy,
    private readonly eagerPhrasePostings: number,
    private readonly readOnly: boolean,
  ) {}

  static create(params: Bm25Params = DEFAULT_BM25, options: LexicalIndexOptions = {}): LexicalIndex {
    return new LexicalIndex(validateParams(params), options.shared ?? false, mergePolicyOf(options), eagerPhrasePostingsOf(options), false);
  }

  /** Live chunks. */
  get size(): number {
    return this.segments.reduce((sum, s) => sum + s.live.liveCount, 0);
  }

  get segmentCount(): number {
    return this.segments.length;
  }

  /** Adds chunks as one new segment. Rowids must be new (remove a chunk before adding it again). */
  add(docs: readonly LexicalDoc[]): void {
    this.assertWritable('add');
    validateDocs(docs);
    if (docs.length === 0) return;
    const batch = new Set<number>();
    for (const { rowid } of docs) {
      if (batch.has(rowid) || this.contains(rowid)) {
        throw new IndexInputError('add()', `rowid ${rowid} is already in the index`, 'Remove a chunk before adding it again');
      }
      batch.add(rowid);
    }
    const source = new DocsSource(docs);
    const { n, sums } = this.totals();
    const boundAverages = averageLengths(n + docs.length, sums.map((s, f) => s + source.lengthSums[f]!));
    this.segments = [...this.segments, buildSegment(source, { params: this.params, boundAverages, shared: this.shared })];
  }

  /** Removes chunks by rowid; unknown or already removed rowids are ignored. Returns how many were live. */
  remove(rowids: Iterable<number>): number {
    this.assertWritable('remove');
    const wanted = [...rowids];
    return this.tombstone((segment) => {
      const locals: number[] = [];
      for (const rowid of wanted) {
        const local = findLocal(segment.data, rowid);
        if (local >= 0 && segment.live.removed[local] === 0) locals.push(local);
      }
      return locals;
    });
  }

  /** Removes every live chunk of these documents. Returns how many were live. */
  removeDocuments(docRowids: ReadonlySet<number>): number {
    this.assertWritable('removeDocuments');
    if (docRowids.size === 0) return 0;
    return this.tombstone((segment) => localsOf(segment.data, segment.live.removed, docRowids));
  }

  /** Removes the live chunks `localsIn` picks in each segment (copy on write); returns how many were live. */
  private tombstone(localsIn: (segment: (typeof this.segments)[number]) => number[]): number {
    let count = 0;
    this.segments = this.segments.map((segment) => {
      const locals = localsIn(segment);
      const live = locals.length > 0 ? withRemoved(segment.data, segment.live, locals, this.shared) : undefined;
      if (!live) return segment;
      count += segment.live.liveCount - live.liveCount;
      return { data: segment.data, live };
    });
    return count;
  }

  /** How many live chunks hold the (analyzed) term in any field: what its idf is computed from. */
  documentFrequency(term: string): number {
    const key = termKey(term);
    let df = 0;
    for (const { data, live } of this.segments) {
      const id = findTerm(data, key);
      if (id >= 0) df += live.liveDf[id]!;
    }
    return df;
  }

  /**
   * One step of maintenance, if any is due: a tiered merge (dropping removed chunks), the rewrite of
   * a segment that lost many chunks, or fresh pruning bounds for a segment whose averages drifted.
   * Returns false when there is nothing to do. Results are the same before and after every step.
   */
  mergeStep(): boolean {
    this.assertWritable('mergeStep');
    const plan = planMerge(this.segments.map((s) => ({ chunks: s.data.rowids.length, live: s.live.liveCount })), this.policy);
    const { n, sums } = this.totals();
    const averages = averageLengths(n, sums);
    if (plan) {
      const inputs = plan.map((i) => this.segments[i]!);
      const merged = inputs.some((s) => s.live.liveCount > 0)
        ? [buildSegment(new MergeSource(inputs), { params: this.params, boundAverages: averages, shared: this.shared })]
        : [];
      const at = plan[0]!;
      this.segments = this.segments.flatMap((s, i) => (i === at ? merged : plan.includes(i) ? [] : [s]));
      return true;
    }
    const stale = this.segments.findIndex((s) => drift(averages, s.data.boundAverages) > MAX_BOUND_DRIFT);
    if (stale < 0) return false;
    const { data, live } = this.segments[stale]!;
    this.segments = this.segments.map((s, i) => (i === stale ? { data: refreshBounds(data, this.params, averages, this.shared), live } : s));
    return true;
  }

  /**
   * The k best chunks for a query, best first (ties by ascending rowid), optionally only chunks of
   * the given documents. `exhaustive` scores every candidate without pruning (the reference).
   */
  search(query: LexicalQuery, k: number, allowedDocRowids?: ReadonlySet<number>, options: { exhaustive?: boolean } = {}): ScoredRowid[] {
    validateQuery(query, k, allowedDocRowids);
    return searchSegments(this.segments, this.params, query, k, allowedDocRowids, !options.exhaustive, this.eagerPhrasePostings);
  }

  /** Whether any live chunk, of the given documents only when they are given, holds the analyzed term. */
  containsTerm(term: string, allowedDocRowids?: ReadonlySet<number>): boolean {
    validateQuery({ terms: new Map([[term, 1]]), phrases: [] }, 1, allowedDocRowids);
    return segmentsContainTerm(this.segments, term, allowedDocRowids);
  }

  /**
   * Whether any live chunk, of the given documents only when they are given, holds the analyzed
   * tokens adjacently within one field (the relevance floor asks whether documents name "Transit Gateway").
   */
  containsPhrase(phrase: readonly string[], allowedDocRowids?: ReadonlySet<number>): boolean {
    validateQuery({ terms: new Map(phrase.map((t) => [t, 1])), phrases: [phrase] }, 1, allowedDocRowids);
    return segmentsContainPhrase(this.segments, phrase, allowedDocRowids);
  }

  /** A live chunk's analysed terms, as indexed; undefined when the index does not hold it. */
  chunkTerms(rowid: number): ChunkTerms | undefined {
    for (const { data, live } of this.segments) {
      const local = findLocal(data, rowid);
      if (local >= 0 && live.removed[local] === 0) return chunkTermsOf(data, local);
    }
    return undefined;
  }

  /** The document of a live chunk; undefined when the index does not hold it. */
  documentOf(rowid: number): number | undefined {
    for (const { data, live } of this.segments) {
      const local = findLocal(data, rowid);
      if (local >= 0 && live.removed[local] === 0) return data.docRowids[local];
    }
    return undefined;
  }

  /**
   * A live chunk's folding signature, kept since it was indexed; undefined when the index does not
   * hold the chunk as a chunk of `docRowid` (a snapshot lagging the store: its rowid reused since)
   * or holds it without one.
   */
  foldSignature(rowid: number, docRowid: number): Signature | undefined {
    for (const { data, live } of this.segments) {
      const local = findLocal(data, rowid);
      if (local >= 0 && live.removed[local] === 0) return data.docRowids[local] === docRowid ? foldSignatureOf(data, local) : undefined;
    }
    return undefined;
  }

  /**
   * Whether a live chunk is a table of contents, as the index read it from its text; undefined
   * when the index does not hold the chunk as a chunk of `docRowid` (see foldSignature).
   */
  isContents(rowid: number, docRowid: number): boolean | undefined {
    for (const { data, live } of this.segments) {
      const local = findLocal(data, rowid);
      if (local >= 0 && live.removed[local] === 0) return data.docRowids[local] === docRowid ? data.contents[local] === 1 : undefined;
    }
    return undefined;
  }

  stats(): LexicalIndexStats {
    const arrays = this.segments.flatMap((s) => [...segmentArrays(s.data), s.live.removed, s.live.liveDf]);
    const liveChunks = this.size;
    const bytes = bytesOf(arrays);
    return {
      liveChunks,
      removedChunks: this.segments.reduce((sum, s) => sum + s.data.rowids.length - s.live.liveCount, 0),
      segments: this.segments.length,
      segmentTerms: this.segments.reduce((sum, s) => sum + termCount(s.data), 0),
      postings: this.segments.reduce((sum, s) => sum + s.data.tfCodes.length, 0),
      bytes,
      bytesPerLiveChunk: liveChunks === 0 ? 0 : bytes / liveChunks,
    };
  }

  /** Writes the index to one file (atomically), with the caller's position string (e.g. a change-log position). */
  save(file: string, position: string): void {
    writeLexicalFile(file, { params: this.params, position, segments: this.segments });
  }

  /**
   * Reads a saved index. Throws IndexFileError (missing, not-an-index, version, truncated, corrupt,
   * mismatch) when it cannot be used; the caller then rebuilds from the store.
   */
  static load(file: string, options: LexicalIndexOptions & { params?: Bm25Params } = {}): { index: LexicalIndex; position: string } {
    const shared = options.shared ?? false;
    const content = readLexicalFile(file, shared, options.params && validateParams(options.params));
    const index = new LexicalIndex(content.params, shared, mergePolicyOf(options), eagerPhrasePostingsOf(options), false);
    index.segments = content.segments;
    return { index, position: content.position };
  }

  /** A snapshot for another thread (see LexicalIndex.attach). */
  share(): LexicalIndexHandle {
    return { kind: 'lexical-index', params: this.params, segments: this.segments.map((s) => ({ data: s.data, live: { ...s.live } })) };
  }

  /** A read-only index over a snapshot made by `share()` on another thread. */
  static attach(handle: LexicalIndexHandle, options: Pick<LexicalIndexOptions, 'eagerPhrasePostings'> = {}): LexicalIndex {
    if (handle?.kind !== 'lexical-index') throw new IndexInputError('attach()', 'not a handle made by LexicalIndex.share()', 'Post index.share() to the worker');
    const shared = handle.segments[0]?.data.rowids.buffer instanceof SharedArrayBuffer;
    const index = new LexicalIndex(validateParams(handle.params), shared, DEFAULT_MERGE_POLICY, eagerPhrasePostingsOf(options), true);
    index.segments = handle.segments.map((s) => ({ data: segmentData(s.data), live: s.live }));
    return index;
  }

  private contains(rowid: number): boolean {
    return this.segments.some(({ data, live }) => {
      const local = findLocal(data, rowid);
      return local >= 0 && live.removed[local] === 0;
    });
  }

  private totals(): { n: number; sums: number[] } {
    const sums = [0, 0, 0];
    let n = 0;
    for (const { live } of this.segments) {
      n += live.liveCount;
      for (let f = 0; f < 3; f++) sums[f] = sums[f]! + live.liveLengths[f]!;
    }
    return { n, sums };
  }

  private assertWritable(operation: string): void {
    if (this.readOnly) {
      throw new IndexInputError(`${operation}()`, 'this index is attached to a snapshot shared by another thread', 'Change the owning index and share it again');
    }
  }
}

function mergePolicyOf(options: LexicalIndexOptions): MergePolicy {
  return validateMergePolicy({ ...DEFAULT_MERGE_POLICY, ...options.mergePolicy });
}

function eagerPhrasePostingsOf(options: LexicalIndexOptions): number {
  const value = options.eagerPhrasePostings ?? DEFAULT_EAGER_PHRASE_POSTINGS;
  if (!(Number.isSafeInteger(value) && value >= 0)) {
    throw new IndexInputError('lexical index options', `eagerPhrasePostings ${String(value)} is not a non-negative integer`, `Leave it out for ${DEFAULT_EAGER_PHRASE_POSTINGS}`);
  }
  return value;
}
