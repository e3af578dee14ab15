import { flagFor } from './refusal.js';

/**
 * Refuses URLs that only a generator produces (an endless calendar, a session id in every link,
 * relative links that keep nesting): overlong URLs, a path segment repeated over and over,
 * absurdly deep paths, and one path with ever more query strings. Depth and page limits catch
 * the rest.
 */
export interface TrapLimits {
  maxUrlLength: number;
}

/** More occurrences of one segment than this is a loop (`/a/b/a/b/a/b/…`). */
const MAX_SEGMENT_REPEATS = 3;
const MAX_PATH_SEGMENTS = 32;
/** Distinct query strings allowed for one path (`/calendar?month=…` for every month ever). */
const MAX_QUERY_VARIANTS = 50;

export class TrapGuard {
  private readonly variants = new Map<string, number>();

  constructor(private readonly limits: TrapLimits) {}

  /** Why `url` looks like a trap, or undefined. Counts the query variants it lets through. */
  check(url: URL): string | undefined {
    if (url.href.length > this.limits.maxUrlLength) {
      return `the URL is ${url.href.length} characters long, over the ${this.limits.maxUrlLength} limit (${flagFor('maxUrlLength')})`;
    }
    const segments = url.pathname.split('/').filter(Boolean);
    if (segments.length > MAX_PATH_SEGMENTS) return `the path is ${segments.length} segments deep, a sign of links that keep nesting`;
    const counts = new Map<string, number>();
    for (const segment of segments) {
      const count = (counts.get(segment) ?? 0) + 1;
      if (count > MAX_SEGMENT_REPEATS) return `the path repeats "${decodeSafely(segment)}" ${count} times, a sign of links that keep nesting`;
      counts.set(segment, count);
    }
    if (url.search) {
      const key = `${url.origin}${url.pathname}`;
      const seen = (this.variants.get(key) ?? 0) + 1;
      if (seen > MAX_QUERY_VARIANTS) return `${url.pathname} was already seen with ${MAX_QUERY_VARIANTS} different query strings, a sign of generated links`;
      this.variants.set(key, seen);
    }
    return undefined;
  }
}

function decodeSafely(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}
