/**
 * Re-labelling in a library whose store of record is PostgreSQL: every document of the target is
 * re-filed (its Markdown read back from PostgreSQL, its vectors reused from the replica) and the
 * whole change is committed in one transaction, new rows written and moved ones removed together.
 * A crash leaves every document with its old labels or every one with its new ones, and every
 * node's replica moves from the one state to the other in one step.
 */
import type { Embedder } from '../../embed/embedder.js';
import { prepareChunks } from '../../ingest/indexer.js';
import type { AddResult } from '../../ingest/pipeline.js';
import type { IngestProgress } from '../../ingest/progress.js';
import { relabelledMeta } from '../../ingest/relabel.js';
import { parseDocumentFile, serializeDocumentFile } from '../../library/document-file.js';
import { LibraryError } from '../../library/errors.js';
import { documentIdOf } from '../../library/ids.js';
import { filingConflict } from '../../library/label-conflicts.js';
import { sha256 } from '../../library/library-files.js';
import type { DocumentRecord } from '../../store/record-store.js';
import type { RelabelStep } from '../relabel.js';
import type { ScaleOutNode } from './scale-out-node.js';

export async function relabelThroughRecords(
  node: ScaleOutNode, embedder: Embedder | null, plan: readonly RelabelStep[], progress: IngestProgress, signal?: AbortSignal,
): Promise<AddResult[]> {
  const moving = new Set(plan.map((step) => step.doc.docId));
  const others = node.replica.documents().filter((d) => !moving.has(d.docId));
  const records: DocumentRecord[] = [];
  const removals: string[] = [];
  const results: AddResult[] = [];
  progress.start(plan.length);
  try {
    for (const [index, { doc, labels }] of plan.entries()) {
      // Nothing is written before the end: a cancel here leaves the library as it was.
      if (signal?.aborted) return [];
      progress.fileStarted(doc.sourcePath, index);
      const { filing, meta } = relabelledMeta(doc, labels);
      const docId = documentIdOf(filing.key);
      const conflict = filingConflict(filing, others);
      if (conflict) throw conflict;
      if (docId !== doc.docId && others.some((d) => d.docId === docId)) {
        throw new LibraryError('conflict', `${doc.docId} cannot move to ${docId}: another document is filed there`, 'Remove that document first, or pick other labels');
      }
      const text = await node.record.markdown(doc.docId);
      if (text === undefined || sha256(text) !== doc.markdownHash) {
        throw new LibraryError('conflict', `${doc.sourcePath} changed in PostgreSQL while it was being re-labelled`, 'Run the re-labelling again');
      }
      const { pages } = parseDocumentFile(text, doc.sourcePath);
      const chunks = await prepareChunks(meta, pages, node.replica, embedder, ({ done, total }) => progress.embedding(doc.sourcePath, done, total));
      records.push({ meta, markdown: serializeDocumentFile(meta, pages), pages, chunks, embedder: embedder?.name ?? null });
      if (docId !== doc.docId) removals.push(doc.docId);
      results.push({ file: doc.sourcePath, status: 'relabelled', docId, sourcePath: meta.sourcePath, pages: pages.length, chunks: chunks.length, warnings: [] });
    }
    if (signal?.aborted) return [];
    await node.commitAll(records, removals, [...moving]);
    for (const result of results) progress.fileFinished(result);
    return results;
  } finally {
    progress.finish();
  }
}
