import type { Bm25Params } from './bm25-params.js';
import type { Signature } from '../near-duplicates.js';
import { buildDocRuns } from '../segments/doc-runs.js';
import { FoldSignatureBuilder } from './fold-signatures.js';
import { buildRowidTable } from '../segments/rowid-table.js';
import { place } from '../segments/typed-memory.js';
import { PostingScorer, type TfSource } from './posting-scorer.js';
import { roundUpToFloat32 } from './score-bound.js';
import { SEGMENT_ARRAYS, segmentData, type LexicalLiveState, type LexicalSegmentData } from './segment-data.js';
import { buildTermDictionary } from './term-dictionary.js';
import { EXCEPTION, packTf } from './tf-code.js';
import { ByteWriter } from './varint.js';

/**
 * Builds one segment from a source of chunks given as term ids: new chunks (`add`) and the live
 * chunks of segments being merged use the same path, so a merged segment is exactly what adding
 * its chunks in one batch would have built.
 */
export interface ChunkSource {
  readonly count: number;
  /** Source term ids are 0..termCount-1 (ids no chunk uses are allowed and dropped). */
  readonly termCount: number;
  term(id: number): string;
  rowid(i: number): number;
  docRowid(i: number): number;
  /**
   * Chunk i's term ids, title then headings then body, with the three field lengths written into
   * `lengths`. Called twice per chunk; may return a reused buffer.
   */
  tokens(i: number, lengths: Uint32Array): Uint32Array;
  /** Whether chunk i's indexed terms stand in for its text (LexicalDoc.alike). */
  alike(i: number): boolean;
  /** Whether chunk i is a table of contents (LexicalDoc.contents). */
  contents(i: number): boolean;
  /** Chunk i's folding signature; undefined when it was added without its text. */
  signature(i: number): Signature | undefined;
}

export interface BuildOptions {
  params: Bm25Params;
  /** Average field lengths of the index the segment joins, for its pruning bounds. */
  boundAverages: ArrayLike<number>;
  shared: boolean;
}

const BLOCK_POSTINGS = 128;
const MAX_BLOCK_SPAN = 0xffff;
const MAX_TERMS = 1 << 28; // varints of the forward index are decoded with 32-bit shifts
const MAX_UINT32 = 0xffffffff;

export function buildSegment(source: ChunkSource, options: BuildOptions): { data: LexicalSegmentData; live: LexicalLiveState } {
  const n = source.count;
  const sourceTerms = source.termCount;
  const fieldLengths = new Uint32Array(3);

  // Pass 1: frequencies (to number terms by frequency), document frequencies, field lengths.
  const occurrences = new Float64Array(sourceTerms);
  const sourceDf = new Uint32Array(sourceTerms);
  const seenIn = new Int32Array(sourceTerms).fill(-1);
  const lengths = new Uint32Array(3 * n);
  const liveLengths: [number, number, number] = [0, 0, 0];
  let postingCount = 0;
  for (let i = 0; i < n; i++) {
    const tokens = source.tokens(i, fieldLengths);
    lengths.set(fieldLengths, 3 * i);
    for (let f = 0; f < 3; f++) liveLengths[f] = liveLengths[f]! + fieldLengths[f]!;
    for (let j = 0; j < tokens.length; j++) {
      const t = tokens[j]!;
      occurrences[t]!++;
      if (seenIn[t] !== i) {
        seenIn[t] = i;
        sourceDf[t]!++;
        postingCount++;
      }
    }
  }
  if (postingCount > MAX_UINT32) throw new RangeError(`a segment holds at most ${MAX_UINT32} postings; add fewer chunks at once`);

  const used: number[] = [];
  for (let t = 0; t < sourceTerms; t++) if (occurrences[t]! > 0) used.push(t);
  used.sort((a, b) => occurrences[b]! - occurrences[a]! || a - b);
  const termTotal = used.length;
  if (termTotal >= MAX_TERMS) throw new RangeError(`a segment holds fewer than ${MAX_TERMS} distinct terms; add fewer chunks at once`);
  const newId = new Int32Array(sourceTerms).fill(-1);
  used.forEach((t, id) => (newId[t] = id));

  const postingStart = new Uint32Array(termTotal + 1);
  for (let id = 0; id < termTotal; id++) postingStart[id + 1] = postingStart[id]! + sourceDf[used[id]!]!;
  const fill = postingStart.slice(0, termTotal);

  // Pass 2: forward index and postings (chunks in order, so every term's postings come out sorted).
  const docs = new Uint32Array(postingCount);
  const tfCodes = new Uint8Array(postingCount);
  const exceptions: number[] = []; // posting, title, headings, body
  const tf = [new Uint32Array(termTotal), new Uint32Array(termTotal), new Uint32Array(termTotal)] as const;
  const touched = new Uint32Array(termTotal);
  const forward = new ByteWriter(n * 256);
  const forwardStart = new Uint32Array(n + 1);
  for (let i = 0; i < n; i++) {
    const tokens = source.tokens(i, fieldLengths);
    forwardStart[i] = forward.length;
    let touchedCount = 0;
    let at = 0;
    for (let f = 0; f < 3; f++) {
      const counts = tf[f]!;
      for (const end = at + fieldLengths[f]!; at < end; at++) {
        const id = newId[tokens[at]!]!;
        forward.writeVarint(id);
        if (tf[0][id] === 0 && tf[1][id] === 0 && tf[2][id] === 0) touched[touchedCount++] = id;
        counts[id]!++;
      }
    }
    for (let j = 0; j < touchedCount; j++) {
      const id = touched[j]!;
      const p = fill[id]!++;
      docs[p] = i;
      const code = packTf(tf[0][id]!, tf[1][id]!, tf[2][id]!);
      if (code === EXCEPTION) exceptions.push(p, tf[0][id]!, tf[1][id]!, tf[2][id]!);
      tfCodes[p] = code;
      tf[0][id] = tf[1][id] = tf[2][id] = 0;
    }
    if (forward.length > MAX_UINT32) throw new RangeError('a segment holds at most 4 GiB of forward index; add fewer chunks at once');
  }
  forwardStart[n] = forward.length;

  const exceptionOrder = Array.from({ length: exceptions.length / 4 }, (_, e) => e).sort((a, b) => exceptions[4 * a]! - exceptions[4 * b]!);
  const exceptionAt = Uint32Array.from(exceptionOrder, (e) => exceptions[4 * e]!);
  const exceptionTf = new Uint32Array(3 * exceptionOrder.length);
  exceptionOrder.forEach((e, k) => exceptionTf.set([exceptions[4 * e + 1]!, exceptions[4 * e + 2]!, exceptions[4 * e + 3]!], 3 * k));

  const rowids = Float64Array.from({ length: n }, (_, i) => source.rowid(i));
  const docRowids = Float64Array.from({ length: n }, (_, i) => source.docRowid(i));
  const signatures = new FoldSignatureBuilder(n);
  for (let i = 0; i < n; i++) signatures.set(i, source.signature(i));
  const alike = Uint8Array.from({ length: n }, (_, i) => (source.alike(i) ? 1 : 0));
  const contents = Uint8Array.from({ length: n }, (_, i) => (source.contents(i) ? 1 : 0));
  const postings = cutBlocks(postingStart, docs, { lengths, tfCodes, exceptionAt, exceptionTf }, options);
  let data: LexicalSegmentData = {
    rowids, docRowids, lengths,
    ...buildRowidTable(rowids),
    ...buildDocRuns(docRowids),
    ...buildTermDictionary(used.map((t) => source.term(t))),
    ...postings,
    boundAverages: Float64Array.from(options.boundAverages),
    tfCodes, exceptionAt, exceptionTf,
    forward: forward.finish(),
    forwardStart,
    alike,
    contents,
    ...signatures.finish(),
  };
  for (const name of SEGMENT_ARRAYS) (data as unknown as Record<string, unknown>)[name] = place(data[name], options.shared);
  data = segmentData(data);
  const liveDf = place(Uint32Array.from({ length: termTotal }, (_, id) => postingStart[id + 1]! - postingStart[id]!), options.shared);
  return { data, live: { removed: place(new Uint8Array(n), options.shared), liveDf, liveCount: n, liveLengths } };
}

/** Cuts each term's postings into blocks and computes the blocks' tfw maxima. */
function cutBlocks(postingStart: Uint32Array, docs: Uint32Array, tfs: TfSource, options: BuildOptions) {
  const termTotal = postingStart.length - 1;
  let blockCount = 0;
  for (let t = 0; t < termTotal; t++) {
    let first = 0;
    for (let p = postingStart[t]!, inBlock = 0; p < postingStart[t + 1]!; p++, inBlock++) {
      if (p === postingStart[t] || inBlock === BLOCK_POSTINGS || docs[p]! - first > MAX_BLOCK_SPAN) {
        blockCount++;
        first = docs[p]!;
        inBlock = 0;
      }
    }
  }
  const termBlocks = new Uint32Array(termTotal + 1);
  const blockPostings = new Uint32Array(blockCount + 1);
  const blockFirst = new Uint32Array(blockCount);
  const blockLast = new Uint32Array(blockCount);
  const docOffsets = new Uint16Array(docs.length);
  const scorer = new PostingScorer(tfs, options.params, options.boundAverages);
  const blockMax = new Float64Array(blockCount);
  let k = -1;
  for (let t = 0; t < termTotal; t++) {
    termBlocks[t] = k + 1;
    for (let p = postingStart[t]!, inBlock = 0; p < postingStart[t + 1]!; p++, inBlock++) {
      const doc = docs[p]!;
      if (p === postingStart[t] || inBlock === BLOCK_POSTINGS || doc - blockFirst[k]! > MAX_BLOCK_SPAN) {
        k++;
        blockPostings[k] = p;
        blockFirst[k] = doc;
        inBlock = 0;
      }
      blockLast[k] = doc;
      docOffsets[p] = doc - blockFirst[k]!;
      blockMax[k] = Math.max(blockMax[k]!, scorer.tfw(p, doc));
    }
  }
  termBlocks[termTotal] = blockCount;
  blockPostings[blockCount] = docs.length;
  const blockMaxTfw = Float32Array.from(blockMax, roundUpToFloat32);
  const termMaxTfw = new Float32Array(termTotal);
  for (let t = 0; t < termTotal; t++) {
    for (let b = termBlocks[t]!; b < termBlocks[t + 1]!; b++) termMaxTfw[t] = Math.max(termMaxTfw[t]!, blockMaxTfw[b]!);
  }
  return { termBlocks, blockPostings, blockFirst, blockLast, blockMaxTfw, termMaxTfw, docOffsets };
}

/**
 * New pruning bounds for a segment under the current averages (when they drifted far from the
 * segment's bound averages). Everything else is shared with the old segment.
 */
export function refreshBounds(data: LexicalSegmentData, params: Bm25Params, averages: ArrayLike<number>, shared: boolean): LexicalSegmentData {
  const scorer = new PostingScorer(data, params, averages);
  const blockCount = data.blockFirst.length;
  const blockMaxTfw = new Float32Array(blockCount);
  for (let k = 0; k < blockCount; k++) {
    let max = 0;
    const base = data.blockFirst[k]!;
    for (let p = data.blockPostings[k]!; p < data.blockPostings[k + 1]!; p++) max = Math.max(max, scorer.tfw(p, base + data.docOffsets[p]!));
    blockMaxTfw[k] = roundUpToFloat32(max);
  }
  const termTotal = data.termBlocks.length - 1;
  const termMaxTfw = new Float32Array(termTotal);
  for (let t = 0; t < termTotal; t++) {
    for (let b = data.termBlocks[t]!; b < data.termBlocks[t + 1]!; b++) termMaxTfw[t] = Math.max(termMaxTfw[t]!, blockMaxTfw[b]!);
  }
  return segmentData({
    ...data,
    blockMaxTfw: place(blockMaxTfw, shared),
    termMaxTfw: place(termMaxTfw, shared),
    boundAverages: place(Float64Array.from(averages), shared),
  });
}
