/** How often the probe looks while it runs: often enough to see a lag of a few tens of milliseconds. */
const PROBE_EVERY_MS = 10;
/** A lag seen counts half as much this much later: the estimate follows the load down within a second. */
const HALF_LIFE_MS = 250;

/**
 * How late the main thread runs what is ready for it: a timer meant to fire every 10 ms fires late
 * by about as long as the event loop spends on one turn. Under overload a turn answers hundreds of
 * requests, and a search waits about one turn before its request is read and one more before its
 * answer, back from the worker, is written; the worker queue alone does not show that.
 *
 * The estimate is the latest lateness or the decayed larger ones before it, so one slow turn is
 * not forgotten at the next quick one. The probe runs only between `start` and `stop` (while
 * searches are in the server), so an idle server is not woken a hundred times a second.
 */
export class EventLoopLag {
  private timer: NodeJS.Timeout | undefined;
  private expected = 0;
  private lagMs = 0;
  private seenAt = 0;

  start(): void {
    if (this.timer) return;
    this.expected = performance.now() + PROBE_EVERY_MS;
    this.timer = setInterval(() => this.probe(), PROBE_EVERY_MS);
    this.timer.unref();
  }

  stop(): void {
    clearInterval(this.timer);
    this.timer = undefined;
  }

  /** The estimated lag now, in milliseconds (0 when the loop keeps time). */
  get ms(): number {
    const now = performance.now();
    // A probe that is overdue is evidence too: the turn running now is at least that long.
    const overdue = this.timer ? Math.max(0, now - this.expected) : 0;
    return Math.max(overdue, this.decayedAt(now));
  }

  /** The larger lags seen before, as much as they still count at `now`. */
  private decayedAt(now: number): number {
    return this.lagMs * 0.5 ** ((now - this.seenAt) / HALF_LIFE_MS);
  }

  private probe(): void {
    const now = performance.now();
    const late = Math.max(0, now - this.expected);
    this.lagMs = Math.max(late, this.decayedAt(now));
    this.seenAt = now;
    this.expected = now + PROBE_EVERY_MS;
  }
}
