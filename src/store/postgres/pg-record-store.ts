/**
 * The store of record in PostgreSQL: documents with their Markdown, pages, chunks with vectors,
 * originals, and the change log every node follows. Each write is one transaction that ends by
 * moving the change log's head (see migration 1), which orders commits, and by a NOTIFY that
 * wakes the other nodes' replicators.
 */
import type { DocumentMeta, EmbedderIdentity } from '../../library/model.js';
import { documentIdOf } from '../../library/ids.js';
import { LibraryError } from '../../library/errors.js';
import { sha256 } from '../../library/library-files.js';
import { VECTORS_DROPPED, type Change, type StoredDocument } from '../store.js';
import type { DocumentRecord, RecordCounts, RecordedDocument, RecordStore, RemoveOutcome, WriteOutcome } from '../record-store.js';
import { LOCKS, productLockKey } from './advisory-locks.js';
import { createPool, inTransaction, unavailableError, type Pool, type PoolClient, type PoolOptions } from './pg-pool.js';
import { migratePostgres } from './pg-migrations.js';
import { PgSources } from './pg-sources.js';
import {
  DOCUMENT_COLUMNS, metaOf, toPage, toRecordedChunk, toStoredDocument, vectorBytes, vectorOf, type ChunkRow, type DocumentRow, type PageRow,
} from './pg-rows.js';

/** The channel a committed change is announced on; the payload is the new position. */
export const CHANGE_CHANNEL = 'mcdewey_changes';
const EMBEDDER_KEY = 'embedder';
/** Change-log entries kept; a node further behind restores a snapshot or rebuilds. */
const KEEP_CHANGES = 100_000;
const PRUNE_EVERY = 1_000;

export class PgRecordStore implements RecordStore {
  readonly engine = 'postgres';
  readonly crawlState: PgSources;

  private constructor(readonly url: string, readonly pool: Pool) {
    this.crawlState = new PgSources(pool);
  }

  /** Connects, and creates or upgrades the schema. */
  static async open(url: string, options: PoolOptions = {}): Promise<PgRecordStore> {
    const pool = createPool(url, options);
    try {
      await migratePostgres(pool);
    } catch (error) {
      await pool.end();
      throw unavailableError(url, error);
    }
    return new PgRecordStore(url, pool);
  }

  private async query<R extends object>(sql: string, values: unknown[] = []): Promise<R[]> {
    try {
      return (await this.pool.query<R>(sql, values)).rows;
    } catch (error) {
      throw unavailableError(this.url, error);
    }
  }

  private async transaction<T>(work: (client: PoolClient) => Promise<T>): Promise<T> {
    try {
      return await inTransaction(this.pool, work);
    } catch (error) {
      throw unavailableError(this.url, error);
    }
  }

  async embedderIdentity(): Promise<EmbedderIdentity | null | undefined> {
    const [row] = await this.query<{ value: EmbedderIdentity | null }>('SELECT value FROM meta WHERE key = $1', [EMBEDDER_KEY]);
    return row === undefined ? undefined : row.value;
  }

  async setEmbedderIdentity(identity: EmbedderIdentity | null): Promise<void> {
    await this.transaction(async (client) => {
      const { rows } = await client.query<{ value: EmbedderIdentity | null }>('SELECT value FROM meta WHERE key = $1 FOR UPDATE', [EMBEDDER_KEY]);
      const previous = rows[0]?.value;
      // As in the embedded index: vectors of another model or shape are dropped, not compared.
      const drop = !previous || !identity || previous.name !== identity.name || previous.dimensions !== identity.dimensions;
      if (drop) await client.query('UPDATE chunks SET vector = NULL WHERE vector IS NOT NULL');
      await client.query(
        'INSERT INTO meta (key, value) VALUES ($1, $2) ON CONFLICT (key) DO UPDATE SET value = excluded.value',
        [EMBEDDER_KEY, JSON.stringify(identity)],
      );
      // Whether the vectors went: a node learns the identity later, as it is then (Replicator.apply).
      await appendChanges(client, [['reset', drop ? VECTORS_DROPPED : 0]]);
    });
  }

  async writeDocument(record: DocumentRecord): Promise<WriteOutcome> {
    const { rowids, position } = await this.writeDocuments([record]);
    return { rowid: rowids[0]!, position };
  }

  /**
   * Writes several documents and removes others in one transaction: readers see all of it or none
   * (a re-labelling that moves a product's documents). The old rows of `moving` documents (those
   * re-labelled together) do not count as the product belonging to another vendor.
   */
  async writeDocuments(records: readonly DocumentRecord[], remove: readonly string[] = [], moving: readonly string[] = []): Promise<{ rowids: number[]; position: number }> {
    const ids = records.map((r) => documentIdOf(r.meta.key));
    return this.transaction(async (client) => {
      // Writers of one product queue here: the vendor check below and the replacement stay true until commit.
      // Taken in one order, so two writers of the same products never wait for each other in a circle.
      for (const product of [...new Set(records.map((r) => r.meta.key.product))].sort()) {
        await client.query('SELECT pg_advisory_xact_lock($1, $2)', [LOCKS.namespace, productLockKey(product)]);
      }
      for (const record of records) await checkVendor(client, record.meta, moving);
      await checkEmbedder(client, records, ids);
      const changes: [Change['op'], number][] = [];
      const { rows: previous } = await client.query<{ rowid: number; content_hash: string; format: string }>(
        'DELETE FROM documents WHERE doc_id = ANY($1::text[]) RETURNING rowid, content_hash, format', [[...ids, ...remove]],
      );
      for (const old of previous) changes.push(['remove', old.rowid]);
      const rowids: number[] = [];
      for (const [index, record] of records.entries()) rowids.push(await insertDocument(client, record, ids[index]!));
      for (const old of previous) await forgetOriginalIfUnused(client, old.content_hash, old.format);
      for (const rowid of rowids) changes.push(['add', rowid]);
      return { rowids, position: await appendChanges(client, changes) };
    });
  }

  async removeDocument(docId: string): Promise<RemoveOutcome> {
    return this.transaction(async (client) => {
      const { rows } = await client.query<{ rowid: number; content_hash: string; format: string }>(
        'DELETE FROM documents WHERE doc_id = $1 RETURNING rowid, content_hash, format', [docId],
      );
      if (rows.length === 0) return { removed: false, position: await headPosition(client) };
      for (const old of rows) await forgetOriginalIfUnused(client, old.content_hash, old.format);
      return { removed: true, position: await appendChanges(client, rows.map((r) => ['remove', r.rowid])) };
    });
  }

  async documents(): Promise<StoredDocument[]> {
    return (await this.query<DocumentRow>(`SELECT ${DOCUMENT_COLUMNS} FROM documents`)).map(toStoredDocument);
  }

  async document(docId: string): Promise<StoredDocument | undefined> {
    const [row] = await this.query<DocumentRow>(`SELECT ${DOCUMENT_COLUMNS} FROM documents WHERE doc_id = $1`, [docId]);
    return row && toStoredDocument(row);
  }

  async readDocuments(rowids: readonly number[]): Promise<RecordedDocument[]> {
    if (rowids.length === 0) return [];
    // One snapshot for the three reads, so a document removed meanwhile is read whole or not at all.
    return this.transaction(async (client) => {
      await client.query('SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY');
      const ids = [...rowids];
      const docs = (await client.query<DocumentRow>(`SELECT ${DOCUMENT_COLUMNS} FROM documents WHERE rowid = ANY($1::bigint[])`, [ids])).rows;
      if (docs.length === 0) return [];
      const found = docs.map((d) => d.rowid);
      const pages = (await client.query<PageRow>('SELECT * FROM pages WHERE doc_rowid = ANY($1::bigint[]) ORDER BY doc_rowid, number', [found])).rows;
      const chunks = (await client.query<ChunkRow>('SELECT * FROM chunks WHERE doc_rowid = ANY($1::bigint[]) ORDER BY doc_rowid, ordinal', [found])).rows;
      const byDoc = new Map<number, RecordedDocument>();
      for (const row of docs) byDoc.set(row.rowid, { document: toStoredDocument(row), pages: [], chunks: [] });
      for (const row of pages) byDoc.get(row.doc_rowid)?.pages.push(toPage(row));
      for (const row of chunks) byDoc.get(row.doc_rowid)?.chunks.push(toRecordedChunk(row));
      return rowids.flatMap((r) => byDoc.get(r) ?? []);
    });
  }

  async markdown(docId: string): Promise<string | undefined> {
    const [row] = await this.query<{ markdown: string }>('SELECT markdown FROM documents WHERE doc_id = $1', [docId]);
    return row?.markdown;
  }

  async original(contentHash: string, format: DocumentMeta['format']): Promise<Uint8Array | undefined> {
    const [row] = await this.query<{ bytes: Buffer }>('SELECT bytes FROM originals WHERE content_hash = $1 AND format = $2', [contentHash, format]);
    return row?.bytes;
  }

  /** Content hashes and formats of every kept original, for a node to fetch what it lacks. */
  async originalKeys(): Promise<{ contentHash: string; format: DocumentMeta['format'] }[]> {
    return (await this.query<{ content_hash: string; format: DocumentMeta['format'] }>('SELECT content_hash, format FROM originals'))
      .map((r) => ({ contentHash: r.content_hash, format: r.format }));
  }

  async vectorsByEmbedHash(hashes: readonly string[]): Promise<Map<string, Float32Array>> {
    const found = new Map<string, Float32Array>();
    if (hashes.length === 0) return found;
    const rows = await this.query<{ embed_hash: string; vector: Buffer }>(
      'SELECT DISTINCT ON (embed_hash) embed_hash, vector FROM chunks WHERE embed_hash = ANY($1::text[]) AND vector IS NOT NULL',
      [[...new Set(hashes)]],
    );
    for (const row of rows) found.set(row.embed_hash, vectorOf(row.vector));
    return found;
  }

  async changePosition(): Promise<number> {
    const [row] = await this.query<{ position: number }>('SELECT position FROM change_head');
    return row?.position ?? 0;
  }

  async changeHorizon(): Promise<number> {
    const [row] = await this.query<{ seq: number | null; position: number }>('SELECT (SELECT min(seq) FROM changes) AS seq, position FROM change_head');
    return row?.seq == null ? (row?.position ?? 0) : row.seq - 1;
  }

  async changesSince(position: number, limit: number): Promise<Change[]> {
    return (await this.query<{ seq: number; op: Change['op']; doc_rowid: number }>(
      'SELECT seq, op, doc_rowid FROM changes WHERE seq > $1 ORDER BY seq LIMIT $2', [position, limit],
    )).map((r) => ({ seq: r.seq, op: r.op, docRowid: r.doc_rowid }));
  }

  async counts(): Promise<RecordCounts> {
    const [row] = await this.query<RecordCounts>(
      'SELECT (SELECT count(*) FROM documents)::int AS documents, (SELECT count(*) FROM chunks)::int AS chunks, (SELECT count(vector) FROM chunks)::int AS vectors',
    );
    return row!;
  }

  async close(): Promise<void> {
    await this.pool.end();
  }
}

/** Refuses a product already held by another vendor (checked under the product's lock, inside the transaction). */
async function checkVendor(client: PoolClient, meta: DocumentMeta, moving: readonly string[]): Promise<void> {
  const { rows: owners } = await client.query<{ doc_id: string; vendor_label: string }>(
    "SELECT doc_id, meta->>'vendorLabel' AS vendor_label FROM documents WHERE product = $1 AND vendor <> $2 AND doc_id <> ALL($3::text[]) LIMIT 1",
    [meta.key.product, meta.vendor, [...moving]],
  );
  if (owners[0]) {
    throw new LibraryError(
      'conflict',
      `product "${meta.key.product}" already belongs to vendor "${owners[0].vendor_label}", not "${meta.vendorLabel}"`,
      'Use a different --product name for this vendor',
    );
  }
}

/**
 * Refuses records embedded with another model than the library's. FOR SHARE waits for an embedder
 * switch in progress (it updates this row) and holds off the next until commit. It must come before
 * the write touches any chunk row: a switch locks this row and then every chunk's vector, so a
 * writer holding old chunk rows (by deleting them) while it waited here made a deadlock, which
 * PostgreSQL broke by failing the write (found by the interleaved-writes property).
 */
async function checkEmbedder(client: PoolClient, records: readonly DocumentRecord[], ids: readonly string[]): Promise<void> {
  if (records.every((record) => record.embedder === undefined)) return;
  const { rows } = await client.query<{ value: EmbedderIdentity | null }>('SELECT value FROM meta WHERE key = $1 FOR SHARE', [EMBEDDER_KEY]);
  const recorded = rows[0] === undefined ? undefined : rows[0].value;
  if (recorded === undefined) return;
  for (const [index, record] of records.entries()) {
    if (record.embedder === undefined || (recorded?.name ?? null) === record.embedder) continue;
    throw new LibraryError(
      'conflict',
      `the library's embedder changed to ${recorded?.name ?? 'none'} while ${ids[index]} was embedded with ${record.embedder ?? 'none'} (a re-index ran meanwhile)`,
      'Run the command again: it uses the library\'s embedder now',
    );
  }
}

/** Inserts one document with its pages, chunks and original (its old row is gone). */
async function insertDocument(client: PoolClient, record: DocumentRecord, docId: string): Promise<number> {
  const { meta, chunks, pages } = record;
  if (record.original) {
    await client.query(
      'INSERT INTO originals (content_hash, format, bytes) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING',
      [meta.contentHash, meta.format, Buffer.from(record.original.buffer, record.original.byteOffset, record.original.byteLength)],
    );
  }
  const { rows: [inserted] } = await client.query<{ rowid: number }>(
    `INSERT INTO documents (doc_id, vendor, product, source_path, content_hash, format, markdown_hash, markdown, meta, chunk_count)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING rowid`,
    [docId, meta.vendor, meta.key.product, meta.sourcePath, meta.contentHash, meta.format, sha256(record.markdown), record.markdown, JSON.stringify(metaOf(meta)), chunks.length],
  );
  const rowid = inserted!.rowid;
  if (pages.length > 0) {
    await client.query(
      `INSERT INTO pages (doc_rowid, number, label, markdown, ocr)
       SELECT $1, * FROM unnest($2::int[], $3::text[], $4::text[], $5::boolean[])`,
      [rowid, pages.map((p) => p.number), pages.map((p) => p.label ?? null), pages.map((p) => p.markdown), pages.map((p) => p.ocr === true)],
    );
  }
  if (chunks.length > 0) {
    const column = <T>(f: (c: DocumentRecord['chunks'][number]) => T) => chunks.map(f);
    await client.query(
      `INSERT INTO chunks (doc_rowid, chunk_id, ordinal, page, page_end, page_label, heading_path, text, token_count, embed_hash, vector)
       SELECT $1, c.id, c.ordinal, c.page, c.page_end, c.page_label, c.heading_path::jsonb, c.text, c.token_count, c.embed_hash, c.vector
       FROM unnest($2::text[], $3::int[], $4::int[], $5::int[], $6::text[], $7::text[], $8::text[], $9::int[], $10::text[], $11::bytea[])
         AS c (id, ordinal, page, page_end, page_label, heading_path, text, token_count, embed_hash, vector)
       ORDER BY c.ordinal`,
      [
        rowid, column((c) => c.chunk.id), column((c) => c.chunk.ordinal), column((c) => c.chunk.page), column((c) => c.chunk.pageEnd),
        column((c) => c.chunk.pageLabel ?? null), column((c) => JSON.stringify(c.chunk.headingPath)), column((c) => c.chunk.text),
        column((c) => c.chunk.tokenCount), column((c) => c.embedHash),
        column((c) => (c.vector ? vectorBytes(c.vector) : null)),
      ],
    );
  }
  return rowid;
}

async function headPosition(client: PoolClient): Promise<number> {
  return (await client.query<{ position: number }>('SELECT position FROM change_head')).rows[0]!.position;
}

/**
 * Appends changes as the transaction's last step: the head row's lock is held until commit, so a
 * later writer gets later positions and commits after this one, and followers never skip a change.
 */
async function appendChanges(client: PoolClient, changes: [Change['op'], number][]): Promise<number> {
  const { rows } = await client.query<{ position: number }>('UPDATE change_head SET position = position + $1 RETURNING position', [changes.length]);
  const last = rows[0]!.position;
  const first = last - changes.length + 1;
  await client.query(
    'INSERT INTO changes (seq, op, doc_rowid) SELECT * FROM unnest($1::bigint[], $2::text[], $3::bigint[])',
    [changes.map((_, i) => first + i), changes.map(([op]) => op), changes.map(([, rowid]) => rowid)],
  );
  if (Math.floor(last / PRUNE_EVERY) > Math.floor((first - 1) / PRUNE_EVERY)) {
    await client.query('DELETE FROM changes WHERE seq <= $1', [last - KEEP_CHANGES]);
  }
  await client.query('SELECT pg_notify($1, $2)', [CHANGE_CHANNEL, String(last)]);
  return last;
}

async function forgetOriginalIfUnused(client: PoolClient, contentHash: string, format: string): Promise<void> {
  await client.query(
    'DELETE FROM originals WHERE content_hash = $1 AND format = $2 AND NOT EXISTS (SELECT 1 FROM documents WHERE content_hash = $1 AND format = $2)',
    [contentHash, format],
  );
}
