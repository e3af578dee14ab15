import type { CatalogEntry, StoredDocument } from '../store.js';
import { MAX_INCREMENTAL, SortedCatalog, type ChangeLogView } from './sorted-catalog.js';

/**
 * The document catalog kept in memory and brought up to date from the change log: every added file
 * checks its labels against it and every listing reads it, so it must cost nothing per call. A
 * search needs less: every document's entry (its filing and labels, to resolve filters and the
 * product a query names) and the whole rows of its candidates only. Until something reads the whole
 * catalog, those come from the entries and from the rows searches have read, so that a search
 * worker or a CLI search just started never reads every row.
 */
export interface CatalogSource extends ChangeLogView {
  allDocuments(): StoredDocument[];
  documentByRowid(rowid: number): StoredDocument | undefined;
  documentById(docId: string): StoredDocument | undefined;
  /** Whole rows of these documents (absent ones left out), in any order. */
  documentsAt(rowids: readonly number[]): StoredDocument[];
  allEntries(): CatalogEntry[];
  entryAt(rowid: number): CatalogEntry | undefined;
}

export interface Catalog {
  /** Sorted by product, version, collection, document. */
  all: readonly StoredDocument[];
  byId: ReadonlyMap<string, StoredDocument>;
  byRowid: ReadonlyMap<number, StoredDocument>;
}

/**
 * Whole rows kept for searches while the catalog is not read: about 1.8 KB of heap each (204 MB for
 * the 110,457 of the 1M-chunk library, `bench/catalog-read.ts`), so a large library keeps the ~37 MB
 * its searches read most recently rather than all of it.
 */
export const ROWS_KEPT = 20_000;

export class CatalogCache {
  private readonly full: SortedCatalog<StoredDocument>;
  private readonly entries: SortedCatalog<CatalogEntry>;
  private readonly rows: RowsRead;

  constructor(private readonly source: CatalogSource, rowsKept = ROWS_KEPT) {
    this.full = new SortedCatalog(source, { all: () => source.allDocuments(), at: (rowid) => source.documentByRowid(rowid) });
    this.entries = new SortedCatalog(source, { all: () => source.allEntries(), at: (rowid) => source.entryAt(rowid) });
    this.rows = new RowsRead(source, rowsKept);
  }

  /** The whole catalog, read on first use. */
  current(): Catalog {
    return { all: this.full.all(), byId: this.full.byId, byRowid: this.full.byRowid };
  }

  /** Every document's entry in the catalog's order: the catalog itself once it is read. */
  catalogEntries(): readonly CatalogEntry[] {
    return this.full.loaded ? this.full.all() : this.entries.all();
  }

  /**
   * One document, from the catalog once it is read, else straight from the store: a request for one
   * document on a process just started (a page, a chunk, a health check) must not first read
   * every document (0.25 s at 15,000 documents, 1.5 s at 110,000, holding the event loop).
   */
  document(docId: string): StoredDocument | undefined {
    return this.full.loaded ? this.current().byId.get(docId) : this.source.documentById(docId);
  }

  documentByRowid(rowid: number): StoredDocument | undefined {
    return this.documentsByRowid([rowid]).get(rowid);
  }

  /** Several documents by rowid (absent ones left out): from the catalog once it is read, else from the rows read so far and the store. */
  documentsByRowid(rowids: Iterable<number>): Map<number, StoredDocument> {
    if (!this.full.loaded) return this.rows.get(rowids);
    const { byRowid } = this.current();
    const found = new Map<number, StoredDocument>();
    for (const rowid of rowids) {
      const doc = byRowid.get(rowid);
      if (doc) found.set(rowid, doc);
    }
    return found;
  }
}

/**
 * Whole rows read by rowid, kept while the change log does not name them. A document's row never
 * changes while it exists (a changed document is removed and added under a new rowid), so only a
 * removal makes a kept row wrong, and the log says which. Beyond `capacity` the rows read longest
 * ago go first.
 */
class RowsRead {
  private position = -1;
  private readonly kept = new Map<number, StoredDocument>();

  constructor(private readonly source: CatalogSource, private readonly capacity: number) {}

  get(rowids: Iterable<number>): Map<number, StoredDocument> {
    this.refresh();
    const found = new Map<number, StoredDocument>();
    const missing = new Set<number>();
    for (const rowid of rowids) {
      const doc = this.kept.get(rowid);
      if (doc) found.set(rowid, doc);
      else missing.add(rowid);
    }
    if (missing.size === 0) return found;
    for (const doc of this.source.documentsAt([...missing])) {
      found.set(doc.rowid, doc);
      this.kept.set(doc.rowid, doc);
    }
    for (const rowid of this.kept.keys()) {
      if (this.kept.size <= this.capacity) break;
      this.kept.delete(rowid);
    }
    return found;
  }

  private refresh(): void {
    const now = this.source.position();
    if (now === this.position) return;
    if (this.position < 0 || now < this.position || now - this.position > MAX_INCREMENTAL || this.position < this.source.horizon()) {
      this.kept.clear();
      this.position = now;
      return;
    }
    const changes = this.source.since(this.position, MAX_INCREMENTAL + 1);
    for (const change of changes) if (change.op !== 'reset') this.kept.delete(change.docRowid);
    this.position = changes.at(-1)?.seq ?? now;
  }
}
