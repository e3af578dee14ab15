import type { SourceStore, StoredSource } from './store.js';

/**
 * The sources table as an asynchronous port: the folders and sites added whole, with what they were
 * added with and a site's last finished crawl, which `refresh` reads. An embedded library keeps it
 * in its SQLite index (`embeddedCrawlState`); a library in PostgreSQL keeps it there
 * (postgres/pg-sources.ts), so that any node can refresh what another one crawled.
 */
export interface CrawlStateStore {
  all(): Promise<StoredSource[]>;
  get(kind: StoredSource['kind'], location: string): Promise<StoredSource | undefined>;
  /** Inserts or replaces the settings and state; `refreshed` stamps the time of a finished refresh. */
  save(source: Pick<StoredSource, 'kind' | 'location' | 'settings' | 'state'>, refreshed?: boolean): Promise<void>;
}

/** The embedded library's sources table (in its index) behind the port. */
export function embeddedCrawlState(sources: SourceStore): CrawlStateStore {
  return {
    all: async () => sources.all(),
    get: async (kind, location) => sources.get(kind, location),
    save: async (source, refreshed) => sources.save(source, refreshed),
  };
}
