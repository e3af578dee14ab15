/** The sources table: folders and sites added whole, with their settings and a site's last crawl state. */
import type { SourceStore, StoredSource } from '../store.js';
import type { Connection } from './connection.js';

interface SourceRow {
  kind: StoredSource['kind']; location: string; settings: string; state: string | null; added_at: string; refreshed_at: string | null;
}

function toSource(row: SourceRow): StoredSource {
  const source: StoredSource = { kind: row.kind, location: row.location, settings: JSON.parse(row.settings), addedAt: row.added_at };
  if (row.state !== null) source.state = JSON.parse(row.state);
  if (row.refreshed_at !== null) source.refreshedAt = row.refreshed_at;
  return source;
}

export class SqliteSources implements SourceStore {
  constructor(private readonly db: Connection) {}

  all(): StoredSource[] {
    return (this.db.prepare('SELECT * FROM sources ORDER BY kind, location').all() as SourceRow[]).map(toSource);
  }

  get(kind: StoredSource['kind'], location: string): StoredSource | undefined {
    const row = this.db.prepare('SELECT * FROM sources WHERE kind = ? AND location = ?').get(kind, location) as SourceRow | undefined;
    return row && toSource(row);
  }

  save(source: Pick<StoredSource, 'kind' | 'location' | 'settings' | 'state'>, refreshed = false): void {
    const at = new Date().toISOString();
    this.db.prepare(
      `INSERT INTO sources (kind, location, settings, state, added_at, refreshed_at) VALUES (?, ?, ?, ?, ?, ?)
       ON CONFLICT (kind, location) DO UPDATE SET settings = excluded.settings, state = excluded.state,
         refreshed_at = coalesce(excluded.refreshed_at, refreshed_at)`,
    ).run(
      source.kind, source.location, JSON.stringify(source.settings), source.state === undefined ? null : JSON.stringify(source.state),
      at, refreshed ? at : null,
    );
  }

  remove(kind: StoredSource['kind'], location: string): void {
    this.db.prepare('DELETE FROM sources WHERE kind = ? AND location = ?').run(kind, location);
  }
}
