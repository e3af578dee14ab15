import type { DocRuns } from '../segments/doc-runs.js';
import type { RowidTable } from '../segments/rowid-table.js';
import type { TypedArray } from '../segments/typed-memory.js';
import type { FoldSignatureData } from './fold-signatures.js';
import type { TermDictionaryData } from './term-dictionary.js';

/**
 * One immutable lexical segment: typed arrays only, so it can sit in shared memory, be posted to a
 * worker thread, and be written to and viewed from a file as is. Chunks are numbered locally
 * 0..count-1 in the order they were added.
 *
 * Postings are CSR by term, sorted by local chunk number, cut into blocks of at most 128 postings
 * whose chunk numbers span less than 65,536, so a posting's chunk number is a 16-bit offset from its
 * block's first. Per block: first and last chunk (for skipping) and an upper bound of tfw (for
 * pruning). Per posting: the offset and the packed per-field term frequencies (`tf-code.ts`): with
 * the chunk's field lengths that is all the exact BM25F score needs, under any global statistics.
 *
 * Phrases are checked against a forward index (each chunk's term ids in order, varint-coded) rather
 * than positions in the postings: it costs about the same (one entry per token either way, ~1.3 bytes
 * each since ids are numbered by frequency), is only read for the few chunks that contain every
 * word of a phrase, and doubles as the source for merges and for exact removal bookkeeping.
 *
 * Each chunk's folding signature is kept too (fold-signatures.ts), so that folding reads no text,
 * and whether it is a table of contents, so that ranking passages reads no text either.
 */
export interface LexicalSegmentData extends DocRuns, RowidTable, TermDictionaryData, FoldSignatureData {
  rowids: Float64Array;
  docRowids: Float64Array;
  /** Title, headings and body length of each chunk (3 per chunk). */
  lengths: Uint32Array;
  /** termBlocks[t] .. termBlocks[t + 1] are term t's blocks. */
  termBlocks: Uint32Array;
  /** blockPostings[k] .. blockPostings[k + 1] are block k's postings. */
  blockPostings: Uint32Array;
  blockFirst: Uint32Array;
  blockLast: Uint32Array;
  /** Upper bound of tfw over the block's postings, computed with `boundAverages`. */
  blockMaxTfw: Float32Array;
  termMaxTfw: Float32Array;
  /** The average field lengths the maxima were computed with. */
  boundAverages: Float64Array;
  docOffsets: Uint16Array;
  tfCodes: Uint8Array;
  /** Postings whose frequencies did not fit a code, ascending, and their exact frequencies (3 each). */
  exceptionAt: Uint32Array;
  exceptionTf: Uint32Array;
  forward: Uint8Array;
  /**
   * 1 where the chunk's text is analysed alike whole and word by word (match-evidence.ts
   * analysedAlike): its indexed terms then stand in for its text, and judging it reads no row.
   */
  alike: Uint8Array;
  /** 1 where the chunk is a table of contents (contents-listing.ts), which ranks below passages. */
  contents: Uint8Array;
  /** forwardStart[c] is the first byte of chunk c's term ids (title, then headings, then body). */
  forwardStart: Uint32Array;
}

/** The field names of LexicalSegmentData in the order they are saved. */
export const SEGMENT_ARRAYS = [
  'rowids', 'docRowids', 'lengths', 'rowidSorted', 'rowidLocal', 'runDoc', 'runStart', 'runEnd',
  'termBytes', 'termOffsets', 'termHash', 'termBlocks', 'blockPostings', 'blockFirst', 'blockLast',
  'blockMaxTfw', 'termMaxTfw', 'boundAverages', 'docOffsets', 'tfCodes', 'exceptionAt', 'exceptionTf',
  'forward', 'forwardStart', 'alike', 'contents', 'foldIds', 'foldShingleStart', 'foldShingles', 'foldMinHashes',
] as const satisfies readonly (keyof LexicalSegmentData)[];

/**
 * What changes as chunks are removed, replaced (copy-on-write) rather than edited so that a search
 * running on another thread over an older snapshot keeps a consistent view.
 */
export interface LexicalLiveState {
  /** 1 for each removed chunk. */
  removed: Uint8Array;
  /** Live chunks containing each term. */
  liveDf: Uint32Array;
  liveCount: number;
  /** Sum of the live chunks' title, headings and body lengths (integers, so exact). */
  liveLengths: [number, number, number];
}

/**
 * The segment as an object of one fixed shape, whatever built it (add, merge, bound refresh, load):
 * the search loops read these fields millions of times and stay fast only while they see one shape.
 */
export function segmentData(d: LexicalSegmentData): LexicalSegmentData {
  return {
    rowids: d.rowids, docRowids: d.docRowids, lengths: d.lengths, rowidSorted: d.rowidSorted, rowidLocal: d.rowidLocal,
    runDoc: d.runDoc, runStart: d.runStart, runEnd: d.runEnd, termBytes: d.termBytes, termOffsets: d.termOffsets,
    termHash: d.termHash, termBlocks: d.termBlocks, blockPostings: d.blockPostings, blockFirst: d.blockFirst,
    blockLast: d.blockLast, blockMaxTfw: d.blockMaxTfw, termMaxTfw: d.termMaxTfw, boundAverages: d.boundAverages,
    docOffsets: d.docOffsets, tfCodes: d.tfCodes, exceptionAt: d.exceptionAt, exceptionTf: d.exceptionTf,
    forward: d.forward, forwardStart: d.forwardStart, alike: d.alike, contents: d.contents, foldIds: d.foldIds, foldShingleStart: d.foldShingleStart,
    foldShingles: d.foldShingles, foldMinHashes: d.foldMinHashes,
  };
}

export function segmentArrays(data: LexicalSegmentData): TypedArray[] {
  return SEGMENT_ARRAYS.map((name) => data[name]);
}

export function chunkCount(data: LexicalSegmentData): number {
  return data.rowids.length;
}

/** Postings of term t in the segment, removed chunks included. */
export function postingCount(data: LexicalSegmentData, t: number): number {
  return data.blockPostings[data.termBlocks[t + 1]!]! - data.blockPostings[data.termBlocks[t]!]!;
}
