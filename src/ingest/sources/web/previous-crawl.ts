import type { CrawlState, PageRecord } from './crawl-state.js';
import type { Validators } from './safe-fetch.js';

/** An earlier crawl of the same site, indexed for a refresh. */
export interface PreviousCrawl {
  byUrl: Map<string, PageRecord>;
  /** Validators by the URL that answered (after redirects), as conditional requests need them. */
  validatorsByFinalUrl: Map<string, Validators>;
  /** Pages first linked from each page, in order: where a page answering 304 would have led. */
  children: Map<string, PageRecord[]>;
}

export function indexPrevious(state: CrawlState): PreviousCrawl {
  const byUrl = new Map<string, PageRecord>();
  const validatorsByFinalUrl = new Map<string, Validators>();
  const children = new Map<string, PageRecord[]>();
  for (const record of [...state.records].sort((a, b) => a.order - b.order)) {
    byUrl.set(record.url, record);
    if (wasHandedOut(record) && (record.etag || record.lastModified)) {
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
  return { byUrl, validatorsByFinalUrl, children };
}

/** A page the consumer has: handed out then, or confirmed unchanged. */
export function wasHandedOut(record: PageRecord): boolean {
  return record.outcome === 'resource' || record.outcome === 'unchanged';
}

/** Pages handed out last time that this crawl has not come across, in their old order. */
export function unvisitedPages(previous: PreviousCrawl, seen: (url: string) => boolean): PageRecord[] {
  return [...previous.byUrl.values()].filter((r) => wasHandedOut(r) && !seen(r.url)).sort((a, b) => a.order - b.order);
}
