import type { Change } from '../store.js';
import type { Statement } from 'better-sqlite3';
import type { Connection } from './connection.js';

/**
 * The change log in SQLite: one row per document added or removed (and a 'reset' when the vectors
 * are dropped), written in the same transaction as the change itself, so a follower that applies
 * the log in order sees exactly the committed library. Old entries are pruned; a follower that fell
 * behind the oldest kept entry rebuilds from the store instead.
 */
const KEEP = 100_000;
const PRUNE_EVERY = 1_000;

export class ChangeLog {
  /**
   * Compiled on first use (a database older than the log, opened read-only, has no table to
   * compile against) and kept: every write records a change, every catalog look asks for the
   * position and every search that catches its indexes up for the horizon.
   */
  private insert: Statement | undefined;
  private last: Statement | undefined;
  private oldest: Statement | undefined;

  constructor(private readonly db: Connection) {}

  record(op: Change['op'], docRowid: number): void {
    this.insert ??= this.db.prepare('INSERT INTO changes (op, doc_rowid) VALUES (?, ?)');
    const seq = Number(this.insert.run(op, docRowid).lastInsertRowid);
    if (seq % PRUNE_EVERY === 0) this.db.prepare('DELETE FROM changes WHERE seq <= ?').run(seq - KEEP);
  }

  /** The position of the last committed change (0 for a library that never changed). */
  position(): number {
    this.last ??= this.db.prepare("SELECT seq FROM sqlite_sequence WHERE name = 'changes'");
    const row = this.last.get() as { seq: number } | undefined;
    return row?.seq ?? 0;
  }

  /** The oldest position a follower can catch up from (earlier entries were pruned). */
  horizon(): number {
    this.oldest ??= this.db.prepare('SELECT min(seq) AS seq FROM changes');
    const row = this.oldest.get() as { seq: number | null };
    return row.seq === null ? this.position() : row.seq - 1;
  }

  since(position: number, limit: number): Change[] {
    return (this.db.prepare('SELECT seq, op, doc_rowid FROM changes WHERE seq > ? ORDER BY seq LIMIT ?').raw().all(position, limit) as [number, Change['op'], number][])
      .map(([seq, op, docRowid]) => ({ seq, op, docRowid }));
  }
}
