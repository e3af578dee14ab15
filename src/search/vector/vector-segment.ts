import { buildDocRuns, type DocRuns } from '../segments/doc-runs.js';
import { buildRowidTable, type RowidTable } from '../segments/rowid-table.js';
import { allocate, place, type TypedArray } from '../segments/typed-memory.js';
import { encodeSigns, wordsFor } from './sign-code.js';

/**
 * One immutable vector segment: per vector a one-bit code against the index's fixed mean, the
 * vector quantised to 8 bits with its scale (for rescoring), and the ids. Typed arrays only, so a
 * segment can live in shared memory and in a file as is. Because the mean is fixed per index, a
 * vector's code never changes: merging copies codes, it does not recompute them.
 */
export interface VectorSegmentData extends DocRuns, RowidTable {
  rowids: Float64Array;
  docRowids: Float64Array;
  /** wordsFor(dims) words per vector. */
  codes: Uint32Array;
  /** dims values per vector; vector ≈ quantized · scale. */
  quantized: Int8Array;
  scales: Float32Array;
}

export interface VectorLiveState {
  removed: Uint8Array;
  liveCount: number;
}

export interface VectorRow {
  rowid: number;
  docRowid: number;
  /** Unit length (cosine = dot product), dims values. */
  vector: Float32Array;
}

export const VECTOR_SEGMENT_ARRAYS = [
  'rowids', 'docRowids', 'rowidSorted', 'rowidLocal', 'runDoc', 'runStart', 'runEnd', 'codes', 'quantized', 'scales',
] as const satisfies readonly (keyof VectorSegmentData)[];

export function vectorSegmentArrays(data: VectorSegmentData): TypedArray[] {
  return VECTOR_SEGMENT_ARRAYS.map((name) => data[name]);
}

/** The segment as an object of one fixed shape (the search loop reads its fields per vector). */
export function vectorSegmentData(d: VectorSegmentData): VectorSegmentData {
  return {
    rowids: d.rowids, docRowids: d.docRowids, rowidSorted: d.rowidSorted, rowidLocal: d.rowidLocal,
    runDoc: d.runDoc, runStart: d.runStart, runEnd: d.runEnd, codes: d.codes, quantized: d.quantized, scales: d.scales,
  };
}

function finish(rowids: Float64Array, docRowids: Float64Array, codes: Uint32Array, quantized: Int8Array, scales: Float32Array, shared: boolean) {
  const data = vectorSegmentData({
    rowids: place(rowids, shared), docRowids: place(docRowids, shared),
    ...mapPlace(buildRowidTable(rowids), shared), ...mapPlace(buildDocRuns(docRowids), shared),
    codes: place(codes, shared), quantized: place(quantized, shared), scales: place(scales, shared),
  });
  return { data, live: { removed: allocate(Uint8Array, rowids.length, shared), liveCount: rowids.length } };
}

function mapPlace<T extends object>(arrays: T, shared: boolean): T {
  return Object.fromEntries(Object.entries(arrays).map(([k, v]) => [k, place(v as TypedArray, shared)])) as T;
}

export function buildVectorSegment(rows: readonly VectorRow[], mean: Float32Array, shared: boolean): { data: VectorSegmentData; live: VectorLiveState } {
  const dims = mean.length;
  const words = wordsFor(dims);
  const n = rows.length;
  const codes = allocate(Uint32Array, n * words, shared);
  const quantized = allocate(Int8Array, n * dims, shared);
  const scales = allocate(Float32Array, n, shared);
  rows.forEach(({ vector }, i) => {
    encodeSigns(vector, mean, codes, i * words);
    let max = 0;
    for (let j = 0; j < dims; j++) max = Math.max(max, Math.abs(vector[j]!));
    const scale = max > 0 ? max / 127 : 1;
    scales[i] = scale;
    for (let j = 0; j < dims; j++) quantized[i * dims + j] = Math.round(vector[j]! / scale);
  });
  return finish(Float64Array.from(rows, (r) => r.rowid), Float64Array.from(rows, (r) => r.docRowid), codes, quantized, scales, shared);
}

/** The live vectors of several segments, in order, as one segment (codes and quantised values copied). */
export function mergeVectorSegments(
  inputs: readonly { data: VectorSegmentData; live: VectorLiveState }[],
  dims: number,
  shared: boolean,
): { data: VectorSegmentData; live: VectorLiveState } {
  const words = wordsFor(dims);
  const total = inputs.reduce((sum, s) => sum + s.live.liveCount, 0);
  const rowids = new Float64Array(total);
  const docRowids = new Float64Array(total);
  const codes = allocate(Uint32Array, total * words, shared);
  const quantized = allocate(Int8Array, total * dims, shared);
  const scales = allocate(Float32Array, total, shared);
  let at = 0;
  for (const { data, live } of inputs) {
    for (let i = 0; i < data.rowids.length; i++) {
      if (live.removed[i] !== 0) continue;
      rowids[at] = data.rowids[i]!;
      docRowids[at] = data.docRowids[i]!;
      codes.set(data.codes.subarray(i * words, (i + 1) * words), at * words);
      quantized.set(data.quantized.subarray(i * dims, (i + 1) * dims), at * dims);
      scales[at] = data.scales[i]!;
      at++;
    }
  }
  return finish(rowids, docRowids, codes, quantized, scales, shared);
}
