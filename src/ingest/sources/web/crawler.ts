import type { AddressPolicy } from './address-policy.js';
import { sniffFormat } from './content-sniff.js';
import type { CrawlEvent } from './crawl-events.js';
import { Frontier } from './crawl-frontier.js';
import { CrawlRobots } from './crawl-robots.js';
import { parseCrawlState, type CrawlState, type CrawlStatus, type FrontierEntry } from './crawl-state.js';
import { addressPolicyFor, openFetchContext, type WebRuntime } from './fetch-context.js';
import { CrawlOptionsSchema, parseOptions, type CrawlOptionsInput, type CrawlOptions } from './options.js';
import { PageSettler, type TaskOutcome } from './page-settler.js';
import { pathParents } from './path-parents.js';
import { indexPrevious, unvisitedPages, type PreviousCrawl } from './previous-crawl.js';
import { flagFor, type Refusal } from './refusal.js';
import { headerValue } from './response-headers.js';
import { RobotsCache } from './robots-cache.js';
import { safeFetch, type FetchContext } from './safe-fetch.js';
import { CrawlScope } from './scope.js';
import { discoverSeeds, type SeedReport } from './seeds.js';
import { normalizeUrl, urlShapeRefusal } from './url-normalize.js';
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
 * To resume a refresh, pass both its saved state as `resume` and the same `previous`.
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
  /** Events handed out, by type. */
  counts: Record<CrawlEvent['type'], number>;
  /** Page requests made, this run and any run it resumes (robots.txt, sitemaps, llms.txt not counted). */
  pagesFetched: number;
  seeds?: Pick<SeedReport, 'read' | 'problems'>;
  robots: { crawlDelaySeconds?: number; ignored: boolean };
  elapsedMs: number;
}

/** One URL being fetched, kept in navigation order until it is handed out. */
interface Task {
  entry: FrontierEntry;
  outcome?: TaskOutcome;
  /** Whether it used up one of `maxPages`. */
  counted: boolean;
}

const ACCEPT = 'text/html,application/xhtml+xml,text/markdown;q=0.9,application/pdf;q=0.9,text/plain;q=0.8,*/*;q=0.5';

/**
 * Bodies fetched ahead of the page being waited for are held in memory; past this, no new fetch
 * starts until the slow page arrives (a handful of big PDFs would otherwise pile up).
 */
const MAX_BUFFERED_BYTES = 128 * 1024 * 1024;

export class WebCrawl implements AsyncIterable<CrawlEvent> {
  private readonly settings: CrawlOptions;
  private readonly policy: AddressPolicy;
  private readonly start: URL;
  private readonly runtime: CrawlRuntime;
  private readonly previous?: PreviousCrawl;
  /** Aborts in-flight requests when the consumer stops early (break, return, throw). */
  private readonly internal = new AbortController();
  private readonly signal: AbortSignal;
  private readonly frontier: Frontier;
  private readonly settler: PageSettler;
  private ctx?: FetchContext;
  private robots?: CrawlRobots;
  /** Fetches in navigation order, at most `concurrency` in flight, handed out from the front. */
  private window: Task[] = [];
  private pagesFetched = 0;
  private status: CrawlStatus = 'running';
  private readonly counts: Record<CrawlEvent['type'], number> = { resource: 0, unchanged: 0, gone: 0, failed: 0, skipped: 0, stopped: 0 };
  private seedReport?: SeedReport;
  private previousRechecked = false;
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
    if (runtime.previous) this.previous = indexPrevious(parseCrawlState(runtime.previous, startUrl));
    this.frontier = new Frontier(this.settings);
    this.settler = new PageSettler(this.frontier, this.previous, !this.settings.ignoreRobots);
  }

  [Symbol.asyncIterator](): AsyncIterator<CrawlEvent> {
    if (this.started) throw new Error('a crawl can be iterated only once; resume a new one from its state()');
    this.started = true;
    return this.run();
  }

  /** A snapshot to save: resumable with `crawlSite(url, options, { resume })`, or `previous` for a refresh. */
  state(): CrawlState {
    const { frontier, seen, nextOrder } = this.frontier.snapshot();
    const scope = this.frontier.scope;
    const pending = [...this.window.map((t) => t.entry), ...frontier];
    return {
      kind: 'mcdewey-crawl-state',
      version: 1,
      startUrl: this.start.href,
      ...(scope ? { scope: { origin: scope.origin, pathPrefix: scope.pathPrefix } } : {}),
      status: this.status,
      nextOrder,
      pagesFetched: this.pagesFetched - this.window.filter((t) => t.counted).length,
      frontier: pending,
      seen,
      records: [...this.settler.records],
    };
  }

  summary(): CrawlSummary {
    const scope = this.frontier.scope;
    return {
      startUrl: this.start.href,
      ...(scope ? { scope: { origin: scope.origin, pathPrefix: scope.pathPrefix } } : {}),
      status: this.status,
      counts: { ...this.counts },
      pagesFetched: this.pagesFetched,
      ...(this.seedReport ? { seeds: { read: this.seedReport.read, problems: this.seedReport.problems } } : {}),
      robots: { crawlDelaySeconds: this.robots?.site?.rules.crawlDelaySeconds, ignored: this.settings.ignoreRobots },
      elapsedMs: this.startedAt ? Math.round(performance.now() - this.startedAt) : 0,
    };
  }

  private async *run(): AsyncGenerator<CrawlEvent> {
    this.startedAt = performance.now();
    const ctx = openFetchContext(this.settings, this.policy, { ...this.runtime, signal: this.signal });
    this.ctx = ctx;
    this.robots = new CrawlRobots(new RobotsCache(ctx), ctx.limiter, this.settings, this.start.href);
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
    const entry = this.frontier.push(this.start.href, { depth: 0, via: 'start' });
    this.frontier.shift();
    if (!this.settings.ignoreRobots) await this.robots!.assertAllowed(this.start);
    this.pagesFetched += 1;
    const outcome = await this.fetchEntry(entry);
    if (this.signal.aborted) {
      this.pagesFetched -= 1;
      this.frontier.requeue([entry]);
      return this.stop('cancelled');
    }
    if (outcome.kind === 'failed') {
      const { failure } = outcome;
      throw new WebSourceError(failure.code === 'blocked-address' ? 'blocked-address' : 'fetch-failed', this.start.href, failure.message, failure.hint, failure.status);
    }
    if (outcome.kind !== 'ok' && outcome.kind !== 'not-modified') throw new Error(`unexpected outcome for the start page: ${outcome.kind}`);
    if (outcome.kind === 'ok') {
      const sniffed = sniffFormat({ contentType: headerValue(outcome.headers['content-type']), bytes: outcome.body, url: outcome.url });
      if ('unsupported' in sniffed) {
        throw new WebSourceError('unsupported-content', this.start.href, sniffed.unsupported, 'Give the URL of an HTML, Markdown, text or PDF page');
      }
    }
    this.frontier.scope = new CrawlScope(outcome.url, this.settings);
    // Redirect hops were checked against robots.txt; the final site's Crawl-delay applies from here.
    if (outcome.url.origin !== this.start.origin && !this.settings.ignoreRobots) await this.robots!.enter(outcome.url);
    const notices = await this.seed(outcome.url);
    return [...this.settler.settle(entry, outcome), ...notices];
  }

  /** llms.txt and sitemap entries go right after the start page, in the files' order. */
  private async seed(startFinal: URL): Promise<CrawlEvent[]> {
    const allowed = async (url: URL): Promise<boolean> => this.settings.ignoreRobots || !(await this.robots!.refusal(url));
    this.seedReport = await discoverSeeds(this.ctx!, this.frontier.scope!, this.robots?.site?.sitemaps ?? [], { ...this.settings, allowed });
    const seeds = this.seedReport.seeds.filter((s) => !this.frontier.hasSeen(s.url.href) && s.url.href !== startFinal.href);
    const parents = pathParents(
      seeds.map((s) => s.url),
      startFinal,
    );
    const notices: CrawlEvent[] = [];
    for (const seed of seeds) {
      const parent = parents.get(seed.url.href);
      this.frontier.discover(seed.url, { depth: 1, via: seed.via, ...(parent ? { parent } : {}) }, notices);
    }
    return notices;
  }

  private async restore(state: CrawlState): Promise<void> {
    if (state.startUrl !== this.start.href) {
      throw new WebSourceError('invalid-state', this.start.href, `the saved state belongs to a crawl of ${state.startUrl}`, 'Resume with the same start URL, or start afresh');
    }
    const scope = state.scope!;
    this.frontier.scope = new CrawlScope(new URL(scope.pathPrefix, scope.origin), { ...this.settings, pathPrefix: this.settings.pathPrefix ?? scope.pathPrefix });
    this.frontier.restore(state);
    this.settler.restore(state.records);
    this.pagesFetched = state.pagesFetched;
    if (!this.settings.ignoreRobots) await this.robots!.enter(new URL(scope.origin));
  }

  /** Fetches concurrently, hands out in order. */
  private async *loop(): AsyncGenerator<CrawlEvent> {
    for (;;) {
      if (this.signal.aborted) {
        yield* this.emit(this.stop('cancelled'));
        return;
      }
      this.fill();
      const head = this.window[0];
      if (!head) {
        if (this.frontier.length > 0) {
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
      yield* this.emit(this.settler.settle(head.entry, head.outcome));
    }
  }

  /**
   * Starts fetches while there is room: `concurrency` in flight, and no more than four times that
   * (or MAX_BUFFERED_BYTES) fetched ahead of the page being waited for.
   */
  private fill(): void {
    const { concurrency, maxPages } = this.settings;
    let inFlight = this.window.filter((t) => !t.outcome).length;
    const buffered = this.window.reduce((sum, t) => sum + (t.outcome?.kind === 'ok' ? t.outcome.body.length : 0), 0);
    while (this.window.length < concurrency * 4 && inFlight < concurrency && buffered < MAX_BUFFERED_BYTES) {
      const entry = this.frontier.peek();
      if (!entry) return;
      if (this.settler.isClaimed(entry.url)) {
        this.frontier.shift();
        this.window.push({ entry, counted: false, outcome: { kind: 'duplicate' } });
        continue;
      }
      if (this.pagesFetched >= maxPages) return;
      this.frontier.shift();
      this.pagesFetched += 1;
      const task: Task = { entry, counted: true };
      this.window.push(task);
      inFlight += 1;
      void this.fetchEntry(entry).then((outcome) => {
        task.outcome = outcome;
        this.wake?.();
      });
    }
  }

  private async fetchEntry(entry: FrontierEntry): Promise<TaskOutcome> {
    const url = new URL(entry.url);
    try {
      if (!this.settings.ignoreRobots) {
        const refusal = await this.robots!.refusal(url);
        if (refusal) return { kind: 'robots', refusal };
      }
      return await safeFetch(this.ctx!, {
        url,
        accept: ACCEPT,
        validatorsFor: (href) => this.previous?.validatorsByFinalUrl.get(href),
        checkRedirect: (target) => this.redirectRefusal(target),
      });
    } catch (error) {
      // safeFetch reports failures as values; this is a bug's last line of defence, not a path.
      return { kind: 'failed', url, failure: { code: 'network', message: (error as Error).message, hint: 'Try again later' } };
    }
  }

  /** Every redirect hop is checked like a link: scope (once known), traps and robots.txt. */
  private async redirectRefusal(target: URL): Promise<Refusal | undefined> {
    const out = this.frontier.scope?.refusal(target);
    if (out) return out;
    const trap = this.frontier.trapReason(target);
    if (trap) return { reason: trap, hint: 'Report the redirect to the site owner' };
    return this.settings.ignoreRobots ? undefined : this.robots!.refusal(target);
  }

  /**
   * Refresh only, once the frontier is empty: pages of the previous crawl that nothing links to
   * any more are requested too, so the ones that were removed are reported as gone.
   */
  private recheckPrevious(): boolean {
    if (!this.previous || this.previousRechecked) return false;
    this.previousRechecked = true;
    let added = 0;
    for (const record of unvisitedPages(this.previous, (url) => this.frontier.hasSeen(url))) {
      if (this.frontier.scope!.verdict(new URL(record.url)).kind === 'out') continue;
      this.frontier.push(record.url, { depth: record.depth, via: 'previous', ...(record.parent ? { parent: record.parent } : {}) });
      added += 1;
    }
    return added > 0;
  }

  /** Puts everything not handed out back in front of the frontier and says why the crawl stopped. */
  private stop(reason: 'max-pages' | 'cancelled'): CrawlEvent[] {
    this.pagesFetched -= this.window.filter((t) => t.counted).length;
    this.frontier.requeue(this.window.map((t) => t.entry));
    this.window = [];
    this.status = reason;
    const left = this.frontier.length;
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
