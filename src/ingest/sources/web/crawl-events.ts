import type { SourceFormat } from '../../convert/index.js';
import type { FailureCode } from './fetch-failure.js';
import type { Validators } from './safe-fetch.js';

/** How a URL entered the crawl. */
export type DiscoveryKind = 'start' | 'link' | 'llms-txt' | 'sitemap' | 'previous';

/**
 * Where a page sits in its site. `order` is the site's navigation order: breadth-first link
 * discovery from the start page, with llms.txt and sitemap entries (in their files' order) right
 * after the start page. It is a sort key with gaps (failed and skipped URLs use numbers too),
 * identical from run to run whatever the concurrency. `parent` builds the navigation tree: the
 * page whose link first led here, or for llms.txt/sitemap entries the nearest page above it in
 * the URL path hierarchy (the start page at the top).
 */
export interface Navigation {
  order: number;
  /** Link hops from the start page (llms.txt and sitemap entries count as one). */
  depth: number;
  parent?: string;
  via: DiscoveryKind;
}

/** A fetched document, ready for `convertFile({ bytes, fileName })`. */
export interface WebResource {
  /** The page's identity: its `<link rel=canonical>` when in scope, else the URL after redirects. */
  url: string;
  /** The URL that was requested (as discovered). */
  requestedUrl: string;
  /** The URL that answered, after redirects. */
  finalUrl: string;
  format: SourceFormat;
  /** A name with the extension of `format`, for the converters (`bgp.html`, `manual.pdf`). */
  fileName: string;
  bytes: Uint8Array;
  contentType?: string;
  /** sha256 of `bytes`, hex. */
  contentHash: string;
  validators: Validators;
  fetchedAt: string;
  navigation: Navigation;
}

export type SkipReason = 'robots' | 'duplicate' | 'unsupported' | 'out-of-scope' | 'max-depth' | 'trap' | 'noindex' | 'redirect-page';

export type CrawlEvent =
  /** New or changed content to convert. */
  | { type: 'resource'; resource: WebResource; change: 'new' | 'changed' }
  /** Refresh: the server answered 304, or sent the same bytes again. Nothing to convert. */
  | {
      type: 'unchanged';
      url: string;
      requestedUrl: string;
      finalUrl: string;
      format?: SourceFormat;
      contentHash?: string;
      validators: Validators;
      navigation: Navigation;
    }
  /** Refresh: a page of the previous crawl now answers 404 or 410. */
  | { type: 'gone'; url: string; status: number; navigation: Navigation }
  /** A URL that could not be fetched; the crawl went on. */
  | { type: 'failed'; url: string; code: FailureCode; status?: number; message: string; hint: string; navigation?: Navigation }
  /** A URL deliberately not fetched or not handed out, and why. */
  | { type: 'skipped'; url: string; reason: SkipReason; message: string; navigation?: Navigation }
  /** The crawl ended before its frontier was empty; its state can be resumed. */
  | { type: 'stopped'; reason: 'max-pages' | 'cancelled'; message: string; hint: string };
