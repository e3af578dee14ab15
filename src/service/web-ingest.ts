/**
 * Documents from the web: one URL (a PDF, HTML, Markdown or text file), or a documentation site
 * crawled from a start URL into one collection, its pages in the site's navigation order with the
 * titles of the sections above each. A crawl hands its saved state to `checkpoint` after each page
 * is in the library, so a killed crawl resumes where it stopped; a finished crawl's state is kept
 * with the site so that a refresh can ask for changes only.
 */
import { z } from 'zod';
import type { CrawlOptionsInput, CrawlState, CrawlSummary, FetchOptionsInput, Navigation, WebResource } from '../ingest/sources/web/index.js';
import { crawlSite, fetchUrl, FetchOptionsSchema, parseCrawlState } from '../ingest/sources/web/index.js';
import { Ingestion, removeStoredDocument, type AddResult, type WriterContext } from '../ingest/pipeline.js';
import type { LabelFlags } from '../ingest/sources/discover.js';
import { bytesSource, type Source } from '../ingest/sources/source.js';
import { alternativeNames, pageDocumentName, siteCollectionName, suggestLabels, urlDocumentName } from '../ingest/sources/url-labels.js';
import type { FileOutcome, IngestProgress } from '../ingest/progress.js';
import type { DocumentLabels, DocumentNavigation } from '../library/model.js';
import { originOf, type DocumentOrigin } from '../library/origin.js';
import { slugify } from '../library/slug.js';
import { LibraryError } from '../library/errors.js';
import type { StoredDocument } from '../store/store.js';
import type { CrawlStateStore } from '../store/crawl-state.js';

/** A writer that also keeps the crawl state of sites and folders (the sources table) for refresh. */
export type SiteWriterContext = WriterContext & { sources: CrawlStateStore };


export interface UrlRequest {
  url: string;
  labels: LabelFlags;
  replace?: boolean;
  fetch?: FetchOptionsInput;
}

export interface SiteRequest {
  url: string;
  labels: LabelFlags;
  replace?: boolean;
  crawl?: CrawlOptionsInput;
}

/** What a site's record in the sources table keeps: how to crawl it again. */
export interface SiteSettings {
  labels: LabelFlags;
  crawl: CrawlOptionsInput;
}

const SiteSettingsSchema = z.object({
  labels: z.record(z.string(), z.string()),
  crawl: z.record(z.string(), z.unknown()),
});

/** A site's stored settings read back; undefined when they are missing or not what this version writes. */
export function siteSettings(value: unknown): SiteSettings | undefined {
  const parsed = SiteSettingsSchema.safeParse(value);
  return parsed.success ? (parsed.data as SiteSettings) : undefined;
}

export interface SiteRun {
  signal?: AbortSignal;
  /** Continue this saved state (a crawl cut short by a cancel or a crash). */
  resume?: CrawlState;
  /** A finished crawl of the same site: ask for changes only, remove pages that are gone. */
  previous?: CrawlState;
  /** Receives the crawl's state whenever every page handed out so far is in the library. */
  checkpoint?: (state: CrawlState) => void;
}

export interface SiteResult {
  summary: CrawlSummary;
  outcomes: FileOutcome[];
  /** Why the crawl stopped early (max pages), for people. */
  stopped?: string;
}

const CHECKPOINT_INTERVAL_MS = 1000;
/**
 * Pages ingested at once: one converts at a time (two conversion workers were slower on a 2-core
 * machine: each pays its own start-up and warm-up) while those converted before it are written,
 * several to a batch (see `Ingestion`), so a page's turn never waits for the disk.
 */
const PAGES_IN_FLIGHT = 8;

/** Vendor, product and version are required for web sources; missing ones are refused with suggestions read from the URL. */
export function requireLabels(flags: LabelFlags, url: string, what: 'URL' | 'site'): DocumentLabels {
  const missing = (['vendor', 'product', 'version'] as const).filter((key) => !flags[key]?.trim());
  if (missing.length === 0) return { vendor: flags.vendor!, product: flags.product!, version: flags.version! };
  const suggested = suggestLabels(url);
  const hints = missing.flatMap((key) => (suggested[key] ? [`--${key} ${JSON.stringify(suggested[key])}`] : []));
  throw new LibraryError(
    'invalid_input',
    `a ${what} needs ${missing.map((m) => `--${m}`).join(', ')}: nothing in a ${what} says which vendor, product and version it documents`,
    hints.length > 0 ? `Pass them, for example (read from the URL): ${hints.join(' ')}` : `Pass ${missing.map((m) => `--${m}`).join(', ')}`,
  );
}

function urlOrigin(resource: Pick<WebResource, 'url' | 'validators'>, site?: string): DocumentOrigin {
  return {
    kind: 'url',
    url: resource.url,
    ...(resource.validators.etag ? { etag: resource.validators.etag } : {}),
    ...(resource.validators.lastModified ? { lastModified: resource.validators.lastModified } : {}),
    ...(site ? { site } : {}),
  };
}

/** The source for one fetched file; `location` is the URL as given, fragment and all. */
export function fetchedSource(resource: WebResource, location: string, flags: LabelFlags, required: DocumentLabels): Source {
  const document = flags.document ?? urlDocumentName(resource.fileName);
  const labels: DocumentLabels = { ...required, document, ...(flags.collection ? { collection: flags.collection } : {}), ...(flags.title ? { title: flags.title } : {}) };
  // A single URL is known by what was asked for: redirects may move, the document stays.
  return bytesSource({ name: resource.fileName, origin: urlOrigin({ ...resource, url: resource.requestedUrl }), location, labels }, resource.bytes);
}

/** Fetches one URL and adds it; a refused or failed fetch throws, saying what to do. */
export async function addUrl(ctx: WriterContext, request: UrlRequest, progress: IngestProgress, signal?: AbortSignal): Promise<AddResult> {
  const required = requireLabels(request.labels, request.url, 'URL');
  const location = request.url.trim();
  progress.start(1);
  progress.fileStarted(location, 0);
  const fetched = await fetchUrl(location, request.fetch, signal ? { signal } : {});
  if (fetched.type !== 'resource') throw new Error(`fetching ${location} without validators answered ${fetched.type}`);
  const ingestion = new Ingestion(ctx, request.replace ? { replace: true } : {});
  try {
    const result = await ingestion.add(fetchedSource(fetched.resource, location, request.labels, required), progress);
    progress.fileFinished(result);
    return result;
  } finally {
    await ingestion.close();
    progress.finish();
  }
}

/**
 * The site's documents and how pages map to them: a page keeps the name it was filed under, and a
 * new page whose name is taken by another page gets an alternative, so names are stable across
 * refreshes.
 */
class SiteIndex {
  private readonly byUrl = new Map<string, StoredDocument>();
  private readonly urlByName = new Map<string, string>();
  private readonly titles = new Map<string, string>();
  private readonly parents = new Map<string, string>();
  startUrl: string | undefined;

  constructor(private readonly ctx: WriterContext, labels: DocumentLabels & { collection: string }) {
    const key = { product: slugify(labels.product, 'product'), version: slugify(labels.version, 'version'), collection: slugify(labels.collection, 'collection') };
    for (const doc of ctx.store.documents(key)) this.remember(doc);
  }

  private remember(doc: StoredDocument): void {
    const origin = originOf(doc);
    if (origin.kind !== 'url') return;
    this.byUrl.set(origin.url, doc);
    this.urlByName.set(doc.key.document, origin.url);
    this.titles.set(origin.url, doc.title);
  }

  documentName(url: string, pathPrefix: string): string {
    const known = this.byUrl.get(url);
    if (known) return known.key.document;
    const base = pageDocumentName(url, pathPrefix);
    const candidates = [base, ...alternativeNames(url, base)];
    for (const candidate of candidates) {
      const slug = slugify(candidate, 'document');
      const holder = this.urlByName.get(slug);
      if (holder === undefined || holder === url) {
        this.urlByName.set(slug, url);
        return candidate;
      }
    }
    return candidates[candidates.length - 1]!;
  }

  stored(url: string): StoredDocument | undefined {
    return this.byUrl.get(url);
  }

  placed(url: string, parent: string | undefined): void {
    if (parent) this.parents.set(url, parent);
  }

  filed(url: string, docId: string | undefined): void {
    const doc = docId === undefined ? undefined : this.ctx.store.document(docId);
    if (doc) this.remember(doc);
  }

  forget(url: string): void {
    this.byUrl.delete(url);
  }

  /** Titles of the pages above this one, outermost first, up to (not including) the start page. */
  trail(parent: string | undefined): string[] {
    const trail: string[] = [];
    const seen = new Set<string>();
    for (let at = parent; at && at !== this.startUrl && !seen.has(at) && trail.length < 32; at = this.parents.get(at)) {
      seen.add(at);
      const title = this.titles.get(at);
      if (title) trail.unshift(title);
    }
    return trail;
  }
}

/**
 * Crawls a site into the library as one collection. With `run.previous` it is a refresh: unchanged
 * pages are left alone, changed and new ones ingested, pages now answering 404/410 removed.
 */
export async function crawlIntoLibrary(ctx: SiteWriterContext, request: SiteRequest, progress: IngestProgress, run: SiteRun = {}): Promise<SiteResult> {
  const required = requireLabels(request.labels, request.url, 'site');
  const labels = { ...required, collection: request.labels.collection?.trim() || siteCollectionName(request.url) };
  const site = new SiteIndex(ctx, labels);
  const crawl = crawlSite(request.url, request.crawl ?? {}, {
    ...(run.signal ? { signal: run.signal } : {}),
    ...(run.resume ? { resume: run.resume } : {}),
    ...(run.previous ? { previous: run.previous } : {}),
  });
  const ingestion = new Ingestion(ctx, request.replace ? { replace: true } : {});
  // A first crawl converts nearly every page; a refresh mostly hears "unchanged".
  if (!run.previous) ingestion.warm();
  const outcomes: FileOutcome[] = [];
  const finished = (outcome: FileOutcome) => {
    outcomes.push(outcome);
    progress.fileFinished(outcome);
  };
  /** Pages being ingested, by URL: the next one converts while the last one is indexed and written. */
  const inFlight = new Map<string, Promise<void>>();
  const settle = () => Promise.all(inFlight.values());
  const ingest = async (url: string, navigation: Navigation, resource: WebResource | (() => Promise<WebResource>), startUrl: string, prefix: string) => {
    // A page's trail names the pages above it, so its parent must be in the library first.
    const parent = navigation.parent ? inFlight.get(navigation.parent) : undefined;
    if (parent) await parent;
    while (inFlight.size >= PAGES_IN_FLIGHT) await Promise.race(inFlight.values());
    const done = (async () => {
      let page: WebResource;
      try {
        page = typeof resource === 'function' ? await resource() : resource;
      } catch (error) {
        finished({ file: url, status: 'failed', warnings: [], error: (error as Error).message });
        return;
      }
      const place: DocumentNavigation = { order: navigation.order, trail: site.trail(navigation.parent) };
      const source = bytesSource(
        { name: page.fileName, origin: urlOrigin(page, startUrl), location: url, labels: { ...labels, document: site.documentName(url, prefix) }, navigation: place },
        page.bytes,
      );
      const result = await ingestion.add(source, progress);
      site.filed(url, result.status === 'failed' ? undefined : result.docId);
      finished(result);
    })().finally(() => inFlight.delete(url));
    inFlight.set(url, done);
  };
  let stopped: string | undefined;
  let lastCheckpoint = 0;
  let index = 0;
  progress.start(0);
  try {
    for await (const event of crawl) {
      const { startUrl, scope } = crawl.summary();
      const prefix = scope?.pathPrefix ?? '/';
      switch (event.type) {
        case 'resource':
        case 'unchanged': {
          const url = event.type === 'resource' ? event.resource.url : event.url;
          const { navigation } = event.type === 'resource' ? event.resource : event;
          if (navigation.via === 'start') site.startUrl = url;
          site.placed(url, navigation.parent);
          progress.fileStarted(url, index++);
          if (event.type === 'unchanged' && site.stored(url)) {
            finished({ file: url, status: 'unchanged', warnings: [] });
            break;
          }
          // A page the crawl has seen before but the library lacks (its ingestion failed, or it was
          // removed) is fetched again in full: a 304 carries no bytes.
          await ingest(url, navigation, event.type === 'resource' ? event.resource : () => refetch(url, request, run.signal), startUrl, prefix);
          break;
        }
        case 'gone': {
          const doc = site.stored(event.url);
          if (doc) {
            await removeStoredDocument(ctx, doc);
            site.forget(event.url);
          }
          finished({ file: event.url, status: 'removed', warnings: [`the page answers ${event.status}`], ...(doc ? { docId: doc.docId, sourcePath: doc.sourcePath } : {}) });
          break;
        }
        case 'failed':
          finished({ file: event.url, status: 'failed', warnings: [], error: `${event.message}. ${event.hint}` });
          break;
        case 'stopped':
          if (event.reason === 'max-pages') stopped = `${event.message}. ${event.hint}`;
          break;
        case 'skipped':
          break;
      }
      if (run.checkpoint && performance.now() - lastCheckpoint >= CHECKPOINT_INTERVAL_MS) {
        // The state counts every page handed out as done: only save it once they are in the library.
        await settle();
        const state = crawl.state();
        run.checkpoint(state);
        progress.total?.(index + state.frontier.length);
        lastCheckpoint = performance.now();
      }
    }
    await settle();
    run.checkpoint?.(crawl.state());
  } finally {
    await settle();
    await ingestion.close();
    progress.finish();
  }
  const summary = crawl.summary();
  if (summary.status === 'complete') {
    const settings: SiteSettings = { labels: { ...request.labels, collection: labels.collection }, crawl: request.crawl ?? {} };
    await ctx.sources.save({ kind: 'site', location: summary.startUrl, settings, state: crawl.state() }, run.previous !== undefined);
  }
  return { summary, outcomes, ...(stopped ? { stopped } : {}) };
}

/** Fetches a page in full, with the crawl's fetch options (address policy, limits, retries). */
async function refetch(url: string, request: SiteRequest, signal: AbortSignal | undefined): Promise<WebResource> {
  const fetchOptions = Object.fromEntries(Object.entries(request.crawl ?? {}).filter(([key]) => key in FetchOptionsSchema.shape));
  const fetched = await fetchUrl(url, fetchOptions, signal ? { signal } : {});
  if (fetched.type !== 'resource') throw new Error(`fetching ${url} without validators answered ${fetched.type}`);
  return { ...fetched.resource, url };
}

/** A saved crawl state read back from storage; undefined when it is missing or no longer valid. */
export function savedCrawlState(value: unknown, url: string): CrawlState | undefined {
  if (value === undefined || value === null) return undefined;
  try {
    return parseCrawlState(value, url);
  } catch {
    return undefined;
  }
}
