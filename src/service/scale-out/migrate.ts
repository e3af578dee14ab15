/**
 * `mcdewey migrate`: copies a whole library from one store of record to another, an embedded
 * library into PostgreSQL (to scale out) or PostgreSQL into a data directory (a backup, or back to
 * one machine). Documents keep their Markdown, pages, chunks, vectors and originals, so nothing is
 * converted or embedded again; the folders and sites added whole keep their crawl state, so the
 * copy can be refreshed; the copy is then compared with its source.
 */
import { dataDirAt } from '../../library/data-dir.js';
import { LibraryError } from '../../library/errors.js';
import type { DocumentMeta } from '../../library/model.js';
import { claimDataDir } from '../../library/ownership.js';
import { EmbeddedRecordStore } from '../../store/embedded/embedded-record-store.js';
import { isPostgresUrl } from '../../store/postgres/pg-pool.js';
import { redactUrl } from '../../store/postgres/redact-url.js';
import { PgRecordStore } from '../../store/postgres/pg-record-store.js';
import type { RecordStore } from '../../store/record-store.js';
import { SqliteStore } from '../../store/sqlite/sqlite-store.js';
import type { StoredDocument } from '../../store/store.js';

export interface MigrateResult {
  from: string;
  to: string;
  documents: number;
  chunks: number;
  vectors: number;
  originals: number;
  /** Folders and sites added whole, copied with their crawl state. */
  sources: number;
}

/** Documents read and written per round. */
const BATCH = 20;

/** Opens a store of record: a postgres:// URL, or a data directory (created if new). */
export async function openRecordStore(location: string): Promise<RecordStore> {
  if (isPostgresUrl(location)) return PgRecordStore.open(location);
  const dir = dataDirAt(location);
  claimDataDir(dir);
  return new EmbeddedRecordStore(dir, new SqliteStore(dir.indexFile));
}

export function describeLocation(location: string): string {
  return isPostgresUrl(location) ? redactUrl(location) : dataDirAt(location).root;
}

export async function migrateLibrary(from: string, to: string, onDocument: (done: number, total: number) => void = () => {}): Promise<MigrateResult> {
  if (describeLocation(from) === describeLocation(to)) {
    throw new LibraryError('invalid_input', `the library is already in ${describeLocation(to)}`, 'Name another target with --to');
  }
  const source = await openRecordStore(from);
  let target: RecordStore | undefined;
  try {
    target = await openRecordStore(to);
    const existing = await target.counts();
    if (existing.documents > 0) {
      throw new LibraryError(
        'conflict',
        `${describeLocation(to)} already holds ${existing.documents} documents`,
        'Migrate into an empty database or a new data directory, so that nothing there is mixed with or overwritten by this library',
      );
    }
    const identity = await source.embedderIdentity();
    if (identity !== undefined) await target.setEmbedderIdentity(identity);
    const docs = (await source.documents()).sort((a, b) => a.rowid - b.rowid);
    let originals = 0;
    for (let start = 0; start < docs.length; start += BATCH) {
      for (const { document, pages, chunks } of await source.readDocuments(docs.slice(start, start + BATCH).map((d) => d.rowid))) {
        const markdown = await source.markdown(document.docId);
        if (markdown === undefined) throw new Error(`${document.sourcePath} has no Markdown in ${describeLocation(from)}`);
        const original = await source.original(document.contentHash, document.format);
        if (original) originals++;
        await target.writeDocument({ meta: metaOf(document), markdown, pages, chunks, ...(original ? { original } : {}) });
      }
      onDocument(Math.min(start + BATCH, docs.length), docs.length);
    }
    const sources = await source.crawlState.all();
    for (const entry of sources) await target.crawlState.save(entry, entry.refreshedAt !== undefined);
    const problems = await compare(source, target);
    if (problems.length > 0) {
      throw new LibraryError('io', `the copy in ${describeLocation(to)} differs from its source: ${problems.slice(0, 5).join('; ')}`, 'Run the migration again into an empty target');
    }
    return { from: describeLocation(from), to: describeLocation(to), ...(await target.counts()), originals, sources: sources.length };
  } finally {
    await target?.close();
    await source.close();
  }
}

function metaOf(document: StoredDocument): DocumentMeta {
  const { rowid: _r, docId: _d, markdownHash: _m, chunkCount: _c, indexedAt: _i, ...meta } = document;
  return meta;
}

/** Where the copy disagrees with its source: counts, and each document's Markdown and size. */
async function compare(source: RecordStore, target: RecordStore): Promise<string[]> {
  const problems: string[] = [];
  const [a, b] = [await source.counts(), await target.counts()];
  if (JSON.stringify(a) !== JSON.stringify(b)) problems.push(`source holds ${JSON.stringify(a)}, the copy ${JSON.stringify(b)}`);
  const copied = new Map((await target.documents()).map((d) => [d.docId, d]));
  for (const doc of await source.documents()) {
    const copy = copied.get(doc.docId);
    if (!copy) problems.push(`${doc.sourcePath} was not copied`);
    else if (copy.markdownHash !== doc.markdownHash || copy.chunkCount !== doc.chunkCount) problems.push(`${doc.sourcePath} differs`);
  }
  return problems;
}
