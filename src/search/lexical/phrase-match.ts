import { END, PostingCursor } from './posting-cursor.js';
import type { LexicalSegmentData } from './segment-data.js';
import { decodeVarints } from './varint.js';

/**
 * The chunks of a segment that contain a phrase adjacently within one field: chunks holding every
 * word are found by intersecting the postings (led by the rarest word), then confirmed on the forward
 * index. Removed chunks and chunks outside the allowed ranges are left out.
 */
export function phraseMatches(
  seg: LexicalSegmentData,
  removed: Uint8Array,
  phrase: readonly number[],
  ranges: Uint32Array | undefined,
): Uint32Array {
  const distinct = [...new Set(phrase)];
  const postingCount = (t: number) => seg.blockPostings[seg.termBlocks[t + 1]!]! - seg.blockPostings[seg.termBlocks[t]!]!;
  distinct.sort((a, b) => postingCount(a) - postingCount(b));
  const cursors = distinct.map((t) => new PostingCursor(seg, t));
  const lead = cursors[0]!;
  const matches: number[] = [];
  let scratch = new Uint32Array(256);
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
    if (removed[doc] === 0) {
      const l = 3 * doc;
      const total = seg.lengths[l]! + seg.lengths[l + 1]! + seg.lengths[l + 2]!;
      if (scratch.length < total) scratch = new Uint32Array(total * 2);
      decodeVarints(seg.forward, seg.forwardStart[doc]!, total, scratch);
      let start = 0;
      for (let f = 0; f < 3; f++) {
        const end = start + seg.lengths[l + f]!;
        if (containsSequence(scratch, start, end, phrase)) {
          matches.push(doc);
          break;
        }
        start = end;
      }
    }
    lead.next();
  }
  return Uint32Array.from(matches);
}

function containsSequence(tokens: Uint32Array, start: number, end: number, phrase: readonly number[]): boolean {
  const length = phrase.length;
  const first = phrase[0]!;
  for (let at = start; at + length <= end; at++) {
    if (tokens[at] !== first) continue;
    let j = 1;
    while (j < length && tokens[at + j] === phrase[j]) j++;
    if (j === length) return true;
  }
  return false;
}
