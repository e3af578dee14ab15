/**
 * `reindex` and `check` for a library in PostgreSQL: re-indexing reads each document's Markdown
 * from the store of record (there is no tree on disk), and checking compares the store with itself
 * (every chunk has a vector when an embedder is recorded) and with this node's replica.
 */
import type { Embedder } from '../../embed/embedder.js';
import { prepareChunks } from '../../ingest/indexer.js';
import type { IngestProgress } from '../../ingest/progress.js';
import { parseDocumentFile } from '../../library/document-file.js';
import type { ReindexResult } from '../maintenance.js';
import type { ScaleOutNode } from './scale-out-node.js';

export async function reindexFromRecords(node: ScaleOutNode, embedder: Embedder | null, progress: IngestProgress): Promise<ReindexResult> {
  const docs = (await node.record.documents()).sort((a, b) => (a.sourcePath < b.sourcePath ? -1 : 1));
  const result: ReindexResult = { reindexed: 0, removed: 0, failed: [] };
  progress.start(docs.length);
  for (const [index, doc] of docs.entries()) {
    progress.fileStarted(doc.sourcePath, index);
    try {
      const markdown = await node.record.markdown(doc.docId);
      if (markdown === undefined) continue; // removed meanwhile
      const { meta, pages } = parseDocumentFile(markdown, doc.sourcePath);
      const chunks = await prepareChunks(meta, pages, node.replica, embedder, ({ done, total }) => progress.embedding(doc.sourcePath, done, total));
      // Kept fields the file does not carry (where the document came from) stay as they were.
      await node.commit({ meta: { ...doc, ...meta }, markdown, pages, chunks, embedder: embedder?.name ?? null });
      result.reindexed++;
      progress.fileFinished({ file: doc.sourcePath, status: 'reindexed', sourcePath: meta.sourcePath, warnings: [], pages: pages.length, chunks: chunks.length });
    } catch (error) {
      result.failed.push({ file: doc.sourcePath, error: (error as Error).message });
      progress.fileFinished({ file: doc.sourcePath, status: 'failed', warnings: [], error: (error as Error).message });
    }
  }
  progress.finish();
  return result;
}

/** Where the store of record and this node's replica disagree (empty when they agree). */
export async function nodeDifferences(node: ScaleOutNode): Promise<string[]> {
  const problems = node.replica.integrityProblems().map((p) => `this node's replica: ${p}`);
  const identity = await node.record.embedderIdentity();
  const counts = await node.record.counts();
  if (identity && counts.vectors !== counts.chunks) {
    problems.push(`${counts.chunks - counts.vectors} of ${counts.chunks} passages in PostgreSQL have no vector (an interrupted re-index?)`);
  }
  // Compared at one position: the replica first catches up with everything committed so far.
  await node.catchUp();
  const stored = new Map((await node.record.documents()).map((d) => [d.rowid, d]));
  const local = new Map(node.replica.documents().map((d) => [d.rowid, d]));
  for (const [rowid, doc] of stored) {
    const copy = local.get(rowid);
    if (!copy) problems.push(`${doc.sourcePath} is in PostgreSQL but not in this node's replica`);
    else if (copy.markdownHash !== doc.markdownHash || copy.chunkCount !== doc.chunkCount) problems.push(`${doc.sourcePath} differs between PostgreSQL and this node's replica`);
  }
  for (const [rowid, doc] of local) if (!stored.has(rowid)) problems.push(`${doc.sourcePath} is in this node's replica but no longer in PostgreSQL`);
  const replicaCounts = node.replica.counts();
  if (replicaCounts.chunks !== counts.chunks || replicaCounts.vectors !== counts.vectors) {
    problems.push(`PostgreSQL holds ${counts.chunks} passages (${counts.vectors} vectors), this node's replica ${replicaCounts.chunks} (${replicaCounts.vectors})`);
  }
  return problems;
}
