import { copyOf } from '../segments/typed-memory.js';
import type { LexicalLiveState, LexicalSegmentData } from './segment-data.js';
import { termCount } from './term-dictionary.js';
import { decodeVarints } from './varint.js';

/**
 * A segment's live state after removing some of its chunks: new arrays (the old state stays valid for
 * searches that hold it), with document frequencies and length sums kept exact from the forward index.
 * Returns undefined when none of the chunks was live.
 */
export function withRemoved(
  data: LexicalSegmentData,
  live: LexicalLiveState,
  locals: readonly number[],
  shared: boolean,
): LexicalLiveState | undefined {
  const fresh = [...new Set(locals)].filter((c) => live.removed[c] === 0);
  if (fresh.length === 0) return undefined;
  const removed = copyOf(live.removed, shared);
  const liveDf = copyOf(live.liveDf, shared);
  const liveLengths: [number, number, number] = [...live.liveLengths];
  const seenIn = new Int32Array(termCount(data)).fill(-1);
  let scratch = new Uint32Array(256);
  for (const c of fresh) {
    removed[c] = 1;
    const l = 3 * c;
    const total = data.lengths[l]! + data.lengths[l + 1]! + data.lengths[l + 2]!;
    for (let f = 0; f < 3; f++) liveLengths[f] = liveLengths[f]! - data.lengths[l + f]!;
    if (scratch.length < total) scratch = new Uint32Array(total * 2);
    decodeVarints(data.forward, data.forwardStart[c]!, total, scratch);
    for (let j = 0; j < total; j++) {
      const t = scratch[j]!;
      if (seenIn[t] === c) continue;
      seenIn[t] = c;
      liveDf[t]!--;
    }
  }
  return { removed, liveDf, liveLengths, liveCount: live.liveCount - fresh.length };
}
