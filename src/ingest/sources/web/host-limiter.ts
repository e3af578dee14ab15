import { setTimeout as sleep } from 'node:timers/promises';

/**
 * Spaces request starts per host: at most `maxRequestsPerSecond` (0 = no limit), or one per
 * robots.txt Crawl-delay when that is slower, and nothing at all while a host asked us to back
 * off (429 or 503 with Retry-After). Slots are reserved in call order, so waiting workers are
 * served first come, first served.
 *
 * Without an explicit rate, public hosts get `publicDefault` and hosts at private addresses (this
 * machine, a private network, reachable only because the caller allowed them) get none: the rate
 * limit is politeness towards other people's servers, and a local mirror would only be slowed
 * down by it. Concurrency, Crawl-delay and Retry-After still apply to every host.
 */
export class HostLimiter {
  private readonly next = new Map<string, number>();
  private readonly intervals = new Map<string, number>();
  private readonly publicIntervalMs: number;
  private readonly privateIntervalMs: number;

  constructor(maxRequestsPerSecond: number | undefined, publicDefault = 0) {
    const interval = (rate: number) => (rate > 0 ? 1000 / rate : 0);
    this.publicIntervalMs = interval(maxRequestsPerSecond ?? publicDefault);
    this.privateIntervalMs = maxRequestsPerSecond === undefined ? 0 : this.publicIntervalMs;
  }

  /** A slower pace for one host (robots.txt Crawl-delay). */
  setMinimumInterval(host: string, intervalMs: number): void {
    this.intervals.set(host, Math.max(this.publicIntervalMs, intervalMs));
  }

  /** No request to `host` starts before `until` (epoch ms). */
  pauseUntil(host: string, until: number): void {
    this.next.set(host, Math.max(this.next.get(host) ?? 0, until));
  }

  /** Waits for the host's next slot; `isPublic` is false for a host whose addresses are all private. */
  async acquire(host: string, signal?: AbortSignal, isPublic = true): Promise<void> {
    const now = Date.now();
    const start = Math.max(now, this.next.get(host) ?? 0);
    this.next.set(host, start + (this.intervals.get(host) ?? (isPublic ? this.publicIntervalMs : this.privateIntervalMs)));
    if (start > now) await sleep(start - now, undefined, { signal });
  }
}
