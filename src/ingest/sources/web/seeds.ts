import { extractMarkdownLinks } from './markdown-links.js';
import type { FetchContext } from './safe-fetch.js';
import { safeFetch } from './safe-fetch.js';
import type { CrawlScope } from './scope.js';
import { parseSitemap } from './sitemap.js';
import { normalizeUrl } from './url-normalize.js';

/**
 * Pages a site lists for crawlers, in the site's own order: llms.txt first (a curated reading
 * order), then sitemaps (from robots.txt Sitemap lines, `<prefix>/sitemap.xml` and
 * `/sitemap.xml`, following sitemap indexes). Only URLs inside the crawl's scope are kept.
 */
export type SeedSource = 'llms-txt' | 'sitemap';

export interface Seed {
  url: URL;
  via: SeedSource;
}

export interface SeedReport {
  seeds: Seed[];
  /** The llms.txt and sitemap files that were read. */
  read: string[];
  /** Files that exist but could not be used, with why. */
  problems: Array<{ url: string; message: string }>;
}

const MAX_SITEMAP_FILES = 50;

export async function discoverSeeds(
  ctx: FetchContext,
  scope: CrawlScope,
  /** Sitemap URLs named by robots.txt. */
  robotsSitemaps: readonly string[],
  options: { sitemaps: boolean; llmsTxt: boolean; maxBytes: number; allowed: (url: URL) => Promise<boolean> },
): Promise<SeedReport> {
  const report: SeedReport = { seeds: [], read: [], problems: [] };
  const seen = new Set<string>();
  const add = (raw: string, base: URL, via: SeedSource): void => {
    const url = normalizeUrl(raw, base);
    if (!url || seen.has(url.href) || scope.verdict(url).kind === 'out') return;
    seen.add(url.href);
    report.seeds.push({ url, via });
  };
  const candidates = (name: string): URL[] =>
    [...new Set([`${scope.origin}${scope.pathPrefix}${name}`, `${scope.origin}/${name}`])].map((href) => new URL(href));

  if (options.llmsTxt) {
    for (const url of candidates('llms.txt')) {
      if (!(await options.allowed(url))) continue;
      const text = await fetchText(ctx, url, 'text/markdown,text/plain;q=0.9,*/*;q=0.5', options.maxBytes, report);
      if (text === undefined) continue;
      report.read.push(url.href);
      extractMarkdownLinks(text).forEach((link) => add(link, url, 'llms-txt'));
      break;
    }
  }

  if (options.sitemaps) {
    const listed = robotsSitemaps.flatMap((s) => normalizeUrl(s) ?? []);
    const listedHrefs = new Set(listed.map((u) => u.href));
    const queue = [...listed, ...candidates('sitemap.xml')];
    const queued = new Set(queue.map((u) => u.href));
    for (let files = 0; queue.length > 0 && files < MAX_SITEMAP_FILES; files += 1) {
      const url = queue.shift()!;
      // Sitemaps named by robots.txt are meant to be read; the guessed locations must be allowed.
      if (!listedHrefs.has(url.href) && !(await options.allowed(url))) continue;
      const bytes = await fetchBytes(ctx, url, 'application/xml,text/xml;q=0.9,*/*;q=0.5', options.maxBytes, report);
      if (!bytes) continue;
      try {
        const sitemap = parseSitemap(bytes, options.maxBytes);
        report.read.push(url.href);
        if (sitemap.kind === 'urls') sitemap.urls.forEach((loc) => add(loc, url, 'sitemap'));
        else {
          for (const loc of sitemap.sitemaps) {
            const child = normalizeUrl(loc, url);
            if (child && !queued.has(child.href)) {
              queued.add(child.href);
              queue.push(child);
            }
          }
        }
      } catch (error) {
        report.problems.push({ url: url.href, message: `not a readable sitemap: ${(error as Error).message}` });
      }
    }
  }
  return report;
}

/** The body, or undefined when there is none (404 and friends are normal: most sites lack these). */
async function fetchBytes(ctx: FetchContext, url: URL, accept: string, maxBytes: number, report: SeedReport): Promise<Uint8Array | undefined> {
  const outcome = await safeFetch(ctx, { url, accept, maxBytes });
  if (outcome.kind === 'ok') return outcome.body;
  if (outcome.kind === 'failed' && outcome.failure.code !== 'gone' && outcome.failure.status !== 403 && outcome.failure.status !== 401) {
    report.problems.push({ url: url.href, message: outcome.failure.message });
  }
  return undefined;
}

async function fetchText(ctx: FetchContext, url: URL, accept: string, maxBytes: number, report: SeedReport): Promise<string | undefined> {
  const bytes = await fetchBytes(ctx, url, accept, maxBytes, report);
  if (!bytes) return undefined;
  const text = new TextDecoder('utf-8').decode(bytes);
  // Some servers answer every unknown path with their HTML home page; that is not an llms.txt.
  return /^\s*</.test(text) ? undefined : text;
}
