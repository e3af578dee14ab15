import { DEFAULT_MERGE_POLICY, planMerge, validateMergePolicy, type MergePolicy } from '../segments/merge-policy.js';
import { IndexInputError } from '../segments/index-input-error.js';
import type { ScoredRowid } from '../segments/ranked-heap.js';
import { findLocal } from '../segments/rowid-table.js';
import { localsOf } from '../segments/doc-runs.js';
import { bytesOf, copyOf, place } from '../segments/typed-memory.js';
import { meanOf } from './sign-code.js';
import { readVectorFile, writeVectorFile } from './vector-file.js';
import { validateDims, validateRows, validateVector } from './vector-input.js';
import { findLive, scoreVectors, searchVectors } from './vector-search.js';
import {
  buildVectorSegment, mergeVectorSegments, vectorSegmentArrays, vectorSegmentData,
  type VectorLiveState, type VectorRow, type VectorSegmentData,
} from './vector-segment.js';

export type { VectorRow } from './vector-segment.js';

/**
 * The in-memory vector index, incremental: one-bit sign codes against a mean for the scan, 8-bit
 * vectors for rescoring (recall@10 ≈ 1 against exact cosine), in immutable segments with removal
 * flags, tiered merges, one-file persistence and shared memory — the same shape as the lexical index.
 *
 *   const index = SegmentedVectorIndex.create({ dims: 512 });
 *   index.add(rows);                       // a new segment; the first add fixes the mean
 *   index.remove([rowid]);                 // flags; merges drop them
 *   while (index.mergeStep()) await setImmediate();
 *   index.search(queryVector, 10, docRowids);
 *   index.save(file, position);            // SegmentedVectorIndex.load(file, { dims })
 *
 * The mean that centres the codes is fixed per index (given, or computed from the first batch and
 * saved with it), so adding vectors never changes another vector's code and results do not depend on
 * how the vectors were batched. A mean far from the library's (say, a first batch of one document)
 * only costs candidate quality; rebuild with `mean: meanOf(allVectors)` to recentre.
 */
export interface VectorIndexOptions {
  dims: number;
  /** The centre of the codes; default: the mean of the first batch added. */
  mean?: Float32Array;
  shared?: boolean;
  mergePolicy?: Partial<MergePolicy>;
}

export interface VectorIndexHandle {
  kind: 'vector-index';
  mean: Float32Array;
  segments: { data: VectorSegmentData; live: VectorLiveState }[];
}

type Segment = { data: VectorSegmentData; live: VectorLiveState };

export class SegmentedVectorIndex {
  private segments: Segment[] = [];

  private constructor(
    readonly dims: number,
    private centre: Float32Array | undefined,
    private readonly shared: boolean,
    private readonly policy: MergePolicy,
    private readonly readOnly: boolean,
  ) {}

  static create(options: VectorIndexOptions): SegmentedVectorIndex {
    const dims = validateDims(options.dims);
    const mean = options.mean && place(Float32Array.from(validateVector(options.mean, dims, 'create(): mean')), options.shared ?? false);
    return new SegmentedVectorIndex(dims, mean, options.shared ?? false, validateMergePolicy({ ...DEFAULT_MERGE_POLICY, ...options.mergePolicy }), false);
  }

  get size(): number {
    return this.segments.reduce((sum, s) => sum + s.live.liveCount, 0);
  }

  get segmentCount(): number {
    return this.segments.length;
  }

  /** A copy of the mean the codes are centred on (undefined before the first add). */
  get mean(): Float32Array | undefined {
    return this.centre && Float32Array.from(this.centre);
  }

  add(rows: readonly VectorRow[]): void {
    this.assertWritable('add');
    validateRows(rows, this.dims);
    if (rows.length === 0) return;
    const batch = new Set<number>();
    for (const { rowid } of rows) {
      if (batch.has(rowid) || this.contains(rowid)) throw new IndexInputError('add()', `rowid ${rowid} is already in the index`, 'Remove a vector before adding it again');
      batch.add(rowid);
    }
    this.centre ??= place(meanOf(rows.map((r) => r.vector), this.dims), this.shared);
    this.segments = [...this.segments, buildVectorSegment(rows, this.centre, this.shared)];
  }

  remove(rowids: Iterable<number>): number {
    this.assertWritable('remove');
    const wanted = [...new Set(rowids)];
    return this.tombstone((segment) => wanted.map((rowid) => findLocal(segment.data, rowid)).filter((local) => local >= 0 && segment.live.removed[local] === 0));
  }

  /** Removes every live vector of these documents. Returns how many were live. */
  removeDocuments(docRowids: ReadonlySet<number>): number {
    this.assertWritable('removeDocuments');
    if (docRowids.size === 0) return 0;
    return this.tombstone((segment) => localsOf(segment.data, segment.live.removed, docRowids));
  }

  /** Marks the live vectors `localsIn` picks in each segment as removed (copy on write); returns how many. */
  private tombstone(localsIn: (segment: (typeof this.segments)[number]) => number[]): number {
    let count = 0;
    this.segments = this.segments.map((segment) => {
      const locals = localsIn(segment);
      if (locals.length === 0) return segment;
      const removed = copyOf(segment.live.removed, this.shared);
      for (const local of locals) removed[local] = 1;
      count += locals.length;
      return { data: segment.data, live: { removed, liveCount: segment.live.liveCount - locals.length } };
    });
    return count;
  }

  /** One merge if the tiered policy wants one (see segments/merge-policy.ts); false when there is nothing to do. */
  mergeStep(): boolean {
    this.assertWritable('mergeStep');
    const plan = planMerge(this.segments.map((s) => ({ chunks: s.data.rowids.length, live: s.live.liveCount })), this.policy);
    if (!plan) return false;
    const inputs = plan.map((i) => this.segments[i]!);
    const merged = inputs.some((s) => s.live.liveCount > 0) ? [mergeVectorSegments(inputs, this.dims, this.shared)] : [];
    this.segments = this.segments.flatMap((s, i) => (i === plan[0] ? merged : plan.includes(i) ? [] : [s]));
    return true;
  }

  /** The k nearest vectors by cosine, best first (ties by rowid), optionally within some documents. */
  search(query: Float32Array, k: number, allowedDocRowids?: ReadonlySet<number>): ScoredRowid[] {
    validateVector(query, this.dims, 'search()');
    if (!Number.isSafeInteger(k) || k < 0) throw new IndexInputError('search()', `k ${String(k)} is not a non-negative integer`, 'Ask for a whole number of results');
    if (allowedDocRowids !== undefined && !(allowedDocRowids instanceof Set)) {
      throw new IndexInputError('search()', 'the document filter is not a Set', 'Pass a Set of document rowids, or nothing');
    }
    const size = this.size;
    if (!this.centre || k === 0 || size === 0) return [];
    return searchVectors(this.segments, this.centre, query, Math.min(k, size), allowedDocRowids);
  }

  /** The cosine of the query with each of these rowids' live vectors, best first (ties by rowid); rowids without one are left out. */
  score(query: Float32Array, rowids: readonly number[]): ScoredRowid[] {
    validateVector(query, this.dims, 'score()');
    return scoreVectors(this.segments, query, rowids);
  }

  stats(): { liveVectors: number; removedVectors: number; segments: number; bytes: number; bytesPerLiveVector: number } {
    const liveVectors = this.size;
    const bytes = bytesOf([...(this.centre ? [this.centre] : []), ...this.segments.flatMap((s) => [...vectorSegmentArrays(s.data), s.live.removed])]);
    return {
      liveVectors,
      removedVectors: this.segments.reduce((sum, s) => sum + s.data.rowids.length - s.live.liveCount, 0),
      segments: this.segments.length,
      bytes,
      bytesPerLiveVector: liveVectors === 0 ? 0 : bytes / liveVectors,
    };
  }

  save(file: string, position: string): void {
    writeVectorFile(file, { mean: this.centre ?? new Float32Array(this.dims), position, segments: this.segments });
  }

  /** Reads a saved index; throws IndexFileError (see segments/index-file-error.ts) when it cannot be used. */
  static load(file: string, options: { dims?: number; shared?: boolean; mergePolicy?: Partial<MergePolicy> } = {}): { index: SegmentedVectorIndex; position: string } {
    const shared = options.shared ?? false;
    const content = readVectorFile(file, shared, options.dims);
    const index = new SegmentedVectorIndex(content.mean.length, content.mean, shared, validateMergePolicy({ ...DEFAULT_MERGE_POLICY, ...options.mergePolicy }), false);
    index.segments = content.segments;
    return { index, position: content.position };
  }

  share(): VectorIndexHandle {
    return { kind: 'vector-index', mean: this.centre ?? new Float32Array(this.dims), segments: this.segments.map((s) => ({ data: s.data, live: { ...s.live } })) };
  }

  static attach(handle: VectorIndexHandle): SegmentedVectorIndex {
    if (handle?.kind !== 'vector-index') throw new IndexInputError('attach()', 'not a handle made by SegmentedVectorIndex.share()', 'Post index.share() to the worker');
    const index = new SegmentedVectorIndex(handle.mean.length, handle.mean, handle.mean.buffer instanceof SharedArrayBuffer, DEFAULT_MERGE_POLICY, true);
    index.segments = handle.segments.map((s) => ({ data: vectorSegmentData(s.data), live: s.live }));
    return index;
  }

  private contains(rowid: number): boolean {
    return findLive(this.segments, rowid) !== undefined;
  }

  private assertWritable(operation: string): void {
    if (this.readOnly) {
      throw new IndexInputError(`${operation}()`, 'this index is attached to a snapshot shared by another thread', 'Change the owning index and share it again');
    }
  }
}
