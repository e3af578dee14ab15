import { setTimeout as sleep } from 'node:timers/promises';

/**
 * Spaces request starts per host: at most `maxRequestsPerSecond` (0 = no limit), or one per
 * robots.txt Crawl-delay when that is slower, and nothing at all while a host asked us to back
 * off (429 or 503 with Retry-After). Slots are reserved in call order, so waiting workers are
 * served first come, first served.
 */
export class HostLimiter {
  private readonly next = new Map<string, number>();
  private readonly intervals = new Map<string, number>();
  private readonly defaultIntervalMs: number;

  constructor(maxRequestsPerSecond: number) {
    this.defaultIntervalMs = maxRequestsPerSecond > 0 ? 1000 / maxRequestsPerSecond : 0;
  }

  /** A slower pace for one host (robots.txt Crawl-delay). */
  setMinimumInterval(host: string, intervalMs: number): void {
    this.intervals.set(host, Math.max(this.defaultIntervalMs, intervalMs));
  }

  /** No request to `host` starts before `until` (epoch ms). */
  pauseUntil(host: string, until: number): void {
    this.next.set(host, Math.max(this.next.get(host) ?? 0, until));
  }

  async acquire(host: string, signal?: AbortSignal): Promise<void> {
    const now = Date.now();
    const start = Math.max(now, this.next.get(host) ?? 0);
    this.next.set(host, start + (this.intervals.get(host) ?? this.defaultIntervalMs));
    if (start > now) await sleep(start - now, undefined, { signal });
  }
}
