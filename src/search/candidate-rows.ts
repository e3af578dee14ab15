import type { ContentStore, StoredChunk } from '../store/store.js';

/**
 * The stored rows of a search's candidates, read only as far as the search needs them. Folding and
 * ranking passages need each candidate's document, which the lexical index knows; a chunk's row (its
 * text above all) is read from the store only for the passages whose words are judged and those
 * shown. Read whole up front instead (`fromStore`) when the index cannot stand in for the rows.
 */
export class CandidateRows {
  private readonly chunks = new Map<number, StoredChunk>();

  private constructor(
    private readonly store: Pick<ContentStore, 'chunksByRowid'>,
    private readonly docRowids: ReadonlyMap<number, number>,
    private readonly fromIndex: boolean,
  ) {}

  /**
   * Rows read lazily, each candidate's document taken from the index (`documentOf`); undefined when
   * the index does not hold every candidate (a snapshot behind the store), so the caller reads the rows.
   */
  static fromIndex(store: Pick<ContentStore, 'chunksByRowid'>, rowids: readonly number[], documentOf: (rowid: number) => number | undefined): CandidateRows | undefined {
    const docRowids = new Map<number, number>();
    for (const rowid of rowids) {
      const docRowid = documentOf(rowid);
      if (docRowid === undefined) return undefined;
      docRowids.set(rowid, docRowid);
    }
    return new CandidateRows(store, docRowids, true);
  }

  /** Every candidate's row read now, in one query; a candidate the store no longer holds has none. */
  static fromStore(store: Pick<ContentStore, 'chunksByRowid'>, rowids: readonly number[]): CandidateRows {
    const chunks = store.chunksByRowid([...rowids]);
    const rows = new CandidateRows(store, new Map(chunks.map((c) => [c.rowid, c.docRowid])), false);
    for (const chunk of chunks) rows.chunks.set(chunk.rowid, chunk);
    return rows;
  }

  /** The candidate's document, or undefined when it has none (no longer stored). */
  documentOf(rowid: number): number | undefined {
    return this.docRowids.get(rowid);
  }

  /** The candidate's row, read now if it was not yet. Throws StaleCandidates when the store disagrees with the index. */
  chunk(rowid: number): StoredChunk {
    let chunk = this.chunks.get(rowid);
    if (!chunk) {
      this.load([rowid]);
      chunk = this.chunks.get(rowid)!;
    }
    return chunk;
  }

  /** Reads the rows of these candidates that were not read yet, in one query. */
  load(rowids: Iterable<number>): void {
    const missing = [...rowids].filter((rowid) => !this.chunks.has(rowid));
    if (missing.length === 0) return;
    const chunks = this.store.chunksByRowid(missing);
    for (const chunk of chunks) {
      if (this.fromIndex && chunk.docRowid !== this.docRowids.get(chunk.rowid)) throw new StaleCandidates(chunk.rowid);
      this.chunks.set(chunk.rowid, chunk);
    }
    if (chunks.length !== missing.length) throw new StaleCandidates(missing.find((rowid) => !this.chunks.has(rowid))!);
  }
}

/**
 * The store no longer holds a candidate as the index does (a write landed after the snapshot the
 * search ranks with): the search reads its candidates' rows from the store instead.
 */
export class StaleCandidates extends Error {
  constructor(readonly rowid: number) {
    super(`chunk ${rowid} changed in the store after the search's index snapshot`);
  }
}
