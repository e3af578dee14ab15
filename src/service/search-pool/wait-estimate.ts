/** Recent search times, and gaps between full-pool finishes, kept for the estimate. */
const RECENT = 64;
/** Gaps between full-pool finishes needed before they, rather than the median search time, give the wait. */
const MIN_GAPS = 8;

/**
 * How long a search that joins the search pool's queue will wait for a worker, from what the pool
 * has seen: its pace while full (the mean time between searches that finished while others
 * waited) times the search's place in line. That pace counts all that delays a full pool:
 * searches sharing a worker's core, the main thread late to hand over the next one, other
 * processes on the machine. The median search time over the lanes, the only estimate until the
 * pool has been full a while, sees none of that: under overload, with 12 ms searches on four lanes,
 * it promised 190 ms to the 64th in line, who then waited 770 ms at the 99th percentile.
 */
export class WaitEstimate {
  private readonly recentMs: number[] = [];
  /** Median of recentMs, kept up to date as searches finish: admission reads it on every search. */
  private medianMs = 0;
  private readonly recentGapsMs: number[] = [];
  private gapSumMs = 0;
  /** When the last search finished, if others were waiting then: no lane has been idle since. */
  private lastFullFinish: number | undefined;

  /**
   * A search left a worker at `now` (ms, one clock) after `serviceMs` there (undefined for one whose
   * answer was no longer wanted), with `waiting` searches in line.
   */
  finished(now: number, serviceMs: number | undefined, waiting: number): void {
    if (serviceMs !== undefined) {
      this.recentMs.push(serviceMs);
      if (this.recentMs.length > RECENT) this.recentMs.shift();
      const sorted = [...this.recentMs].sort((a, b) => a - b);
      this.medianMs = sorted[Math.floor(sorted.length / 2)]!;
    }
    if (waiting === 0) {
      this.lastFullFinish = undefined;
      return;
    }
    if (this.lastFullFinish !== undefined) {
      const gap = now - this.lastFullFinish;
      this.recentGapsMs.push(gap);
      this.gapSumMs += gap;
      if (this.recentGapsMs.length > RECENT) this.gapSumMs -= this.recentGapsMs.shift()!;
    }
    this.lastFullFinish = now;
  }

  /** Milliseconds the `ahead`-th search in line will wait with `lanes` searches running at once; 0 before any finished. */
  waitMs(ahead: number, lanes: number): number {
    if (this.recentGapsMs.length >= MIN_GAPS) return (ahead * this.gapSumMs) / this.recentGapsMs.length;
    return (ahead * this.medianMs) / Math.max(1, lanes);
  }
}
