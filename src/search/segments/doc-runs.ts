import { lowerBound } from './lower-bound.js';

/**
 * Which local chunk numbers of a segment belong to which document. Chunks of one document are
 * added together, so they form runs of consecutive local numbers; a filter on documents becomes a
 * few ranges whose cost follows the allowed documents' chunks, not the segment's size.
 */
export interface DocRuns {
  /** Document rowid of each run, ascending (runs of one document ordered by start). */
  runDoc: Float64Array;
  runStart: Uint32Array;
  runEnd: Uint32Array;
}

export function buildDocRuns(docRowids: Float64Array): DocRuns {
  const starts: number[] = [];
  for (let i = 0; i < docRowids.length; i++) if (i === 0 || docRowids[i] !== docRowids[i - 1]) starts.push(i);
  const order = starts.map((_, r) => r).sort((a, b) => docRowids[starts[a]!]! - docRowids[starts[b]!]! || starts[a]! - starts[b]!);
  const runs: DocRuns = {
    runDoc: new Float64Array(starts.length),
    runStart: new Uint32Array(starts.length),
    runEnd: new Uint32Array(starts.length),
  };
  order.forEach((r, i) => {
    runs.runDoc[i] = docRowids[starts[r]!]!;
    runs.runStart[i] = starts[r]!;
    runs.runEnd[i] = r + 1 < starts.length ? starts[r + 1]! : docRowids.length;
  });
  return runs;
}

/**
 * The local ranges [start, end) of the allowed documents' chunks, as a flat ascending list
 * [s0, e0, s1, e1, …]. Costs O(min(allowed · log runs, runs)).
 */
export function allowedRanges(runs: DocRuns, allowed: ReadonlySet<number>): Uint32Array {
  const ranges: number[] = [];
  const count = runs.runDoc.length;
  const take = (r: number) => ranges.push(runs.runStart[r]!, runs.runEnd[r]!);
  if (allowed.size >= count) {
    for (let r = 0; r < count; r++) if (allowed.has(runs.runDoc[r]!)) take(r);
  } else {
    for (const doc of allowed) {
      for (let r = lowerBound(runs.runDoc, doc); r < count && runs.runDoc[r] === doc; r++) take(r);
    }
  }
  const pairs: number[] = [];
  for (let i = 0; i < ranges.length; i += 2) pairs.push(i);
  pairs.sort((a, b) => ranges[a]! - ranges[b]!);
  const out: number[] = [];
  for (const i of pairs) {
    const start = ranges[i]!;
    const end = ranges[i + 1]!;
    if (out.length > 0 && out[out.length - 1] === start) out[out.length - 1] = end;
    else out.push(start, end);
  }
  return Uint32Array.from(out);
}

/** The local numbers of the given documents' chunks (or vectors) not yet removed, ascending. */
export function localsOf(runs: DocRuns, removed: Uint8Array, docRowids: ReadonlySet<number>): number[] {
  const ranges = allowedRanges(runs, docRowids);
  const locals: number[] = [];
  for (let r = 0; r < ranges.length; r += 2) {
    for (let c = ranges[r]!; c < ranges[r + 1]!; c++) if (removed[c] === 0) locals.push(c);
  }
  return locals;
}

