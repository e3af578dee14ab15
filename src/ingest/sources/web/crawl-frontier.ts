import type { CrawlEvent, DiscoveryKind, Navigation } from './crawl-events.js';
import type { FrontierEntry } from './crawl-state.js';
import { TrapGuard, type TrapLimits } from './link-traps.js';
import { flagFor } from './refusal.js';
import type { CrawlScope } from './scope.js';

/**
 * The URLs still to fetch, first in first out (which makes the crawl breadth-first), and every
 * URL ever discovered. Each URL gets its navigation order when it is first discovered.
 */
export class Frontier {
  /** Set once the start page has answered: its final URL decides the scope. */
  scope?: CrawlScope;
  private queue: FrontierEntry[] = [];
  private head = 0;
  private readonly seen = new Set<string>();
  private nextOrder = 0;
  private readonly traps: TrapGuard;

  constructor(private readonly limits: TrapLimits & { maxDepth: number }) {
    this.traps = new TrapGuard(limits);
  }

  get length(): number {
    return this.queue.length - this.head;
  }

  peek(): FrontierEntry | undefined {
    return this.queue[this.head];
  }

  shift(): FrontierEntry | undefined {
    const entry = this.queue[this.head];
    if (entry) this.head += 1;
    // Drop the consumed part now and then, so a long crawl does not keep every entry alive.
    if (this.head > 1024 && this.head * 2 > this.queue.length) {
      this.queue = this.queue.slice(this.head);
      this.head = 0;
    }
    return entry;
  }

  /** Puts entries back in front, in their order (they were taken but not handed out). */
  requeue(entries: readonly FrontierEntry[]): void {
    this.queue = [...entries, ...this.queue.slice(this.head)];
    this.head = 0;
  }

  pending(): FrontierEntry[] {
    return this.queue.slice(this.head);
  }

  hasSeen(url: string): boolean {
    return this.seen.has(url);
  }

  markSeen(url: string): void {
    this.seen.add(url);
  }

  /** An entry that skips the discovery checks: the start page, or a page known from before. */
  push(url: string, where: { depth: number; parent?: string; via: DiscoveryKind }): FrontierEntry {
    const entry = this.entryFor(url, where);
    this.seen.add(url);
    this.queue.push(entry);
    return entry;
  }

  /**
   * Adds a discovered URL unless it was seen, is out of scope, looks like a trap or is too deep.
   * Trap and depth refusals are worth knowing about and become events.
   */
  discover(url: URL, where: { depth: number; parent?: string; via: DiscoveryKind }, events: CrawlEvent[]): void {
    if (this.seen.has(url.href) || !this.scope || this.scope.verdict(url).kind === 'out') return;
    this.seen.add(url.href);
    const entry = this.entryFor(url.href, where);
    const trap = this.traps.check(url);
    if (trap) {
      events.push({ type: 'skipped', url: url.href, reason: 'trap', message: trap, navigation: navigationOf(entry) });
      return;
    }
    if (where.depth > this.limits.maxDepth) {
      const message = `${where.depth} links away from the start page, deeper than ${this.limits.maxDepth} (${flagFor('maxDepth')})`;
      events.push({ type: 'skipped', url: url.href, reason: 'max-depth', message, navigation: navigationOf(entry) });
      return;
    }
    this.queue.push(entry);
  }

  /** Why a redirect target looks like a trap, if it does. */
  trapReason(url: URL): string | undefined {
    return this.traps.check(url);
  }

  snapshot(): { frontier: FrontierEntry[]; seen: string[]; nextOrder: number } {
    return { frontier: this.pending(), seen: [...this.seen], nextOrder: this.nextOrder };
  }

  restore(saved: { frontier: readonly FrontierEntry[]; seen: readonly string[]; nextOrder: number }): void {
    this.queue = [...saved.frontier];
    this.head = 0;
    saved.seen.forEach((url) => this.seen.add(url));
    this.nextOrder = saved.nextOrder;
  }

  private entryFor(url: string, where: { depth: number; parent?: string; via: DiscoveryKind }): FrontierEntry {
    const entry: FrontierEntry = { url, order: this.nextOrder, depth: where.depth, via: where.via, ...(where.parent ? { parent: where.parent } : {}) };
    this.nextOrder += 1;
    return entry;
  }
}

export function navigationOf(entry: FrontierEntry): Navigation {
  return { order: entry.order, depth: entry.depth, via: entry.via, ...(entry.parent ? { parent: entry.parent } : {}) };
}
