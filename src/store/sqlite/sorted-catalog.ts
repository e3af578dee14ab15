import type { CatalogEntry, Change } from '../store.js';

/** Where a catalog reads its records: all of them, or one by rowid (absent once removed). */
export interface CatalogRecords<D extends CatalogEntry> {
  all(): D[];
  at(rowid: number): D | undefined;
}

/** What a catalog follows: the change log's position, its horizon and the changes since a position. */
export interface ChangeLogView {
  position(): number;
  horizon(): number;
  since(position: number, limit: number): Change[];
}

/** Beyond this many changes since the last look, one full read is cheaper than many small ones. */
export const MAX_INCREMENTAL = 1_000;

/** The catalog's order: product, version, collection, document (slugs, by UTF-16 code units). */
export const catalogOrder = (a: Pick<CatalogEntry, 'key'>, b: Pick<CatalogEntry, 'key'>) =>
  compare(a.key.product, b.key.product) || compare(a.key.version, b.key.version) ||
  compare(a.key.collection, b.key.collection) || compare(a.key.document, b.key.document);
const compare = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/**
 * Every document's record, sorted by product, version, collection and document, read whole once
 * and then brought up to date from the change log: after a write (ours or another process's) only
 * the changed documents are read; a long gap or one behind the log's horizon reads it whole again.
 * The records are whole rows (the catalog) or their entries alone (what searches need).
 */
export class SortedCatalog<D extends CatalogEntry> {
  private position = -1;
  private list: D[] = [];
  readonly byId = new Map<string, D>();
  readonly byRowid = new Map<number, D>();

  constructor(private readonly log: ChangeLogView, private readonly records: CatalogRecords<D>) {}

  /** Whether it has been read (and so is worth keeping current rather than asking the store). */
  get loaded(): boolean {
    return this.position >= 0;
  }

  /** Sorted by product, version, collection, document; current as of now. */
  all(): readonly D[] {
    this.refresh();
    return this.list;
  }

  /** Brings the records up to the log's position: read whole the first time or after a long gap. */
  refresh(): void {
    const now = this.log.position();
    if (now === this.position) return;
    if (this.position < 0 || now < this.position || now - this.position > MAX_INCREMENTAL || this.position < this.log.horizon()) this.reload(now);
    else this.apply(this.log.since(this.position, MAX_INCREMENTAL + 1), now);
  }

  private reload(position: number): void {
    this.list = this.records.all().sort(catalogOrder);
    this.byId.clear();
    this.byRowid.clear();
    for (const doc of this.list) {
      this.byId.set(doc.docId, doc);
      this.byRowid.set(doc.rowid, doc);
    }
    this.position = position;
  }

  private apply(changes: Change[], position: number): void {
    for (const change of changes) {
      if (change.op === 'reset') continue;
      const known = this.byRowid.get(change.docRowid);
      if (known) this.drop(known);
      if (change.op === 'add') {
        // A document added and removed again within the gap is gone by now; reading finds nothing.
        const doc = this.records.at(change.docRowid);
        if (doc) this.insert(doc);
      }
    }
    this.position = changes.at(-1)?.seq ?? position;
  }

  private drop(doc: D): void {
    this.byRowid.delete(doc.rowid);
    if (this.byId.get(doc.docId) === doc) this.byId.delete(doc.docId);
    const at = this.place(doc);
    if (this.list[at] === doc) this.list.splice(at, 1);
  }

  /**
   * Where `doc` is or would go in the sorted list: found by halving, since a scan of 110,457 records
   * (the 1M-chunk library) for every changed document made catching up with a long `add` cost
   * documents × catalog. The order is total: it ends in the document's own slug within its collection.
   */
  private place(doc: CatalogEntry): number {
    let low = 0;
    let high = this.list.length;
    while (low < high) {
      const mid = (low + high) >> 1;
      if (catalogOrder(this.list[mid]!, doc) < 0) low = mid + 1;
      else high = mid;
    }
    return low;
  }

  private insert(doc: D): void {
    const stale = this.byId.get(doc.docId);
    if (stale) this.drop(stale);
    this.list.splice(this.place(doc), 0, doc);
    this.byId.set(doc.docId, doc);
    this.byRowid.set(doc.rowid, doc);
  }
}
