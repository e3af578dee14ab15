import { END, PostingCursor } from './posting-cursor.js';
import { postingCount, type LexicalSegmentData } from './segment-data.js';
import { ByteWriter, decodeVarints } from './varint.js';

/** A phrase as segment term ids, and as the bytes those ids take in the forward index. */
export interface SegmentPhrase {
  ids: readonly number[];
  bytes: Buffer;
}

export function segmentPhrase(ids: readonly number[]): SegmentPhrase {
  const writer = new ByteWriter(ids.length * 5);
  for (const id of ids) writer.writeVarint(id);
  return { ids, bytes: Buffer.from(writer.finish()) };
}

/**
 * Checks phrases against chunks' forward index. A native byte search rules out most chunks: a
 * varint ends with a byte below 0x80, so an occurrence of the phrase's tokens starts right after
 * such a byte, and the phrase's bytes then appear verbatim. Only a byte match (rare) is confirmed
 * by decoding the chunk, which also checks that the match lies within one field.
 */
export class PhraseChecker {
  private scratch = new Uint32Array(0);
  private decoded = -1;
  private readonly bytes: Buffer;

  constructor(private readonly seg: LexicalSegmentData) {
    this.bytes = Buffer.from(seg.forward.buffer, seg.forward.byteOffset, seg.forward.byteLength);
  }

  /** Whether chunk `doc` contains the phrase adjacently within one field. */
  contains(doc: number, phrase: SegmentPhrase): boolean {
    const chunk = this.bytes.subarray(this.seg.forwardStart[doc]!, this.seg.forwardStart[doc + 1]!);
    for (let at = chunk.indexOf(phrase.bytes); at >= 0; at = chunk.indexOf(phrase.bytes, at + 1)) {
      if (at === 0 || chunk[at - 1]! < 0x80) return this.decodedContains(doc, phrase.ids);
    }
    return false;
  }

  private decodedContains(doc: number, phrase: readonly number[]): boolean {
    const { seg } = this;
    const l = 3 * doc;
    if (this.decoded !== doc) {
      const total = seg.lengths[l]! + seg.lengths[l + 1]! + seg.lengths[l + 2]!;
      if (this.scratch.length < total) this.scratch = new Uint32Array(total * 2);
      decodeVarints(seg.forward, seg.forwardStart[doc]!, total, this.scratch);
      this.decoded = doc;
    }
    let start = 0;
    for (let f = 0; f < 3; f++) {
      const end = start + seg.lengths[l + f]!;
      if (containsIdSequence(this.scratch, start, end, phrase)) return true;
      start = end;
    }
    return false;
  }
}

/** Postings of the phrase's rarest word: the most chunks an eager match has to confirm. */
export function leadPostings(seg: LexicalSegmentData, phrase: SegmentPhrase): number {
  return Math.min(...phrase.ids.map((t) => postingCount(seg, t)));
}

/**
 * All chunks of a segment that contain a phrase adjacently within one field: chunks holding every
 * word are found by intersecting the postings (led by the rarest word), then confirmed on the forward
 * index. Removed chunks and chunks outside the allowed ranges are left out.
 */
export function phraseMatches(
  seg: LexicalSegmentData,
  removed: Uint8Array,
  phrase: SegmentPhrase,
  ranges: Uint32Array | undefined,
  checker: PhraseChecker,
): Uint32Array {
  const distinct = [...new Set(phrase.ids)].sort((a, b) => postingCount(seg, a) - postingCount(seg, b));
  const cursors = distinct.map((t) => new PostingCursor(seg, t));
  const lead = cursors[0]!;
  const matches: number[] = [];
  let range = 0;
  while (lead.doc !== END) {
    const doc = lead.doc;
    if (ranges) {
      while (range < ranges.length && ranges[range + 1]! <= doc) range += 2;
      if (range >= ranges.length) break;
      if (doc < ranges[range]!) {
        lead.advance(ranges[range]!);
        continue;
      }
    }
    let next = doc;
    for (let i = 1; i < cursors.length && next === doc; i++) {
      cursors[i]!.advance(doc);
      next = cursors[i]!.doc;
    }
    if (next !== doc) {
      if (next === END) break;
      lead.advance(next);
      continue;
    }
    if (removed[doc] === 0 && checker.contains(doc, phrase)) matches.push(doc);
    lead.next();
  }
  return Uint32Array.from(matches);
}

/** Whether tokens[start, end) hold the term ids of `phrase` adjacently (never an empty phrase). */
export function containsIdSequence(tokens: Uint32Array, start: number, end: number, phrase: ArrayLike<number>): boolean {
  const length = phrase.length;
  if (length === 0) return false;
  const first = phrase[0]!;
  for (let at = start; at + length <= end; at++) {
    if (tokens[at] !== first) continue;
    let j = 1;
    while (j < length && tokens[at + j] === phrase[j]) j++;
    if (j === length) return true;
  }
  return false;
}
