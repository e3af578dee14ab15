/**
 * Re-labelling a product or one version of it: its vendor, its product label, its version label.
 * Each document is re-filed on its own (see ingest/relabel.ts), so a large product is a job that
 * can be resumed; a label whose slug changes moves the documents to their new ids.
 */
import { relabelDocument, type RelabelContext } from '../ingest/relabel.js';
import type { AddResult } from '../ingest/pipeline.js';
import type { IngestProgress } from '../ingest/progress.js';
import { LibraryError } from '../library/errors.js';
import { resolveFilter } from './filters.js';

export interface RelabelTarget {
  product: string;
  version?: string;
}

export interface NewLabels {
  vendor?: string;
  product?: string;
  version?: string;
}

export async function relabelLibrary(ctx: RelabelContext, target: RelabelTarget, labels: NewLabels, progress: IngestProgress, signal?: AbortSignal): Promise<AddResult[]> {
  if (!labels.vendor && !labels.product && !labels.version) {
    throw new LibraryError('invalid_input', 'nothing to re-label: no new vendor, product or version label was given', 'Give at least one of the new labels');
  }
  if (labels.version && !target.version) {
    throw new LibraryError('invalid_input', `a new version label needs the version it replaces: every version of ${target.product} would get the same one`, 'Name the version to re-label');
  }
  const docs = resolveFilter(ctx.store, target);
  const moving = new Set(docs.map((d) => d.docId));
  const results: AddResult[] = [];
  progress.start(docs.length);
  for (const [index, doc] of docs.entries()) {
    if (signal?.aborted) break;
    progress.fileStarted(doc.sourcePath, index);
    const result = await relabelDocument(ctx, doc, {
      vendor: labels.vendor ?? doc.vendorLabel,
      product: labels.product ?? doc.productLabel,
      version: labels.version ?? doc.versionLabel,
    }, moving, progress);
    progress.fileFinished(result);
    results.push(result);
  }
  progress.finish();
  return results;
}
