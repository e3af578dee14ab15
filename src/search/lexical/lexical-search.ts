import type { Bm25Params } from './bm25-params.js';
import { allowedRanges } from '../segments/doc-runs.js';
import { RankedHeap, type ScoredRowid } from '../segments/ranked-heap.js';
import { averageLengths, idf } from './bm25f.js';
import { FinalScorer } from './final-scorer.js';
import type { LexicalQuery } from './lexical-input.js';
import { leadPostings, PhraseChecker, phraseMatches, segmentPhrase } from './phrase-match.js';
import { END, PostingCursor } from './posting-cursor.js';
import { PostingScorer } from './posting-scorer.js';
import { inflation } from './score-bound.js';
import type { LexicalLiveState, LexicalSegmentData } from './segment-data.js';
import { rankSegment } from './segment-ranking.js';
import type { RankContext, ScoredTerm, SegmentQuery } from './ranking-types.js';
import { findTerm, termKey, type TermKey } from './term-dictionary.js';

export interface SegmentState {
  data: LexicalSegmentData;
  live: LexicalLiveState;
}

/**
 * One query over all segments with statistics of the whole index: N, df and average lengths are
 * summed over the segments' live chunks, so a chunk scores the same however the index is cut.
 *
 * Chunks containing a query phrase that has a rare word are found and scored first (their boost is
 * then known exactly); phrases of common words only are checked per surviving chunk (at most
 * LAZY_PHRASES_MAX of them; the others are matched up front too). Then every
 * segment is ranked by MaxScore with those chunks skipped, largest segment first so that the floor
 * rises early. The kept set depends only on the scores and rowids, not on that order.
 */
export function searchSegments(
  segments: readonly SegmentState[],
  params: Bm25Params,
  query: LexicalQuery,
  k: number,
  allowed: ReadonlySet<number> | undefined,
  pruning: boolean,
  eagerPhrasePostings: number,
): ScoredRowid[] {
  let n = 0;
  const lengthSums = [0, 0, 0];
  for (const { live } of segments) {
    n += live.liveCount;
    for (let f = 0; f < 3; f++) lengthSums[f] = lengthSums[f]! + live.liveLengths[f]!;
  }
  if (n === 0 || k === 0 || allowed?.size === 0) return [];
  const averages = averageLengths(n, lengthSums);

  const queryTerms = [...query.terms];
  const keys = queryTerms.map(([term]) => termKey(term));
  const termIds = segments.map(({ data }) => keys.map((key) => findTerm(data, key)));
  const scored: (ScoredTerm | undefined)[] = [];
  let termTotal = 0;
  queryTerms.forEach(([, queryTf], i) => {
    let df = 0;
    segments.forEach(({ live }, s) => {
      const id = termIds[s]![i]!;
      if (id >= 0) df += live.liveDf[id]!;
    });
    scored.push(df === 0 ? undefined : { index: termTotal++, weight: queryTf * idf(n, df) });
  });
  if (termTotal === 0) return [];

  const ctx: RankContext = {
    k1: params.k1, termTotal, phraseFactor: 1 + params.phraseBoost, pruning,
    absentIsZero: params.fieldWeights.every((w) => w > 0),
  };
  const heap = new RankedHeap(Math.min(k, n));
  const plans: SegmentQuery[] = [];
  segments.forEach(({ data, live }, s) => {
    if (live.liveCount === 0) return;
    const terms: SegmentQuery['terms'] = [];
    termIds[s]!.forEach((term, i) => {
      const scoredTerm = scored[i];
      if (term >= 0 && scoredTerm) terms.push({ term, scored: scoredTerm });
    });
    if (terms.length === 0) return;
    const ranges = allowed ? allowedRanges(data, allowed) : undefined;
    if (ranges?.length === 0) return;
    plans.push({
      seg: data, removed: live.removed, scorer: new PostingScorer(data, params, averages), terms,
      inflation: inflation(averages, data.boundAverages), ranges,
      skip: undefined, lazy: [], lazyScoredWords: [], checker: new PhraseChecker(data),
    });
  });

  if (params.phraseBoost > 0 && query.phrases.length > 0) {
    const phraseKeys = new Map<string, TermKey>();
    const phrases = query.phrases.map((phrase) => phrase.map((token) => {
      let key = phraseKeys.get(token);
      if (!key) phraseKeys.set(token, (key = termKey(token)));
      return key;
    }));
    const slotOf = new Map<string, number>();
    queryTerms.forEach(([term], i) => scored[i] && slotOf.set(term, scored[i].index));
    const scoredWords = query.phrases.map((phrase) => phrase.flatMap((token) => slotOf.get(token) ?? []));
    for (const plan of plans) rankPhraseMatches(plan, phrases, scoredWords, ctx, heap, eagerPhrasePostings);
  }
  plans.sort((a, b) => b.seg.rowids.length - a.seg.rowids.length);
  for (const plan of plans) rankSegment(plan, ctx, heap);
  return heap.results();
}

/** Whether a live chunk of the allowed documents (of any, without them) holds the term in any field. */
export function segmentsContainTerm(segments: readonly SegmentState[], term: string, allowed: ReadonlySet<number> | undefined): boolean {
  if (allowed?.size === 0) return false;
  const key = termKey(term);
  for (const { data, live } of segments) {
    const id = findTerm(data, key);
    if (id < 0 || live.liveDf[id] === 0) continue;
    const ranges = allowed ? allowedRanges(data, allowed) : Uint32Array.of(0, data.rowids.length);
    const cursor = new PostingCursor(data, id);
    for (let r = 0; r < ranges.length && cursor.doc !== END; r += 2) {
      cursor.advance(ranges[r]!);
      for (; cursor.doc !== END && cursor.doc < ranges[r + 1]!; cursor.next()) if (live.removed[cursor.doc] === 0) return true;
    }
  }
  return false;
}

/** Whether a live chunk of the allowed documents (of any, without them) holds the phrase adjacently in one field. */
export function segmentsContainPhrase(segments: readonly SegmentState[], phrase: readonly string[], allowed: ReadonlySet<number> | undefined): boolean {
  if (phrase.length === 0 || allowed?.size === 0) return false;
  const keys = phrase.map((token) => termKey(token));
  for (const { data, live } of segments) {
    if (live.liveCount === 0) continue;
    const ids = keys.map((key) => findTerm(data, key));
    if (ids.includes(-1)) continue;
    const ranges = allowed ? allowedRanges(data, allowed) : undefined;
    if (ranges?.length === 0) continue;
    if (phraseMatches(data, live.removed, segmentPhrase(ids), ranges, new PhraseChecker(data)).length > 0) return true;
  }
  return false;
}

/**
 * Most phrases of common words checked per surviving chunk rather than matched up front. Each lazy
 * phrase divides the pruning floor by its boost, so with several nearly every chunk is scored in
 * full: at 1M chunks, eight quoted pairs of common words took 510-530 ms to rank all lazy, 140-185 ms
 * with one lazy, 185-190 ms with none; one lazy phrase (the query itself) is the common case.
 */
export const LAZY_PHRASES_MAX = 1;

/**
 * Which phrases a segment matches up front, from their rarest word's postings there (undefined: the
 * phrase cannot match in the segment): those with few postings, every one when ranking is
 * exhaustive (the plain reference), and past LAZY_PHRASES_MAX lazy ones the cheapest. Speed only.
 */
export function matchedUpFront(lead: readonly (number | undefined)[], pruning: boolean, eagerPhrasePostings: number): boolean[] {
  const eager = lead.map((postings) => postings !== undefined && (!pruning || postings <= eagerPhrasePostings));
  const lazy = lead.flatMap((postings, p) => (postings !== undefined && !eager[p] ? [p] : [])).sort((a, b) => lead[a]! - lead[b]! || a - b);
  for (const p of lazy.slice(0, Math.max(0, lazy.length - LAZY_PHRASES_MAX))) eager[p] = true;
  return eager;
}

/** Scores a segment's chunks that match an eager phrase, with all their boosts, and marks them as ranked. */
function rankPhraseMatches(
  plan: SegmentQuery, phrases: TermKey[][], scoredWords: number[][], ctx: RankContext, heap: RankedHeap, eagerPhrasePostings: number,
): void {
  const { seg, checker } = plan;
  const ids = phrases.map((phrase) => {
    const terms = phrase.map((key) => findTerm(seg, key));
    return terms.includes(-1) ? undefined : segmentPhrase(terms); // a word missing from the segment: no chunk here matches
  });
  const eager = matchedUpFront(ids.map((terms) => (terms === undefined ? undefined : leadPostings(seg, terms))), ctx.pruning, eagerPhrasePostings);
  plan.lazy = ids.map((terms, p) => (eager[p] ? undefined : terms));
  plan.lazyScoredWords = ids.map((terms, p) => (eager[p] || !terms ? undefined : scoredWords[p]));
  const matchSets = ids.map((terms, p) => (eager[p] ? phraseMatches(seg, plan.removed, terms!, plan.ranges, checker) : new Uint32Array(0)));
  const union = sortedUnion(matchSets);
  if (union.length === 0) return;
  const scorer = new FinalScorer(plan, ctx);
  const at = new Uint32Array(ids.length);
  for (const doc of union) {
    let score = scorer.termScore(doc);
    // Only chunks that scored on the terms are boosted (and ranked): a phrase of stop words alone ranks nothing.
    if (Number.isNaN(score)) continue;
    for (let p = 0; p < ids.length; p++) {
      if (!ids[p]) continue;
      let matched: boolean;
      if (eager[p]) {
        const set = matchSets[p]!;
        while (at[p]! < set.length && set[at[p]!]! < doc) at[p]!++;
        matched = set[at[p]!] === doc;
      } else {
        matched = scorer.containsLazy(doc, p);
      }
      if (matched) score *= ctx.phraseFactor;
    }
    heap.offer(score, seg.rowids[doc]!);
  }
  plan.skip = union;
}

/**
 * The chunks of any of the ascending sets, ascending, each once: copied into one typed array and
 * sorted there. Eight quoted phrases of common words match ~800k chunks at 1M; gathering them in a
 * Set of spread arrays took about a quarter of that ranking (822 → 601 ms in process).
 */
export function sortedUnion(sets: readonly Uint32Array[]): Uint32Array {
  let total = 0;
  for (const set of sets) total += set.length;
  const all = new Uint32Array(total);
  let at = 0;
  for (const set of sets) {
    all.set(set, at);
    at += set.length;
  }
  all.sort();
  let kept = 0;
  for (let i = 0; i < all.length; i++) if (i === 0 || all[i] !== all[i - 1]) all[kept++] = all[i]!;
  return all.subarray(0, kept);
}
