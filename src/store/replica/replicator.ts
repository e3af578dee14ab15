/**
 * Keeps a node's local replica (a `SqliteStore`, never the source of truth) equal to the store of
 * record by applying its change log in order: added documents are read whole and written under
 * the store of record's rowids, removed ones deleted. The replica's own change log then moves, so
 * everything that follows an embedded library (the catalog, the search indexes) follows the
 * replica unchanged. The position applied is written in the same transaction as the rows, so a
 * node killed mid-way resumes exactly where its replica stands.
 */
import type { EmbedderIdentity } from '../../library/model.js';
import type { RecordedDocument, RecordStore } from '../record-store.js';
import type { SqliteStore } from '../sqlite/sqlite-store.js';
import { VECTORS_DROPPED, type Change, type StoredDocument } from '../store.js';

/** Meta key of the replica's position in the store of record's change log. */
export const REPLICA_POSITION_KEY = 'replica_position';
/** Changes read per round trip. */
const BATCH = 500;
/** Documents fetched per round trip when rebuilding. */
const REBUILD_BATCH = 50;

export interface AppliedChanges {
  added: StoredDocument[];
  removed: StoredDocument[];
}

export class Replicator {
  private running: Promise<number> | undefined;
  private again = false;

  constructor(
    private readonly source: RecordStore,
    readonly replica: SqliteStore,
    /** Told what each step applied (a node fetches the originals of added documents). */
    private readonly onApplied: (applied: AppliedChanges) => void = () => {},
  ) {}

  /** The store-of-record position the replica reflects (0 for a new replica). */
  position(): number {
    return Number(this.replica.readMeta(REPLICA_POSITION_KEY) ?? 0);
  }

  /**
   * Applies every change committed so far; concurrent calls share one run (and a call during a run
   * starts another after it, so nothing committed before the call is missed). Resolves with the
   * position reached.
   */
  catchUp(): Promise<number> {
    if (this.running) {
      this.again = true;
      return this.running.then(() => this.catchUp());
    }
    this.running = (async () => {
      try {
        let position: number;
        do {
          this.again = false;
          position = await this.applyAll();
        } while (this.again);
        return position;
      } finally {
        this.running = undefined;
      }
    })();
    return this.running;
  }

  /** Catches up until the replica reflects `position` (a write this node just committed, say). */
  async reach(position: number): Promise<void> {
    while (this.position() < position) await this.catchUp();
  }

  private async applyAll(): Promise<number> {
    let position = this.position();
    // A new replica is built from the documents there are, not by replaying every change ever made.
    const isNew = this.replica.readMeta(REPLICA_POSITION_KEY) === undefined;
    if (isNew || position < (await this.source.changeHorizon())) position = await this.rebuild();
    for (;;) {
      const changes = await this.source.changesSince(position, BATCH);
      if (changes.length === 0) return position;
      await this.apply(changes);
      position = changes.at(-1)!.seq;
      if (changes.length < BATCH) return position;
    }
  }

  private async apply(changes: Change[]): Promise<void> {
    const identity = changes.some((c) => c.op === 'reset') ? await this.source.embedderIdentity() : undefined;
    const wanted = [...new Set(changes.filter((c) => c.op === 'add' && !this.replica.documentByRowid(c.docRowid)).map((c) => c.docRowid))];
    const fetched = new Map((await this.source.readDocuments(wanted)).map((d) => [d.document.rowid, d]));
    const applied: AppliedChanges = { added: [], removed: [] };
    this.replica.withWriteLock(() => {
      for (const change of changes) {
        if (change.op === 'reset') this.mirrorIdentity(identity, change.docRowid === VECTORS_DROPPED);
        else if (change.op === 'remove') this.removeRow(change.docRowid, applied);
        else {
          const doc = fetched.get(change.docRowid);
          // Absent: removed again since (its removal follows in the log), or already here.
          if (doc && !this.replica.documentByRowid(change.docRowid)) this.write(doc, applied);
        }
      }
      this.replica.writeMeta(REPLICA_POSITION_KEY, String(changes.at(-1)!.seq));
    });
    this.onApplied(applied);
  }

  /**
   * Makes the replica equal to the store of record without its log: used for a new replica (without
   * a snapshot), and for one that fell behind the log's horizon. Changes committed meanwhile are
   * applied afterwards from the position read first; applying one twice changes nothing.
   */
  private async rebuild(): Promise<number> {
    const position = await this.source.changePosition();
    const identity = await this.source.embedderIdentity();
    const applied: AppliedChanges = { added: [], removed: [] };
    this.replica.withWriteLock(() => this.mirrorIdentity(identity));
    const docs = await this.source.documents();
    const kept = new Set(docs.map((d) => d.rowid));
    this.replica.withWriteLock(() => {
      for (const doc of this.replica.documents()) if (!kept.has(doc.rowid)) this.removeRow(doc.rowid, applied);
    });
    const missing = docs.filter((d) => !this.replica.documentByRowid(d.rowid)).map((d) => d.rowid);
    for (let start = 0; start < missing.length; start += REBUILD_BATCH) {
      const batch = await this.source.readDocuments(missing.slice(start, start + REBUILD_BATCH));
      this.replica.withWriteLock(() => {
        for (const doc of batch) if (!this.replica.documentByRowid(doc.document.rowid)) this.write(doc, applied);
      });
    }
    this.replica.withWriteLock(() => this.replica.writeMeta(REPLICA_POSITION_KEY, String(position)));
    this.onApplied(applied);
    return position;
  }

  /**
   * The identity is the store of record's as it is now, not as it was at the reset: after a switch
   * to another embedder and back it equals the replica's own, although the vectors were dropped in
   * between. So a reset that dropped them (`dropped`) drops the replica's too, whatever the identity.
   */
  private mirrorIdentity(identity: EmbedderIdentity | null | undefined, dropped = false): void {
    if (identity === undefined) return;
    const current = this.replica.embedderIdentity();
    if (dropped) this.replica.setEmbedderIdentity(identity, { dropVectors: true });
    else if (current === undefined || JSON.stringify(current) !== JSON.stringify(identity)) this.replica.setEmbedderIdentity(identity);
  }

  private removeRow(rowid: number, applied: AppliedChanges): void {
    const doc = this.replica.documentByRowid(rowid);
    if (doc && this.replica.removeDocument(doc.docId)) applied.removed.push(doc);
  }

  private write({ document, pages, chunks }: RecordedDocument, applied: AppliedChanges): void {
    const { rowid, docId: _docId, markdownHash, chunkCount: _count, indexedAt, ...meta } = document;
    this.replica.replaceDocument(meta, markdownHash, pages, chunks, { rowid, chunkRowids: chunks.map((c) => c.rowid), indexedAt });
    applied.added.push(document);
  }
}
