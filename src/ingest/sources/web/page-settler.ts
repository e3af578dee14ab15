import { createHash } from 'node:crypto';
import { sniffFormat } from './content-sniff.js';
import type { CrawlEvent, SkipReason } from './crawl-events.js';
import { navigationOf, type Frontier } from './crawl-frontier.js';
import type { FrontierEntry, PageRecord } from './crawl-state.js';
import { fileNameFor } from './file-name.js';
import { charsetOf, pageLinks } from './page-links.js';
import { wasHandedOut, type PreviousCrawl } from './previous-crawl.js';
import type { Refusal } from './refusal.js';
import { headerValue, validatorsFrom } from './response-headers.js';
import type { FetchOutcome } from './safe-fetch.js';
import { ROBOTS_AGENT_TOKEN } from './user-agent.js';

/** What fetching one frontier entry came to. */
export type TaskOutcome = FetchOutcome | { kind: 'robots'; refusal: Refusal } | { kind: 'duplicate' };

/**
 * Turns each fetched URL, in navigation order, into the event it stands for, records it for the
 * state, and feeds its links to the frontier. This is where a page is recognised as one already
 * handed out under another URL: a redirect target, a canonical link, or the very same bytes.
 */
export class PageSettler {
  readonly records: PageRecord[] = [];
  /** URLs accounted for: requested, or used as the identity of a handed-out page. */
  private readonly claimed = new Set<string>();
  /** Content hash → the URL of the page handed out with it. */
  private readonly contentOwners = new Map<string, string>();

  constructor(
    private readonly frontier: Frontier,
    private readonly previous: PreviousCrawl | undefined,
    /** Whether robots meta tags (noindex, nofollow) are obeyed. */
    private readonly obeyRobotsMeta: boolean,
  ) {}

  isClaimed(url: string): boolean {
    return this.claimed.has(url);
  }

  restore(records: readonly PageRecord[]): void {
    for (const record of records) {
      this.records.push(record);
      for (const url of [record.url, record.finalUrl, record.resourceUrl]) if (url) this.claimed.add(url);
      if (record.contentHash && record.resourceUrl && wasHandedOut(record)) this.contentOwners.set(record.contentHash, record.resourceUrl);
    }
  }

  settle(entry: FrontierEntry, outcome: TaskOutcome): CrawlEvent[] {
    const navigation = navigationOf(entry);
    const record: PageRecord = { ...entry, outcome: 'skipped' };
    this.records.push(record);
    // Claimed while in flight, by an earlier page's redirect or canonical link.
    if (outcome.kind === 'duplicate' || this.claimed.has(entry.url)) {
      return [skipped(entry, 'duplicate', 'the same page was already fetched under another URL (a redirect or canonical link)')];
    }
    this.claimed.add(entry.url);
    if (outcome.kind === 'robots') return [skipped(entry, 'robots', outcome.refusal.reason)];
    if (outcome.kind === 'failed') return [this.failed(entry, outcome, record)];

    const finalUrl = outcome.url.href;
    record.finalUrl = finalUrl;
    if (finalUrl !== entry.url) {
      if (this.claimed.has(finalUrl)) return [skipped(entry, 'duplicate', `redirects to ${finalUrl}, which was already fetched`)];
      this.claim(finalUrl);
    }
    if (outcome.kind === 'not-modified') return this.notModified(entry, outcome, record);
    return this.fetched(entry, outcome, record);
  }

  private failed(entry: FrontierEntry, outcome: Extract<FetchOutcome, { kind: 'failed' }>, record: PageRecord): CrawlEvent {
    const { failure } = outcome;
    record.status = failure.status;
    const known = this.previous?.byUrl.get(entry.url);
    if (failure.code === 'gone' && known && wasHandedOut(known)) {
      record.outcome = 'gone';
      return { type: 'gone', url: known.resourceUrl ?? entry.url, status: failure.status!, navigation: navigationOf(entry) };
    }
    record.outcome = 'failed';
    const where = outcome.url.href !== entry.url ? ` (at ${outcome.url.href})` : '';
    return {
      type: 'failed',
      url: entry.url,
      code: failure.code,
      ...(failure.status ? { status: failure.status } : {}),
      message: `${failure.message}${where}`,
      hint: failure.hint,
      navigation: navigationOf(entry),
    };
  }

  /** A 304: the page is as before, and leads where it led before. */
  private notModified(entry: FrontierEntry, outcome: Extract<FetchOutcome, { kind: 'not-modified' }>, record: PageRecord): CrawlEvent[] {
    const known = this.previous?.byUrl.get(entry.url);
    const finalUrl = outcome.url.href;
    const validators = validatorsFrom(outcome.headers, this.previous?.validatorsByFinalUrl.get(finalUrl));
    const resourceUrl = known?.resourceUrl ?? finalUrl;
    this.claim(resourceUrl);
    Object.assign(record, { outcome: 'unchanged', resourceUrl, status: 304, ...validators });
    if (known?.contentHash) {
      record.contentHash = known.contentHash;
      this.contentOwners.set(known.contentHash, resourceUrl);
    }
    if (known?.format) record.format = known.format;
    const events: CrawlEvent[] = [];
    for (const child of this.previous?.children.get(resourceUrl) ?? []) {
      this.frontier.discover(new URL(child.url), { depth: entry.depth + 1, parent: resourceUrl, via: 'link' }, events);
    }
    return [
      {
        type: 'unchanged',
        url: resourceUrl,
        requestedUrl: entry.url,
        finalUrl,
        ...(known?.format ? { format: known.format } : {}),
        ...(known?.contentHash ? { contentHash: known.contentHash } : {}),
        validators,
        navigation: navigationOf(entry),
      },
      ...events,
    ];
  }

  private fetched(entry: FrontierEntry, outcome: Extract<FetchOutcome, { kind: 'ok' }>, record: PageRecord): CrawlEvent[] {
    const scope = this.frontier.scope!;
    const finalUrl = outcome.url;
    record.status = outcome.status;
    const contentType = headerValue(outcome.headers['content-type']);
    const sniffed = sniffFormat({ contentType, bytes: outcome.body, url: finalUrl });
    if ('unsupported' in sniffed) return [skipped(entry, 'unsupported', sniffed.unsupported)];
    const { format } = sniffed;
    const leaf = entry.via !== 'start' && scope.verdict(finalUrl).kind === 'pdf-leaf';
    if (leaf && format !== 'pdf') return [skipped(entry, 'out-of-scope', `outside ${scope.pathPrefix}, where only PDFs are fetched, and this is ${format}`)];

    const links = pageLinks(format, outcome.body, finalUrl, charsetOf(contentType), ROBOTS_AGENT_TOKEN);
    let resourceUrl = finalUrl.href;
    const canonical = links.canonical;
    if (canonical && canonical.href !== finalUrl.href && scope.verdict(canonical).kind === 'page') {
      if (this.claimed.has(canonical.href)) return [skipped(entry, 'duplicate', `its canonical URL ${canonical.href} was already fetched`)];
      resourceUrl = canonical.href;
      this.claim(resourceUrl);
    }
    const contentHash = createHash('sha256').update(outcome.body).digest('hex');
    const validators = validatorsFrom(outcome.headers);
    Object.assign(record, { resourceUrl, contentHash, format, ...validators });

    const events: CrawlEvent[] = [];
    const where = { depth: entry.depth + 1, parent: resourceUrl, via: 'link' as const };
    if (links.redirectTo) {
      this.frontier.discover(links.redirectTo, where, events);
      return [skipped(entry, 'redirect-page', `the page only redirects (meta refresh) to ${links.redirectTo.href}`), ...events];
    }
    if (!leaf && !(this.obeyRobotsMeta && links.nofollow)) {
      for (const link of links.links) this.frontier.discover(link, where, events);
    }
    const owner = this.contentOwners.get(contentHash);
    if (owner && owner !== resourceUrl) return [skipped(entry, 'duplicate', `the same bytes as ${owner}`), ...events];
    this.contentOwners.set(contentHash, resourceUrl);
    if (this.obeyRobotsMeta && links.noindex) return [skipped(entry, 'noindex', 'the page asks not to be indexed (robots meta tag)'), ...events];

    const known = this.previous?.byUrl.get(entry.url);
    const navigation = navigationOf(entry);
    if (known?.contentHash === contentHash) {
      record.outcome = 'unchanged';
      return [{ type: 'unchanged', url: resourceUrl, requestedUrl: entry.url, finalUrl: finalUrl.href, format, contentHash, validators, navigation }, ...events];
    }
    record.outcome = 'resource';
    const resource = {
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

  private claim(url: string): void {
    this.claimed.add(url);
    this.frontier.markSeen(url);
  }
}

function skipped(entry: FrontierEntry, reason: SkipReason, message: string): CrawlEvent {
  return { type: 'skipped', url: entry.url, reason, message, navigation: navigationOf(entry) };
}
