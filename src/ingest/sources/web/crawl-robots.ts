import type { HostLimiter } from './host-limiter.js';
import { flagFor, type Refusal } from './refusal.js';
import type { RobotsCache, SiteRobots } from './robots-cache.js';
import { ROBOTS_AGENT_TOKEN } from './user-agent.js';
import { WebSourceError } from './web-source-error.js';

/**
 * How a crawl obeys robots.txt: the site must be readable and let us in at a pace we accept (or
 * the crawl does not start, with a message saying so), its Crawl-delay paces every request, and
 * each page is checked against its rules before it is requested.
 */
export class CrawlRobots {
  /** robots.txt of the site being crawled (after the start page's redirects). */
  site?: SiteRobots;

  constructor(
    private readonly cache: RobotsCache,
    private readonly limiter: HostLimiter,
    private readonly limits: { maxCrawlDelaySeconds: number; maxPages: number },
    /** The crawl's start URL, named in errors. */
    private readonly source: string,
  ) {}

  /** Reads the site's robots.txt and applies its Crawl-delay; refuses sites we may not crawl. */
  async enter(url: URL): Promise<SiteRobots> {
    const robots = await this.cache.forOrigin(url.origin);
    this.site = robots;
    const failure = robots.unreachable;
    if (failure?.code === 'blocked-address') throw new WebSourceError('blocked-address', this.source, failure.message, failure.hint);
    if (failure && failure.status === undefined) {
      throw new WebSourceError('fetch-failed', this.source, `${url.origin}/robots.txt: ${failure.message}`, failure.hint);
    }
    if (failure) {
      throw new WebSourceError(
        'robots',
        this.source,
        `${url.origin}/robots.txt could not be read (${failure.message}); a site whose robots.txt cannot be read is treated as closed to crawlers (RFC 9309)`,
        `Try again later, or pass ${flagFor('ignoreRobots')} if you run the site`,
      );
    }
    const delay = robots.rules.crawlDelaySeconds;
    if (delay !== undefined) {
      if (delay > this.limits.maxCrawlDelaySeconds) {
        const minutes = Math.ceil((delay * this.limits.maxPages) / 60);
        throw new WebSourceError(
          'robots',
          this.source,
          `${url.origin}/robots.txt asks for ${delay} s between requests, more than the ${this.limits.maxCrawlDelaySeconds} s we accept`,
          `Raise ${flagFor('maxCrawlDelaySeconds')} to crawl at the pace the site asks (${this.limits.maxPages} pages would take ${minutes} min), or add the pages as files`,
        );
      }
      this.limiter.setMinimumInterval(url.host, delay * 1000);
    }
    return robots;
  }

  /** The start URL itself must be allowed: a crawl that may not even begin says so plainly. */
  async assertAllowed(url: URL): Promise<void> {
    const robots = await this.enter(url);
    const verdict = robots.rules.verdict(url.pathname + url.search);
    if (verdict.allowed) return;
    throw new WebSourceError(
      'robots',
      this.source,
      `${url.origin}/robots.txt does not allow ${ROBOTS_AGENT_TOKEN} to fetch ${url.pathname}${ruleText(verdict.rule)}`,
      `Ask the site owner, add the pages you may use as files, or pass ${flagFor('ignoreRobots')} if you run the site or have permission`,
    );
  }

  /** Why robots.txt keeps us from `url`, if it does. */
  async refusal(url: URL): Promise<Refusal | undefined> {
    const robots = await this.cache.forOrigin(url.origin);
    const verdict = robots.rules.verdict(url.pathname + url.search);
    if (verdict.allowed) return undefined;
    return {
      reason: robots.unreachable
        ? `${url.origin}/robots.txt could not be read (${robots.unreachable.message}), so the site is treated as closed`
        : `${url.origin}/robots.txt does not allow ${ROBOTS_AGENT_TOKEN} here${ruleText(verdict.rule)}`,
      hint: `Pass ${flagFor('ignoreRobots')} only if you run the site or have permission`,
    };
  }
}

function ruleText(rule: { line: number; pattern: string } | undefined): string {
  return rule ? ` (line ${rule.line}: "Disallow: ${rule.pattern}")` : '';
}
