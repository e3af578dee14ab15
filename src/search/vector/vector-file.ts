import { readArrayFile, writeArrayFile } from '../segments/array-file.js';
import { FileMeta } from '../segments/file-meta.js';
import { IndexFileError } from '../segments/index-file-error.js';
import type { TypedArray } from '../segments/typed-memory.js';
import { VECTOR_SEGMENT_ARRAYS, vectorSegmentArrays, vectorSegmentData, type VectorLiveState, type VectorSegmentData } from './vector-segment.js';

/** The vector index on disk: the mean, then each segment's arrays and removed flags, in one array file. */
const KIND = 'vector';
export const VECTOR_FORMAT = 1;
const PER_SEGMENT = VECTOR_SEGMENT_ARRAYS.length + 1;

const ARRAY_TYPES: Record<(typeof VECTOR_SEGMENT_ARRAYS)[number], Function> = {
  rowids: Float64Array, docRowids: Float64Array, rowidSorted: Float64Array, rowidLocal: Uint32Array, runDoc: Float64Array,
  runStart: Uint32Array, runEnd: Uint32Array, codes: Uint32Array, quantized: Int8Array, scales: Float32Array,
};

interface Meta {
  dims: number;
  position: string;
  segments: { liveCount: number }[];
}

function parseMeta(file: string, value: unknown): Meta {
  const meta = new FileMeta(file, value);
  return {
    dims: meta.number('dims', { min: 1 }),
    position: meta.string('position'),
    segments: meta.list('segments').map((segment) => ({ liveCount: segment.number('liveCount', { min: 0 }) })),
  };
}

export interface VectorFileContent {
  mean: Float32Array;
  position: string;
  segments: { data: VectorSegmentData; live: VectorLiveState }[];
}

export function writeVectorFile(file: string, content: VectorFileContent): void {
  writeArrayFile(file, {
    kind: KIND,
    format: VECTOR_FORMAT,
    meta: {
      dims: content.mean.length,
      position: content.position,
      segments: content.segments.map(({ live }) => ({ liveCount: live.liveCount })),
    } satisfies Meta,
    arrays: [content.mean, ...content.segments.flatMap(({ data, live }) => [...vectorSegmentArrays(data), live.removed])],
  });
}

/** `dims`, when given, must equal the saved dimensions (the embedder the caller uses). */
export function readVectorFile(file: string, shared: boolean, dims?: number): VectorFileContent {
  const { meta, arrays } = readArrayFile(file, { kind: KIND, format: VECTOR_FORMAT }, shared);
  const saved = parseMeta(file, meta);
  const { position, segments } = saved;
  if (dims !== undefined && dims !== saved.dims) {
    throw new IndexFileError(file, 'mismatch', `the index holds ${saved.dims}-dimensional vectors, not ${dims}`);
  }
  const mean = arrays[0];
  if (!(mean instanceof Float32Array) || mean.length !== saved.dims || arrays.length !== 1 + segments.length * PER_SEGMENT) {
    throw new IndexFileError(file, 'corrupt', 'the arrays do not match the metadata');
  }
  return {
    mean,
    position,
    segments: segments.map((meta, s) => {
      const base = 1 + s * PER_SEGMENT;
      const data = {} as Record<string, TypedArray>;
      VECTOR_SEGMENT_ARRAYS.forEach((name, i) => {
        const array = arrays[base + i]!;
        if (!(array instanceof ARRAY_TYPES[name])) throw new IndexFileError(file, 'corrupt', `segment ${s}: ${name} has the wrong type`);
        data[name] = array;
      });
      const removed = arrays[base + VECTOR_SEGMENT_ARRAYS.length]!;
      const segment = vectorSegmentData(data as unknown as VectorSegmentData);
      if (!(removed instanceof Uint8Array) || removed.length !== segment.rowids.length) {
        throw new IndexFileError(file, 'corrupt', `segment ${s}: the removed flags do not fit the segment`);
      }
      return { data: segment, live: { removed, liveCount: meta.liveCount } };
    }),
  };
}
