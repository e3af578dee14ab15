/** A replica's whole state in comparable form: documents, chunks with vectors, and lexical rankings. */
import { SearchEngine } from '../../../src/search/search-engine.js';
import type { SqliteStore } from '../../../src/store/sqlite/sqlite-store.js';

export async function replicaState(replica: SqliteStore, queries: string[]): Promise<unknown> {
  const documents = replica.documents().map((d) => [d.rowid, d.docId, d.markdownHash, d.chunkCount]).sort((a, b) => Number(a[0]) - Number(b[0]));
  const rowids = replica.chunkStats().map((s) => s.rowid).sort((a, b) => a - b);
  const chunks = replica.chunksByRowid(rowids).map((c) => [c.rowid, c.id, c.docRowid, c.text]);
  const vectors = [...replica.vectors()].map((v) => [v.rowid, [...v.vector]]).sort((a, b) => Number(a[0]) - Number(b[0]));
  const engine = new SearchEngine(replica, null);
  const rankings = await Promise.all(queries.map((q) => engine.rank(q, 'lexical', 50)));
  return { documents, chunks, vectors, identity: replica.embedderIdentity() ?? null, rankings };
}
