/**
 * The web source: documents fetched by URL, one at a time or by crawling a documentation site,
 * handed out as bytes plus a file name for `convertFile` (src/ingest/convert/index.ts). See
 * README.md in this folder for the behaviour, the options and the safety rules.
 */
export { fetchUrl, type FetchUrlResult, type FetchUrlRuntime } from './fetch-url.js';
export { crawlSite, WebCrawl, type CrawlRuntime, type CrawlSummary } from './crawler.js';
export type { CrawlEvent, DiscoveryKind, Navigation, SkipReason, WebResource } from './crawl-events.js';
export { parseCrawlState, type CrawlState } from './crawl-state.js';
export { CrawlOptionsSchema, FetchOptionsSchema, type CrawlOptionsInput, type FetchOptionsInput } from './options.js';
export type { WebRuntime } from './fetch-context.js';
export type { Resolver, ResolvedAddress } from './resolver.js';
export type { Validators } from './safe-fetch.js';
export type { FailureCode } from './fetch-failure.js';
export { DEFAULT_EXCLUDES } from './scope.js';
export { isWebAddress } from './url-normalize.js';
export { ROBOTS_AGENT_TOKEN, userAgent } from './user-agent.js';
export { WebSourceError, type WebSourceErrorReason } from './web-source-error.js';
