import type { FetchFailure } from './fetch-failure.js';
import { parseRobots, RobotsRules } from './robots.js';
import type { FetchContext } from './safe-fetch.js';
import { safeFetch } from './safe-fetch.js';
import { ROBOTS_AGENT_TOKEN } from './user-agent.js';

/** robots.txt of one origin as the crawl applies it. */
export interface SiteRobots {
  rules: RobotsRules;
  sitemaps: string[];
  /**
   * Why the file could not be read, when it could not: the site is then treated as closed
   * (RFC 9309 §2.3.1.4). A refused address or a failing network says nothing about the site's
   * wishes, but every page would fail the same way.
   */
  unreachable?: FetchFailure;
}

/** RFC 9309 asks crawlers to read at least 500 KiB; the rest of a larger file is ignored. */
const ROBOTS_MAX_BYTES = 512 * 1024;
/** RFC 9309 asks crawlers to follow at least five redirects for robots.txt. */
const ROBOTS_MAX_REDIRECTS = 5;

/** Fetches each origin's robots.txt once per crawl, and shares the answer with concurrent askers. */
export class RobotsCache {
  private readonly byOrigin = new Map<string, Promise<SiteRobots>>();

  constructor(private readonly ctx: FetchContext) {}

  forOrigin(origin: string): Promise<SiteRobots> {
    let entry = this.byOrigin.get(origin);
    if (!entry) {
      entry = this.load(origin);
      this.byOrigin.set(origin, entry);
    }
    return entry;
  }

  private async load(origin: string): Promise<SiteRobots> {
    const url = new URL('/robots.txt', origin);
    const outcome = await safeFetch(this.ctx, {
      url,
      accept: 'text/plain,*/*;q=0.5',
      maxBytes: ROBOTS_MAX_BYTES,
      truncate: true,
      maxRedirects: ROBOTS_MAX_REDIRECTS,
    });
    if (outcome.kind === 'ok') {
      const file = parseRobots(new TextDecoder('utf-8').decode(outcome.body));
      return { rules: new RobotsRules(file, ROBOTS_AGENT_TOKEN), sitemaps: file.sitemaps };
    }
    const failure: FetchFailure =
      outcome.kind === 'failed' ? outcome.failure : { code: 'http-status', status: 304, message: 'it answered 304 to an unconditional request', hint: 'Try again later' };
    const status = failure.status;
    // "Unavailable" (a 4xx) means no rules; "unreachable" (5xx, network, still 429 after
    // retries) means stay away for now.
    if (status !== undefined && status >= 400 && status < 500 && status !== 429) return { rules: RobotsRules.allowAll(), sitemaps: [] };
    return { rules: RobotsRules.disallowAll(), sitemaps: [], unreachable: failure };
  }
}
