/** A replica's whole state in comparable form: documents, chunks with vectors, and lexical rankings. */
import { LocalIndexes } from '../../../src/search/indexes/local-indexes.js';
import { SearchEngine } from '../../../src/search/search-engine.js';
import type { SqliteStore } from '../../../src/store/sqlite/sqlite-store.js';

export async function replicaState(replica: SqliteStore, queries: string[]): Promise<unknown> {
  const stored = replica.documents().sort((a, b) => a.rowid - b.rowid);
  const documents = stored.map((d) => [d.rowid, d.docId, d.markdownHash, d.chunkCount]);
  const chunks = stored.flatMap((d) => replica.chunksByOrdinal(d.rowid, 0, Number.MAX_SAFE_INTEGER)).map((c) => [c.rowid, c.id, c.docRowid, c.text]).sort((a, b) => Number(a[0]) - Number(b[0]));
  const vectors = stored
    .flatMap((d) => replica.chunkRecords(d.rowid))
    .filter((r) => r.vector)
    .map((r) => [r.rowid, [...r.vector!]])
    .sort((a, b) => Number(a[0]) - Number(b[0]));
  // Built from the replica's rows here, as a fresh node would build them.
  const indexes = new LocalIndexes(replica);
  try {
    const engine = new SearchEngine(replica, () => indexes.current(), null);
    const rankings = await Promise.all(queries.map((q) => engine.rank(q, 'lexical', 50)));
    return { documents, chunks, vectors, identity: replica.embedderIdentity() ?? null, rankings };
  } finally {
    indexes.close();
  }
}
