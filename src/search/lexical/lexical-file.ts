import type { Bm25Params } from './bm25-params.js';
import { readArrayFile, writeArrayFile } from '../segments/array-file.js';
import { FileMeta } from '../segments/file-meta.js';
import { IndexFileError } from '../segments/index-file-error.js';
import type { TypedArray } from '../segments/typed-memory.js';
import type { SegmentState } from './lexical-search.js';
import { foldSignaturesFit } from './fold-signatures.js';
import { SEGMENT_ARRAYS, segmentArrays, segmentData, type LexicalSegmentData } from './segment-data.js';

/**
 * The lexical index on disk: the segments' arrays, then each segment's removed flags and live
 * document frequencies, in one array file. Bump LEXICAL_FORMAT whenever the arrays change meaning;
 * older files are then refused and rebuilt.
 */
const KIND = 'lexical';
/** 2: the title field holds the product's name too (search/indexes/index-chunks.ts). */
/** 3: each chunk's folding signature (fold-signatures.ts), and whether its indexed terms stand in for its text. */
/** 4: whether each chunk is a table of contents (search/contents-listing.ts). */
export const LEXICAL_FORMAT = 4;

const ARRAY_TYPES: Record<(typeof SEGMENT_ARRAYS)[number], Function> = {
  rowids: Float64Array, docRowids: Float64Array, lengths: Uint32Array, rowidSorted: Float64Array, rowidLocal: Uint32Array,
  runDoc: Float64Array, runStart: Uint32Array, runEnd: Uint32Array, termBytes: Uint8Array, termOffsets: Uint32Array,
  termHash: Int32Array, termBlocks: Uint32Array, blockPostings: Uint32Array, blockFirst: Uint32Array, blockLast: Uint32Array,
  blockMaxTfw: Float32Array, termMaxTfw: Float32Array, boundAverages: Float64Array, docOffsets: Uint16Array, tfCodes: Uint8Array,
  exceptionAt: Uint32Array, exceptionTf: Uint32Array, forward: Uint8Array, forwardStart: Uint32Array, alike: Uint8Array, contents: Uint8Array,
  foldIds: Uint32Array, foldShingleStart: Uint32Array, foldShingles: Uint32Array, foldMinHashes: Uint32Array,
};
const PER_SEGMENT = SEGMENT_ARRAYS.length + 2;

interface Meta {
  params: Bm25Params;
  position: string;
  segments: { liveCount: number; liveLengths: [number, number, number] }[];
}

function parseMeta(file: string, value: unknown): Meta {
  const meta = new FileMeta(file, value);
  const params = meta.at('params');
  return {
    params: { k1: params.number('k1'), b: params.number('b'), fieldWeights: params.numbers('fieldWeights', 3) as [number, number, number], phraseBoost: params.number('phraseBoost') },
    position: meta.string('position'),
    segments: meta.list('segments').map((segment) => ({
      liveCount: segment.number('liveCount', { min: 0 }), liveLengths: segment.numbers('liveLengths', 3) as [number, number, number],
    })),
  };
}

export interface LexicalFileContent {
  params: Bm25Params;
  position: string;
  segments: SegmentState[];
}

export function writeLexicalFile(file: string, content: LexicalFileContent): void {
  const arrays: TypedArray[] = content.segments.flatMap(({ data, live }) => [...segmentArrays(data), live.removed, live.liveDf]);
  writeArrayFile(file, {
    kind: KIND,
    format: LEXICAL_FORMAT,
    meta: {
      params: content.params,
      position: content.position,
      segments: content.segments.map(({ live }) => ({ liveCount: live.liveCount, liveLengths: live.liveLengths })),
    } satisfies Meta,
    arrays,
  });
}

/** `expected` parameters, when given, must equal the saved ones (the pruning bounds depend on them). */
export function readLexicalFile(file: string, shared: boolean, expected?: Bm25Params): LexicalFileContent {
  const { meta, arrays } = readArrayFile(file, { kind: KIND, format: LEXICAL_FORMAT }, shared);
  const { params, position, segments } = parseMeta(file, meta);
  if (expected && JSON.stringify(expected) !== JSON.stringify(params)) {
    throw new IndexFileError(file, 'mismatch', `the index was built with BM25 parameters ${JSON.stringify(params)}, not ${JSON.stringify(expected)}`);
  }
  if (arrays.length !== segments.length * PER_SEGMENT) {
    throw new IndexFileError(file, 'corrupt', `${arrays.length} arrays for ${segments.length} segments`);
  }
  return {
    params,
    position,
    segments: segments.map((meta, s) => {
      const base = s * PER_SEGMENT;
      const data = {} as Record<string, TypedArray>;
      SEGMENT_ARRAYS.forEach((name, i) => {
        const array = arrays[base + i]!;
        if (!(array instanceof ARRAY_TYPES[name])) throw new IndexFileError(file, 'corrupt', `segment ${s}: ${name} has the wrong type`);
        data[name] = array;
      });
      const removed = arrays[base + SEGMENT_ARRAYS.length]!;
      const liveDf = arrays[base + SEGMENT_ARRAYS.length + 1]!;
      const segment = segmentData(data as unknown as LexicalSegmentData);
      if (!(removed instanceof Uint8Array) || removed.length !== segment.rowids.length || !(liveDf instanceof Uint32Array)) {
        throw new IndexFileError(file, 'corrupt', `segment ${s}: the live state does not fit the segment`);
      }
      if (segment.alike.length !== segment.rowids.length || segment.contents.length !== segment.rowids.length) {
        throw new IndexFileError(file, 'corrupt', `segment ${s}: the per-chunk flags do not fit the segment`);
      }
      if (!foldSignaturesFit(segment)) throw new IndexFileError(file, 'corrupt', `segment ${s}: the folding signatures do not fit the segment`);
      return { data: segment, live: { removed, liveDf, liveCount: meta.liveCount, liveLengths: meta.liveLengths } };
    }),
  };
}
