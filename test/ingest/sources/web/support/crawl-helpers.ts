import type { CrawlEvent, WebResource } from '../../../../../src/ingest/sources/web/crawl-events.js';
import type { CrawlOptionsInput, FetchOptionsInput } from '../../../../../src/ingest/sources/web/options.js';
import { corpusPath } from '../../../../support/corpus.js';

export const FRR = corpusPath('markdown', 'frrouting-user-manual-html', '8.4.4');
export const NETBOX = corpusPath('markdown', 'netbox-docs', 'docs');

/** The test servers listen on 127.0.0.1: only that address is let through, nothing else private. */
export const LOCAL_FETCH: FetchOptionsInput = { allowPrivateHosts: ['127.0.0.1'], retryBaseDelayMs: 20 };
export const LOCAL: CrawlOptionsInput = { ...LOCAL_FETCH, maxRequestsPerSecond: 0 };

export async function collect(events: AsyncIterable<CrawlEvent>): Promise<CrawlEvent[]> {
  const all: CrawlEvent[] = [];
  for await (const event of events) all.push(event);
  return all;
}

export function resources(events: readonly CrawlEvent[]): WebResource[] {
  return events.flatMap((e) => (e.type === 'resource' ? [e.resource] : []));
}

export function ofType<T extends CrawlEvent['type']>(events: readonly CrawlEvent[], type: T): Array<Extract<CrawlEvent, { type: T }>> {
  return events.filter((e): e is Extract<CrawlEvent, { type: T }> => e.type === type);
}

/** Paths of URLs on `origin`, for readable assertions. */
export function pathsOf(urls: readonly string[], origin: string): string[] {
  return urls.map((u) => (u.startsWith(origin) ? u.slice(origin.length) : u));
}
