/**
 * The sources table in PostgreSQL (migration 3): the folders and sites added to a library whose
 * store of record is PostgreSQL, with a site's last finished crawl, for `refresh` on any node.
 */
import type { CrawlStateStore } from '../crawl-state.js';
import type { StoredSource } from '../store.js';
import type { Pool } from './pg-pool.js';

interface SourceRow {
  kind: StoredSource['kind']; location: string; settings: unknown; state: unknown; added_at: Date; refreshed_at: Date | null;
}

function toSource(row: SourceRow): StoredSource {
  return {
    kind: row.kind, location: row.location, settings: row.settings, addedAt: row.added_at.toISOString(),
    ...(row.state === null ? {} : { state: row.state }),
    ...(row.refreshed_at === null ? {} : { refreshedAt: row.refreshed_at.toISOString() }),
  };
}

export class PgSources implements CrawlStateStore {
  constructor(private readonly pool: Pool) {}

  async all(): Promise<StoredSource[]> {
    return (await this.pool.query<SourceRow>('SELECT * FROM sources ORDER BY kind, location')).rows.map(toSource);
  }

  async get(kind: StoredSource['kind'], location: string): Promise<StoredSource | undefined> {
    const { rows } = await this.pool.query<SourceRow>('SELECT * FROM sources WHERE kind = $1 AND location = $2', [kind, location]);
    return rows[0] && toSource(rows[0]);
  }

  async save(source: Pick<StoredSource, 'kind' | 'location' | 'settings' | 'state'>, refreshed = false): Promise<void> {
    await this.pool.query(
      `INSERT INTO sources (kind, location, settings, state, refreshed_at) VALUES ($1, $2, $3, $4, CASE WHEN $5 THEN clock_timestamp() END)
       ON CONFLICT (kind, location) DO UPDATE SET settings = excluded.settings, state = excluded.state,
         refreshed_at = coalesce(excluded.refreshed_at, sources.refreshed_at)`,
      [source.kind, source.location, JSON.stringify(source.settings), source.state === undefined ? null : JSON.stringify(source.state), refreshed],
    );
  }
}
