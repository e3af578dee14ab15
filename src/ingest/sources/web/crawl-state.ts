import { z } from 'zod';
import { WebSourceError } from './web-source-error.js';

/**
 * Everything a crawl needs to continue after it was cancelled or killed, and to refresh later:
 * the frontier (in navigation order), every URL already discovered, and one record per URL
 * processed, with its validators. Plain JSON: save it with `JSON.stringify(crawl.state())`.
 */
const DiscoveryKindSchema = z.enum(['start', 'link', 'llms-txt', 'sitemap', 'previous']);

const FrontierEntrySchema = z.object({
  url: z.string().url(),
  order: z.number().int().min(0),
  depth: z.number().int().min(0),
  parent: z.string().optional(),
  via: DiscoveryKindSchema,
});

const PageRecordSchema = FrontierEntrySchema.extend({
  outcome: z.enum(['resource', 'unchanged', 'gone', 'failed', 'skipped']),
  finalUrl: z.string().optional(),
  /** Identity of the resource handed out (canonical or final URL). */
  resourceUrl: z.string().optional(),
  status: z.number().int().optional(),
  etag: z.string().optional(),
  lastModified: z.string().optional(),
  contentHash: z.string().optional(),
  format: z.enum(['pdf', 'html', 'markdown', 'text']).optional(),
});

export const CrawlStateSchema = z.object({
  kind: z.literal('mcdewey-crawl-state'),
  version: z.literal(1),
  startUrl: z.string().url(),
  scope: z.object({ origin: z.string(), pathPrefix: z.string().startsWith('/') }).optional(),
  status: z.enum(['running', 'complete', 'max-pages', 'cancelled']),
  nextOrder: z.number().int().min(0),
  pagesFetched: z.number().int().min(0),
  frontier: z.array(FrontierEntrySchema),
  seen: z.array(z.string()),
  records: z.array(PageRecordSchema),
});

export type FrontierEntry = z.infer<typeof FrontierEntrySchema>;
export type PageRecord = z.infer<typeof PageRecordSchema>;
export type CrawlState = z.infer<typeof CrawlStateSchema>;
export type CrawlStatus = CrawlState['status'];

/** Validates a saved state (it comes from a file, so it is input like any other). */
export function parseCrawlState(value: unknown, source: string): CrawlState {
  const parsed = CrawlStateSchema.safeParse(value);
  if (parsed.success) return parsed.data;
  const problems = parsed.error.issues.slice(0, 3).map((issue) => `${issue.path.join('.') || '(root)'}: ${issue.message}`);
  throw new WebSourceError('invalid-state', source, `the saved crawl state is not valid (${problems.join('; ')})`, 'Start the crawl afresh without the saved state');
}
