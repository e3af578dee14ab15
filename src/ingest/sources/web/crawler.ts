import { createHash } from 'node:crypto';
import { sniffFormat } from './content-sniff.js';
import type { CrawlEvent, DiscoveryKind, Navigation, SkipReason, WebResource } from './crawl-events.js';
import { parseCrawlState, type CrawlState, type CrawlStatus, type FrontierEntry, type PageRecord } from './crawl-state.js';
import type { AddressPolicy } from './address-policy.js';
import { addressPolicyFor, openFetchContext, type WebRuntime } from './fetch-context.js';
import { fileNameFor } from './file-name.js';
import { TrapGuard } from './link-traps.js';
import { CrawlOptionsSchema, parseOptions, type CrawlOptionsInput, type CrawlSettings } from './options.js';
import { charsetOf, pageLinks } from './page-links.js';
import { pathParents } from './path-parents.js';
import { flagFor, type Refusal } from './refusal.js';
import { RobotsCache, type SiteRobots } from './robots-cache.js';
import { safeFetch, type FetchContext, type FetchOutcome, type Validators } from './safe-fetch.js';
import { CrawlScope } from './scope.js';
import { discoverSeeds, type SeedReport } from './seeds.js';
import { normalizeUrl, urlShapeRefusal } from './url-normalize.js';
import { ROBOTS_AGENT_TOKEN } from './user-agent.js';
import { WebSourceError } from './web-source-error.js';

/**
 * Crawls a documentation site from a start URL and hands out its documents as they are fetched.
 *
 *     const crawl = crawlSite('https://docs.example.com/guide/', { maxPages: 500 });
 *     for await (const event of crawl) {
 *       if (event.type === 'resource') await convertFile(event.resource);   // bytes + fileName
 *       saveSomewhere(JSON.stringify(crawl.state()));                       // resumable at any point
 *     }
 *
 * Pages are fetched concurrently but handed out strictly in navigation order, so the order, the
 * parents and the state are the same on every run. A URL counts as done once its event has been
 * handed out: a crawl stopped (cancelled, killed, or `break` out of the loop) and resumed from
 * `state()` fetches neither those pages nor the same page under another URL again.
 *
 * Refresh: pass the state of a finished crawl as `previous`. Pages are then requested
 * conditionally (ETag / Last-Modified); 304 or identical bytes become `unchanged`, 404/410 of a
 * known page becomes `gone`, and known pages no longer linked from anywhere are checked too.
 */
export interface CrawlRuntime extends WebRuntime {
  /** Continue this saved state instead of starting afresh. */
  resume?: CrawlState;
  /** The state of an earlier, finished crawl of the same site: refresh against it. */
  previous?: CrawlState;
}

export function crawlSite(startUrl: string, options: CrawlOptionsInput = {}, runtime: CrawlRuntime = {}): WebCrawl {
  return new WebCrawl(startUrl, options, runtime);
}

export interface CrawlSummary {
  startUrl: string;
  scope?: { origin: string; pathPrefix: string };
  status: CrawlStatus;
  counts: Record<CrawlEvent['type'], number>;
  /** Page requests started (robots.txt, sitemaps and llms.txt not included). */
  pagesFetched: number;
  seeds?: Pick<SeedReport, 'read' | 'problems'>;
  robots?: { crawlDelaySeconds?: number; unreachable?: string; ignored: boolean };
  elapsedMs: number;
}

/** One URL being fetched, kept in navigation order until it is handed out. */
interface Task {
  entry: FrontierEntry;
  outcome?: TaskOutcome;
  /** Whether it used up one of `maxPages`. */
  counted: boolean;
}

type TaskOutcome = FetchOutcome | { kind: 'robots'; refusal: Refusal } | { kind: 'duplicate'; of: string };

interface PreviousCrawl {
  byUrl: Map<string, PageRecord>;
  validatorsByFinalUrl: Map<string, Validators>;
  /** Pages first linked from each page, in order: what a 304 page would have led to. */
  children: Map<string, PageRecord[]>;
  rechecked: boolean;
}

const ACCEPT = 'text/html,application/xhtml+xml,text/markdown;q=0.9,application/pdf;q=0.9,text/plain;q=0.8,*/*;q=0.5';

export class WebCrawl implements AsyncIterable<CrawlEvent> {
  private readonly settings: CrawlSettings;
  private readonly policy: AddressPolicy;
  private readonly start: URL;
  private readonly runtime: CrawlRuntime;
  private readonly internal = new AbortController();
  private readonly signal: AbortSignal;
  private scope?: CrawlScope;
  private robots?: RobotsCache;
  private startRobots?: SiteRobots;
  private ctx?: FetchContext & { close(): void };
  private readonly traps: TrapGuard;
  private queue: FrontierEntry[] = [];
  private queueHead = 0;
  private window: Task[] = [];
  private readonly seen = new Set<string>();
  /** URLs already accounted for as a request or as a resource identity. */
  private readonly claimed = new Set<string>();
  private readonly contentOwners = new Map<string, string>();
  private records: PageRecord[] = [];
  private nextOrder = 0;
  private pagesFetched = 0;
  private status: CrawlStatus = 'running';
  private readonly counts: Record<CrawlEvent['type'], number> = { resource: 0, unchanged: 0, gone: 0, failed: 0, skipped: 0, stopped: 0 };
  private seedReport?: SeedReport;
  private readonly previous?: PreviousCrawl;
  private wake?: () => void;
  private started = false;
  private startedAt = 0;

  constructor(startUrl: string, options: CrawlOptionsInput, runtime: CrawlRuntime) {
    this.settings = parseOptions(CrawlOptionsSchema, options, startUrl);
    this.policy = addressPolicyFor(this.settings, startUrl);
    const start = normalizeUrl(startUrl.trim());
    if (!start) throw new WebSourceError('invalid-url', startUrl, 'not a valid URL', 'Give a full address such as https://docs.example.com/guide/');
    const shape = urlShapeRefusal(start);
    if (shape) throw new WebSourceError('invalid-url', startUrl, shape.reason, shape.hint);
    this.start = start;
    this.runtime = runtime;
    this.signal = runtime.signal ? AbortSignal.any([runtime.signal, this.internal.signal]) : this.internal.signal;
    this.traps = new TrapGuard(this.settings);
    if (runtime.previous) this.previous = indexPrevious(parseCrawlState(runtime.previous, startUrl));
  }

  [Symbol.asyncIterator](): AsyncIterator<CrawlEvent> {
    if (this.started) throw new Error('a crawl can be iterated only once; resume a new one from its state()');
    this.started = true;
    return this.run();
  }

  /** A snapshot to save: resumable with `crawlSite(url, options, { resume })`, or `previous` for a refresh. */
  state(): CrawlState {
    const pending = [...this.window.map((t) => t.entry), ...this.queue.slice(this.queueHead)];
    return {
      kind: 'mcdewey-crawl-state',
      version: 1,
      startUrl: this.start.href,
      ...(this.scope ? { scope: { origin: this.scope.origin, pathPrefix: this.scope.pathPrefix } } : {}),
      status: this.status,
      nextOrder: this.nextOrder,
      pagesFetched: this.pagesFetched - this.window.filter((t) => t.counted).length,
      frontier: pending.length > 0 || this.scope ? pending : [this.startEntry()],
      seen: [...this.seen],
      records: [...this.records],
    };
  }

  summary(): CrawlSummary {
    const rules = this.startRobots?.rules;
    return {
      startUrl: this.start.href,
      ...(this.scope ? { scope: { origin: this.scope.origin, pathPrefix: this.scope.pathPrefix } } : {}),
      status: this.status,
      counts: { ...this.counts },
      pagesFetched: this.pagesFetched,
      ...(this.seedReport ? { seeds: { read: this.seedReport.read, problems: this.seedReport.problems } } : {}),
      robots: { crawlDelaySeconds: rules?.crawlDelaySeconds, unreachable: this.startRobots?.unreachable, ignored: this.settings.ignoreRobots },
      elapsedMs: this.startedAt ? Math.round(performance.now() - this.startedAt) : 0,
    };
  }

  private async *run(): AsyncGenerator<CrawlEvent> {
    this.startedAt = performance.now();
    const ctx = openFetchContext(this.settings, this.policy, { ...this.runtime, signal: this.signal });
    this.ctx = ctx;
    this.robots = new RobotsCache(ctx);
    const wakeOnAbort = (): void => this.wake?.();
    this.signal.addEventListener('abort', wakeOnAbort);
    try {
      const resume = this.runtime.resume ? parseCrawlState(this.runtime.resume, this.start.href) : undefined;
      if (resume?.scope) await this.restore(resume);
      else yield* this.emit(await this.begin());
      if (this.status === 'running') yield* this.loop();
    } finally {
      this.signal.removeEventListener('abort', wakeOnAbort);
      this.internal.abort();
      ctx.close();
    }
  }

  private *emit(events: CrawlEvent[]): Generator<CrawlEvent> {
    for (const event of events) {
      this.counts[event.type] += 1;
      yield event;
    }
  }

  /**
   * Fetches the start page before anything else: its final URL (after redirects) fixes the scope,
   * and a start URL that is refused or fails stops the crawl with an error instead of an event.
   */
  private async begin(): Promise<CrawlEvent[]> {
    const entry = this.startEntry();
    this.nextOrder = 1;
    this.seen.add(entry.url);
    if (!this.settings.ignoreRobots) this.assertAllowed(this.start, await this.loadRobots(this.start));
    this.pagesFetched += 1;
    const outcome = await this.fetchEntry(entry);
    if (this.signal.aborted) {
      this.pagesFetched -= 1;
      this.queue.push(entry);
      return this.stop('cancelled');
    }
    if (outcome.kind === 'failed') {
      const { failure } = outcome;
      throw new WebSourceError(failure.code === 'blocked-address' ? 'blocked-address' : 'fetch-failed', this.start.href, failure.message, failure.hint, failure.status);
    }
    if (outcome.kind !== 'ok' && outcome.kind !== 'not-modified') throw new Error('the start page cannot be a robots refusal or duplicate');
    this.scope = new CrawlScope(outcome.url, this.settings);
    // Redirect hops were checked against robots.txt; the final site's Crawl-delay applies from here.
    if (outcome.url.origin !== this.start.origin && !this.settings.ignoreRobots) await this.loadRobots(outcome.url);
    if (outcome.kind === 'ok') {
      const sniffed = sniffFormat({ contentType: header(outcome.headers['content-type']), bytes: outcome.body, url: outcome.url });
      if ('unsupported' in sniffed) {
        throw new WebSourceError('unsupported-content', this.start.href, sniffed.unsupported, 'Give the URL of an HTML, Markdown, text or PDF page');
      }
    }
    await this.seed(outcome.url);
    return this.settle({ entry, counted: true, outcome });
  }

  private startEntry(): FrontierEntry {
    return { url: this.start.href, order: 0, depth: 0, via: 'start' };
  }

  /**
   * Loads robots.txt for the crawl's site and applies its Crawl-delay. A site whose robots.txt
   * cannot be read, or that asks for a pace slower than we accept, is not crawled at all.
   */
  private async loadRobots(url: URL): Promise<SiteRobots> {
    const robots = await this.robots!.forOrigin(url.origin);
    this.startRobots = robots;
    if (robots.blocked) throw new WebSourceError('blocked-address', this.start.href, robots.blocked.message, robots.blocked.hint);
    if (robots.unreachable) {
      throw new WebSourceError(
        'robots',
        this.start.href,
        `${robots.unreachable}; a site whose robots.txt cannot be read is treated as closed to crawlers (RFC 9309)`,
        `Try again later, or pass ${flagFor('ignoreRobots')} if you run the site`,
      );
    }
    const delay = robots.rules.crawlDelaySeconds;
    if (delay !== undefined) {
      if (delay > this.settings.maxCrawlDelaySeconds) {
        throw new WebSourceError(
          'robots',
          this.start.href,
          `${url.origin}/robots.txt asks for ${delay} s between requests, more than the ${this.settings.maxCrawlDelaySeconds} s we accept`,
          `Raise ${flagFor('maxCrawlDelaySeconds')} to crawl at the pace the site asks (${this.settings.maxPages} pages would take ${Math.ceil((delay * this.settings.maxPages) / 60)} min), or add the pages as files`,
        );
      }
      this.ctx!.limiter.setMinimumInterval(url.host, delay * 1000);
    }
    return robots;
  }

  /** The start URL itself must be allowed: a crawl that may not even begin says so plainly. */
  private assertAllowed(url: URL, robots: SiteRobots): void {
    const verdict = robots.rules.verdict(url.pathname + url.search);
    if (verdict.allowed) return;
    const rule = verdict.rule ? ` (line ${verdict.rule.line}: "Disallow: ${verdict.rule.pattern}")` : '';
    throw new WebSourceError(
      'robots',
      this.start.href,
      `${url.origin}/robots.txt does not allow ${ROBOTS_AGENT_TOKEN} to fetch ${url.pathname}${rule}`,
      `Ask the site owner, add the pages you may use as files, or pass ${flagFor('ignoreRobots')} if you run the site or have permission`,
    );
  }

  private async seed(startFinal: URL): Promise<void> {
    this.seedReport = await discoverSeeds(this.ctx!, this.scope!, this.startRobots?.sitemaps ?? [], this.settings);
    const seeds = this.seedReport.seeds.filter((s) => !this.seen.has(s.url.href) && s.url.href !== startFinal.href);
    const parents = pathParents(
      seeds.map((s) => s.url),
      startFinal,
    );
    for (const seed of seeds) {
      const parent = parents.get(seed.url.href);
      this.enqueue(seed.url, { depth: 1, via: seed.via, ...(parent ? { parent } : {}) }, []);
    }
  }

  private async restore(state: CrawlState): Promise<void> {
    if (state.startUrl !== this.start.href) {
      throw new WebSourceError('invalid-state', this.start.href, `the saved state belongs to a crawl of ${state.startUrl}`, 'Resume with the same start URL, or start afresh');
    }
    const scope = state.scope!;
    this.scope = new CrawlScope(new URL(scope.pathPrefix, scope.origin), { ...this.settings, pathPrefix: this.settings.pathPrefix ?? scope.pathPrefix });
    this.queue = [...state.frontier];
    state.seen.forEach((url) => this.seen.add(url));
    this.records = [...state.records];
    for (const record of state.records) {
      for (const url of [record.url, record.finalUrl, record.resourceUrl]) if (url) this.claimed.add(url);
      if (record.contentHash && record.resourceUrl && (record.outcome === 'resource' || record.outcome === 'unchanged')) {
        this.contentOwners.set(record.contentHash, record.resourceUrl);
      }
    }
    this.nextOrder = state.nextOrder;
    this.pagesFetched = state.pagesFetched;
    if (!this.settings.ignoreRobots) await this.loadRobots(new URL(scope.origin));
  }

  /** Fetches concurrently, hands out in order. */
  private async *loop(): AsyncGenerator<CrawlEvent> {
    const windowLimit = this.settings.concurrency * 4;
    for (;;) {
      if (this.signal.aborted) {
        yield* this.emit(this.stop('cancelled'));
        return;
      }
      this.fill(windowLimit);
      const head = this.window[0];
      if (!head) {
        if (this.queueHead < this.queue.length) {
          yield* this.emit(this.stop('max-pages'));
          return;
        }
        if (this.recheckPrevious()) continue;
        this.status = 'complete';
        return;
      }
      if (!head.outcome) {
        await new Promise<void>((resolve) => (this.wake = resolve));
        continue;
      }
      // A fetch cut short by cancellation is not an outcome: the top of the loop requeues it.
      if (head.outcome.kind === 'failed' && head.outcome.failure.code === 'cancelled' && this.signal.aborted) continue;
      this.window.shift();
      yield* this.emit(this.settle(head));
    }
  }

  /** Starts fetches while there is room: `concurrency` in flight, `windowLimit` waiting to be handed out. */
  private fill(windowLimit: number): void {
    let inFlight = this.window.filter((t) => !t.outcome).length;
    while (this.window.length < windowLimit && inFlight < this.settings.concurrency && this.queueHead < this.queue.length) {
      const entry = this.queue[this.queueHead]!;
      if (this.claimed.has(entry.url)) {
        this.queueHead += 1;
        this.window.push({ entry, counted: false, outcome: { kind: 'duplicate', of: entry.url } });
        continue;
      }
      if (this.pagesFetched >= this.settings.maxPages) break;
      this.queueHead += 1;
      this.pagesFetched += 1;
      const task: Task = { entry, counted: true };
      this.window.push(task);
      inFlight += 1;
      void this.fetchEntry(entry).then((outcome) => {
        task.outcome = outcome;
        this.wake?.();
      });
    }
    if (this.queueHead > 1024 && this.queueHead * 2 > this.queue.length) {
      this.queue = this.queue.slice(this.queueHead);
      this.queueHead = 0;
    }
  }

  private async fetchEntry(entry: FrontierEntry): Promise<TaskOutcome> {
    try {
      const url = new URL(entry.url);
      if (!this.settings.ignoreRobots) {
        const refusal = await this.robotsRefusal(url);
        if (refusal) return { kind: 'robots', refusal };
      }
      return await safeFetch(this.ctx!, {
        url,
        accept: ACCEPT,
        validatorsFor: (href) => this.previous?.validatorsByFinalUrl.get(href),
        checkRedirect: (target) => this.redirectRefusal(target),
      });
    } catch (error) {
      return {
        kind: 'failed',
        url: new URL(entry.url),
        redirects: [],
        attempts: 1,
        failure: { code: 'network', message: (error as Error).message, hint: 'Try again later' },
      };
    }
  }

  private async robotsRefusal(url: URL): Promise<Refusal | undefined> {
    const robots = await this.robots!.forOrigin(url.origin);
    const verdict = robots.rules.verdict(url.pathname + url.search);
    if (verdict.allowed) return undefined;
    const rule = verdict.rule ? ` (line ${verdict.rule.line}: "Disallow: ${verdict.rule.pattern}")` : ` (${robots.unreachable ?? 'robots.txt'})`;
    return { reason: `${url.origin}/robots.txt does not allow ${ROBOTS_AGENT_TOKEN} here${rule}`, hint: `Pass ${flagFor('ignoreRobots')} only if you run the site or have permission` };
  }

  /** Every redirect hop is checked like a link: scope (once known), traps and robots.txt. */
  private async redirectRefusal(target: URL): Promise<Refusal | undefined> {
    if (this.scope) {
      const out = this.scope.refusal(target);
      if (out) return out;
    }
    const trap = this.traps.check(target);
    if (trap) return { reason: trap, hint: 'Report the redirect to the site owner' };
    return this.settings.ignoreRobots ? undefined : this.robotsRefusal(target);
  }

  /** Turns one finished task into the events it stands for, records it and enqueues its links. */
  private settle(task: Task): CrawlEvent[] {
    const { entry } = task;
    const outcome = task.outcome!;
    const navigation = navigationOf(entry);
    const record: PageRecord = { ...entry, outcome: 'skipped' };
    this.records.push(record);
    const skip = (reason: SkipReason, message: string): CrawlEvent[] => [{ type: 'skipped', url: entry.url, reason, message, navigation }];

    // Claimed while in flight, by an earlier page's redirect or canonical link.
    if (outcome.kind === 'duplicate' || this.claimed.has(entry.url)) return skip('duplicate', 'the same page was already fetched under another URL (a redirect or canonical link)');
    this.claimed.add(entry.url);
    if (outcome.kind === 'robots') return skip('robots', outcome.refusal.reason);
    if (outcome.kind === 'failed') {
      const { failure } = outcome;
      record.status = failure.status;
      const known = this.previous?.byUrl.get(entry.url);
      if (failure.code === 'gone' && known && (known.outcome === 'resource' || known.outcome === 'unchanged')) {
        record.outcome = 'gone';
        return [{ type: 'gone', url: known.resourceUrl ?? entry.url, status: failure.status!, navigation }];
      }
      record.outcome = 'failed';
      const where = outcome.url.href !== entry.url ? ` (at ${outcome.url.href})` : '';
      return [{ type: 'failed', url: entry.url, code: failure.code, status: failure.status, message: `${failure.message}${where}`, hint: failure.hint, navigation }];
    }

    const finalUrl = outcome.url;
    record.finalUrl = finalUrl.href;
    if (finalUrl.href !== entry.url) {
      if (this.claimed.has(finalUrl.href)) return skip('duplicate', `redirects to ${finalUrl.href}, which was already fetched`);
      this.claimed.add(finalUrl.href);
      this.seen.add(finalUrl.href);
    }
    const events: CrawlEvent[] = [];
    if (outcome.kind === 'not-modified') {
      const known = this.previous?.byUrl.get(entry.url);
      const validators = validatorsOf(outcome.headers, this.previous?.validatorsByFinalUrl.get(finalUrl.href));
      const resourceUrl = known?.resourceUrl ?? finalUrl.href;
      this.claimed.add(resourceUrl);
      this.seen.add(resourceUrl);
      Object.assign(record, { outcome: 'unchanged', resourceUrl, status: 304, ...validators, contentHash: known?.contentHash, format: known?.format });
      if (known?.contentHash) this.contentOwners.set(known.contentHash, resourceUrl);
      for (const child of this.previous?.children.get(resourceUrl) ?? []) {
        const url = new URL(child.url);
        this.enqueue(url, { depth: entry.depth + 1, parent: resourceUrl, via: 'link' }, events);
      }
      return [
        {
          type: 'unchanged',
          url: resourceUrl,
          requestedUrl: entry.url,
          finalUrl: finalUrl.href,
          ...(known?.format ? { format: known.format } : {}),
          ...(known?.contentHash ? { contentHash: known.contentHash } : {}),
          validators,
          navigation,
        },
        ...events,
      ];
    }

    record.status = outcome.status;
    const contentType = header(outcome.headers['content-type']);
    const sniffed = sniffFormat({ contentType, bytes: outcome.body, url: finalUrl });
    if ('unsupported' in sniffed) return skip('unsupported', sniffed.unsupported);
    const { format } = sniffed;
    const leaf = entry.via !== 'start' && this.scope!.verdict(finalUrl).kind === 'pdf-leaf';
    if (leaf && format !== 'pdf') return skip('out-of-scope', `outside ${this.scope!.pathPrefix}, where only PDFs are fetched, and this is ${format}`);

    const links = pageLinks(format, outcome.body, finalUrl, charsetOf(contentType), ROBOTS_AGENT_TOKEN);
    const obeyMeta = !this.settings.ignoreRobots;
    let resourceUrl = finalUrl.href;
    if (links.canonical && links.canonical.href !== finalUrl.href && this.scope!.verdict(links.canonical).kind === 'page') {
      if (this.claimed.has(links.canonical.href)) return skip('duplicate', `its canonical URL ${links.canonical.href} was already fetched`);
      resourceUrl = links.canonical.href;
      this.claimed.add(resourceUrl);
      this.seen.add(resourceUrl);
    }
    const contentHash = createHash('sha256').update(outcome.body).digest('hex');
    const validators = validatorsOf(outcome.headers);
    Object.assign(record, { resourceUrl, contentHash, format, ...validators });
    const depth = entry.depth + 1;
    const follow = (): void => {
      if (leaf || (obeyMeta && links.nofollow)) return;
      for (const link of links.links) this.enqueue(link, { depth, parent: resourceUrl, via: 'link' }, events);
    };
    if (links.redirectTo) {
      this.enqueue(links.redirectTo, { depth, parent: resourceUrl, via: 'link' }, events);
      return [...skip('redirect-page', `the page only redirects (meta refresh) to ${links.redirectTo.href}`), ...events];
    }
    const owner = this.contentOwners.get(contentHash);
    if (owner && owner !== resourceUrl) {
      follow();
      return [...skip('duplicate', `the same bytes as ${owner}`), ...events];
    }
    this.contentOwners.set(contentHash, resourceUrl);
    follow();
    if (obeyMeta && links.noindex) return [...skip('noindex', 'the page asks not to be indexed (robots meta tag)'), ...events];

    record.outcome = 'resource';
    const known = this.previous?.byUrl.get(entry.url);
    if (known?.contentHash === contentHash) {
      record.outcome = 'unchanged';
      return [{ type: 'unchanged', url: resourceUrl, requestedUrl: entry.url, finalUrl: finalUrl.href, format, contentHash, validators, navigation }, ...events];
    }
    const resource: WebResource = {
      url: resourceUrl,
      requestedUrl: entry.url,
      finalUrl: finalUrl.href,
      format,
      fileName: fileNameFor(finalUrl, format),
      bytes: outcome.body,
      ...(contentType ? { contentType } : {}),
      contentHash,
      validators,
      fetchedAt: new Date().toISOString(),
      navigation,
    };
    return [{ type: 'resource', resource, change: known ? 'changed' : 'new' }, ...events];
  }

  /**
   * Adds a discovered URL to the frontier unless it was seen, is out of scope, is too deep or
   * looks like a trap. Skips worth knowing about (depth, traps) become events.
   */
  private enqueue(url: URL, where: { depth: number; parent?: string; via: DiscoveryKind }, events: CrawlEvent[]): void {
    if (this.seen.has(url.href)) return;
    if (this.scope!.verdict(url).kind === 'out') return;
    this.seen.add(url.href);
    const entry: FrontierEntry = { url: url.href, order: this.nextOrder, depth: where.depth, via: where.via, ...(where.parent ? { parent: where.parent } : {}) };
    this.nextOrder += 1;
    const trap = this.traps.check(url);
    if (trap) {
      events.push({ type: 'skipped', url: url.href, reason: 'trap', message: trap, navigation: navigationOf(entry) });
      return;
    }
    if (where.depth > this.settings.maxDepth) {
      events.push({
        type: 'skipped',
        url: url.href,
        reason: 'max-depth',
        message: `${where.depth} links away from the start page, deeper than ${this.settings.maxDepth} (${flagFor('maxDepth')})`,
        navigation: navigationOf(entry),
      });
      return;
    }
    this.queue.push(entry);
  }

  /**
   * Refresh only, once the frontier is empty: pages of the previous crawl that nothing links to
   * any more are requested too, so the ones that were removed are reported as gone.
   */
  private recheckPrevious(): boolean {
    const previous = this.previous;
    if (!previous || previous.rechecked) return false;
    previous.rechecked = true;
    const before = this.queue.length;
    const orphans = [...previous.byUrl.values()]
      .filter((r) => (r.outcome === 'resource' || r.outcome === 'unchanged') && !this.seen.has(r.url))
      .sort((a, b) => a.order - b.order);
    for (const record of orphans) {
      const url = new URL(record.url);
      if (this.scope!.verdict(url).kind === 'out') continue;
      this.seen.add(url.href);
      this.queue.push({ url: url.href, order: this.nextOrder++, depth: record.depth, via: 'previous', ...(record.parent ? { parent: record.parent } : {}) });
    }
    return this.queue.length > before;
  }

  /** Puts everything not handed out back in front of the frontier and says why the crawl stopped. */
  private stop(reason: 'max-pages' | 'cancelled'): CrawlEvent[] {
    const pending = this.window.map((t) => t.entry);
    this.pagesFetched -= this.window.filter((t) => t.counted).length;
    this.window = [];
    this.queue = [...pending, ...this.queue.slice(this.queueHead)];
    this.queueHead = 0;
    this.status = reason;
    const left = this.queue.length;
    if (reason === 'cancelled') {
      return [{ type: 'stopped', reason, message: `cancelled with ${left} URL(s) still to fetch`, hint: 'Resume the crawl from its saved state' }];
    }
    return [
      {
        type: 'stopped',
        reason,
        message: `stopped after ${this.settings.maxPages} pages (${flagFor('maxPages')}) with ${left} URL(s) still to fetch`,
        hint: `Resume from the saved state with a higher ${flagFor('maxPages')}, or narrow the crawl with ${flagFor('include')} / ${flagFor('exclude')}`,
      },
    ];
  }
}

function navigationOf(entry: FrontierEntry): Navigation {
  return { order: entry.order, depth: entry.depth, via: entry.via, ...(entry.parent ? { parent: entry.parent } : {}) };
}

function header(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

function validatorsOf(headers: Record<string, string | string[] | undefined>, fallback?: Validators): Validators {
  const etag = header(headers['etag']) ?? fallback?.etag;
  const lastModified = header(headers['last-modified']) ?? fallback?.lastModified;
  return { ...(etag ? { etag } : {}), ...(lastModified ? { lastModified } : {}) };
}

function indexPrevious(state: CrawlState): PreviousCrawl {
  const byUrl = new Map<string, PageRecord>();
  const validatorsByFinalUrl = new Map<string, Validators>();
  const children = new Map<string, PageRecord[]>();
  for (const record of [...state.records].sort((a, b) => a.order - b.order)) {
    byUrl.set(record.url, record);
    if ((record.outcome === 'resource' || record.outcome === 'unchanged') && (record.etag || record.lastModified)) {
      validatorsByFinalUrl.set(record.finalUrl ?? record.url, {
        ...(record.etag ? { etag: record.etag } : {}),
        ...(record.lastModified ? { lastModified: record.lastModified } : {}),
      });
    }
    if (record.via === 'link' && record.parent) {
      const list = children.get(record.parent) ?? [];
      list.push(record);
      children.set(record.parent, list);
    }
  }
  return { byUrl, validatorsByFinalUrl, children, rechecked: false };
}
