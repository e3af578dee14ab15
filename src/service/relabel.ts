/**
 * Re-labelling a product or one version of it: its vendor, its product label, its version label.
 * In an embedded library each document is re-filed on its own (see ingest/relabel.ts), so a large
 * product is a job that can be resumed; a label whose slug changes moves the documents to their
 * new ids. In PostgreSQL the whole re-labelling is one transaction (see scale-out/node-relabel.ts).
 */
import { relabelDocument, type RelabelContext } from '../ingest/relabel.js';
import type { AddResult } from '../ingest/pipeline.js';
import type { IngestProgress } from '../ingest/progress.js';
import type { DocumentLabels } from '../library/model.js';
import { LibraryError } from '../library/errors.js';
import type { CatalogStore, StoredDocument } from '../store/store.js';
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

/** One document to re-label, and the vendor, product and version labels it gets. */
export interface RelabelStep {
  doc: StoredDocument;
  labels: Pick<DocumentLabels, 'vendor' | 'product' | 'version'>;
}

/** What a re-labelling changes, document by document; refuses a request that changes nothing or would merge versions. */
export function relabelPlan(store: CatalogStore, target: RelabelTarget, labels: NewLabels): RelabelStep[] {
  if (!labels.vendor && !labels.product && !labels.version) {
    throw new LibraryError('invalid_input', 'nothing to re-label: no new vendor, product or version label was given', 'Give at least one of the new labels');
  }
  if (labels.version && !target.version) {
    throw new LibraryError('invalid_input', `a new version label needs the version it replaces: every version of ${target.product} would get the same one`, 'Name the version to re-label');
  }
  return resolveFilter(store, target).map((doc) => ({
    doc,
    labels: { vendor: labels.vendor ?? doc.vendorLabel, product: labels.product ?? doc.productLabel, version: labels.version ?? doc.versionLabel },
  }));
}

export async function relabelLibrary(ctx: RelabelContext, plan: readonly RelabelStep[], progress: IngestProgress, signal?: AbortSignal): Promise<AddResult[]> {
  const moving = new Set(plan.map((step) => step.doc.docId));
  const results: AddResult[] = [];
  progress.start(plan.length);
  for (const [index, { doc, labels }] of plan.entries()) {
    if (signal?.aborted) break;
    progress.fileStarted(doc.sourcePath, index);
    const result = await relabelDocument(ctx, doc, labels, moving, progress);
    progress.fileFinished(result);
    results.push(result);
  }
  progress.finish();
  return results;
}
