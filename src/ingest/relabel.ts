/**
 * Re-labelling a stored document: new vendor, product or version labels, without converting it
 * again (its pages are read back from its file, its vectors reused). When a label's slug changes,
 * the document moves to its new id: the new file and rows are written first, then the old ones
 * removed, so an interruption leaves the document in both places, never in neither, and running
 * the same relabelling again finishes the move.
 */
import type { DocumentLabels, DocumentMeta } from '../library/model.js';
import { documentIdOf, sourcePathOf } from '../library/ids.js';
import { parseDocumentFile, serializeDocumentFile } from '../library/document-file.js';
import { readDocumentText, sha256, writeDocumentAtomically } from '../library/library-files.js';
import { LibraryError } from '../library/errors.js';
import type { StoredDocument } from '../store/store.js';
import { prepareChunks } from './indexer.js';
import { checkEmbedderUnchanged, keyForLabels, removeDocument, type AddResult, type IngestContext } from './pipeline.js';
import { filingConflict, type Filing } from '../library/label-conflicts.js';
import type { IngestProgress } from './progress.js';

export type RelabelContext = Omit<IngestContext, 'converter'>;

/**
 * Files `doc` under `labels` (vendor, product and version as typed). `moving` lists the documents
 * being relabelled together: a product's other documents still carry the old vendor until their
 * turn, which must not count as the product belonging to someone else.
 */
export async function relabelDocument(ctx: RelabelContext, doc: StoredDocument, labels: Pick<DocumentLabels, 'vendor' | 'product' | 'version'>, moving: ReadonlySet<string>, progress: IngestProgress): Promise<AddResult> {
  const result: AddResult = { file: doc.sourcePath, status: 'failed', warnings: [], docId: doc.docId };
  try {
    const { filing, meta } = relabelledMeta(doc, labels);
    const { key } = filing;
    const docId = documentIdOf(key);
    const moves = docId !== doc.docId;
    const text = readDocumentText(ctx.dir, doc.key);
    if (text === undefined || sha256(text) !== doc.markdownHash) {
      throw new LibraryError('conflict', `${doc.sourcePath} changed on disk since it was indexed`, 'Run `mcdewey reindex` first, then re-label');
    }
    const { pages } = parseDocumentFile(text, doc.sourcePath);
    const newText = serializeDocumentFile(meta, pages);
    const chunks = await prepareChunks(meta, pages, ctx.store, ctx.embedder, ({ done, total }) => progress.embedding(doc.sourcePath, done, total));
    let alreadyMoved = false;
    writeDocumentAtomically(ctx.dir, key, newText, () => {
      // The documents moving with this one still carry the old labels until their turn.
      const conflict = filingConflict(filing, ctx.store.documents().filter((d) => !moving.has(d.docId)));
      if (conflict) throw conflict;
      checkEmbedderUnchanged(ctx.store, ctx.embedder);
      const there = moves ? ctx.store.document(docId) : undefined;
      if (there && there.contentHash !== doc.contentHash) {
        throw new LibraryError('conflict', `${doc.docId} cannot move to ${docId}: another document is filed there`, 'Remove that document first, or pick other labels');
      }
      alreadyMoved = there !== undefined;
      ctx.store.replaceDocument(meta, sha256(newText), pages, chunks);
    }, (work) => ctx.store.withWriteLock(work), pages);
    if (moves) removeDocument(ctx, doc);
    return { ...result, status: 'relabelled', docId, sourcePath: meta.sourcePath, pages: pages.length, chunks: chunks.length, ...(alreadyMoved ? { warnings: ['an interrupted move was finished'] } : {}) };
  } catch (error) {
    return { ...result, status: 'failed', error: (error as Error).message };
  }
}

/** The filing and metadata of `doc` under new vendor, product and version labels (its collection and document kept). */
export function relabelledMeta(doc: StoredDocument, labels: Pick<DocumentLabels, 'vendor' | 'product' | 'version'>): { filing: Filing; meta: DocumentMeta } {
  const filing = keyForLabels({ ...labels, collection: doc.collectionLabel ?? doc.key.collection, document: doc.documentLabel ?? doc.key.document });
  const { key, vendor } = filing;
  const meta: DocumentMeta = {
    ...stripStored(doc),
    key,
    vendor,
    vendorLabel: filing.labels.vendor,
    productLabel: filing.labels.product,
    versionLabel: filing.labels.version,
    sourcePath: sourcePathOf(key),
  };
  return { filing, meta };
}

function stripStored(doc: StoredDocument): DocumentMeta {
  const { rowid: _rowid, docId: _docId, markdownHash: _hash, chunkCount: _chunks, indexedAt: _indexed, ...meta } = doc;
  return meta;
}
