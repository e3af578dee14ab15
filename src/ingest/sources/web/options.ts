import { z } from 'zod';
import { flagFor } from './refusal.js';
import { WebSourceError } from './web-source-error.js';

/**
 * The options of a single-URL fetch and of a crawl, validated once at the edge. Every option maps
 * to a command-line flag by the usual rule (`maxPages` → `--max-pages`), which is the name error
 * messages use.
 */
const MiB = 1024 * 1024;

/** Request starts per second per public host when no rate is given (see HostLimiter). */
export const PUBLIC_HOST_RATE = 10;

export const FetchOptionsSchema = z
  .object({
    allowPrivate: z.boolean().default(false).describe('Allow fetching from loopback, private and link-local addresses (not cloud metadata)'),
    allowPrivateHosts: z
      .array(z.string().min(1))
      .default([])
      .describe('Host names (docs.internal, *.corp.example) and networks (10.0.0.0/8, 127.0.0.1) that may be private'),
    maxBytes: z.number().int().min(1024).default(50 * MiB).describe('Largest response accepted, in bytes (checked while downloading)'),
    headerTimeoutMs: z.number().int().min(1).default(20_000).describe('Time allowed for a server to start answering, in ms'),
    responseTimeoutMs: z.number().int().min(1).default(120_000).describe('Time allowed for a whole response, in ms'),
    retries: z.number().int().min(0).max(10).default(3).describe('Retries after 429, 5xx, timeouts and network errors'),
    retryBaseDelayMs: z.number().int().min(0).default(500).describe('First retry delay, doubled on each retry (with jitter), in ms'),
    retryMaxDelayMs: z.number().int().min(0).default(30_000).describe('Longest delay between retries, in ms'),
    maxRetryAfterMs: z.number().int().min(0).default(120_000).describe('Longest Retry-After waited for; longer ones fail the URL, in ms'),
    maxRedirects: z.number().int().min(0).max(30).default(10).describe('Redirects followed per URL'),
  })
  .strict();

export const CrawlOptionsSchema = FetchOptionsSchema.extend({
  concurrency: z.number().int().min(1).max(32).default(4).describe('Requests in flight at once'),
  maxRequestsPerSecond: z
    .number()
    .min(0)
    .optional()
    .describe(`Request starts per second per host (0: no limit; default ${PUBLIC_HOST_RATE} for public hosts, none for private addresses you allowed); a robots.txt Crawl-delay can only slow this`),
  maxPages: z.number().int().min(1).default(1000).describe('Pages fetched at most (a resumed crawl counts the pages fetched before)'),
  maxDepth: z.number().int().min(0).default(16).describe('Link hops from the start page at most'),
  maxUrlLength: z.number().int().min(64).default(2048).describe('Longest URL followed, in characters'),
  maxCrawlDelaySeconds: z.number().min(0).default(30).describe('Longest robots.txt Crawl-delay accepted; a site asking more is not crawled'),
  pathPrefix: z.string().min(1).optional().describe("Path to stay under (default: the start page's folder)"),
  include: z.array(z.string().min(1)).default([]).describe('Only follow URLs matching one of these globs (path globs, or full-URL globs starting with http)'),
  exclude: z.array(z.string().min(1)).default([]).describe('Never follow URLs matching these globs'),
  defaultExcludes: z.boolean().default(true).describe('Skip generated pages: Sphinx _sources, genindex, search, py-modindex'),
  sitemaps: z.boolean().default(true).describe('Seed the crawl from sitemap.xml and the Sitemap lines of robots.txt'),
  llmsTxt: z.boolean().default(true).describe('Seed the crawl from llms.txt'),
  ignoreRobots: z.boolean().default(false).describe('Ignore robots.txt and robots meta tags (only for sites you run or may copy)'),
}).strict();

export type FetchOptionsInput = z.input<typeof FetchOptionsSchema>;
export type FetchOptions = z.output<typeof FetchOptionsSchema>;
export type CrawlOptionsInput = z.input<typeof CrawlOptionsSchema>;
export type CrawlOptions = z.output<typeof CrawlOptionsSchema>;

export function parseOptions<S extends z.ZodType>(schema: S, input: unknown, source: string): z.output<S> {
  const parsed = schema.safeParse(input ?? {});
  if (parsed.success) return parsed.data;
  const problems = parsed.error.issues.map((issue) => {
    if (issue.code === 'unrecognized_keys') return `unknown option${issue.keys.length > 1 ? 's' : ''} ${issue.keys.join(', ')}`;
    const key = String(issue.path[0] ?? '');
    return key ? `${flagFor(key)}: ${issue.message}` : issue.message;
  });
  throw new WebSourceError('invalid-options', source, `invalid options: ${problems.join('; ')}`, 'Fix the options named above');
}
