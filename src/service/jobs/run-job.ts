/**
 * Runs one job's request against the library: the same use cases the CLI called directly before
 * jobs existed, with the job's progress, cancellation signal and checkpoint. Every kind can run
 * again after an interruption: adding is idempotent (identical bytes are unchanged) and a crawl
 * continues from its checkpoint, so a resumed job finishes the work instead of repeating it.
 */
import path from 'node:path';
import type { FileOutcome, IngestProgress } from '../../ingest/progress.js';
import type { CrawlState } from '../../ingest/sources/web/index.js';
import { LibraryError } from '../../library/errors.js';
import { resolveInside } from '../../library/paths.js';
import { slugify } from '../../library/slug.js';
import type { Library } from '../library.js';
import { savedCrawlState } from '../web-ingest.js';
import type { JobRequest } from './job-request.js';

export interface JobRun {
  library: Library;
  progress: IngestProgress;
  signal: AbortSignal;
  /** What an earlier, interrupted run of this job saved. */
  checkpoint?: unknown;
  saveCheckpoint(value: unknown): void;
}

export interface JobOutcome {
  status: 'done' | 'failed' | 'cancelled';
  /** One line for people: what the job did, or why it failed. */
  summary: string;
  error?: string;
  details?: Record<string, unknown>;
}

function counted(outcomes: readonly Pick<FileOutcome, 'status'>[]): string {
  const counts = new Map<string, number>();
  for (const outcome of outcomes) counts.set(outcome.status, (counts.get(outcome.status) ?? 0) + 1);
  const parts = ['added', 'updated', 'relabelled', 'unchanged', 'removed', 'reindexed', 'failed'].flatMap((status) => {
    const n = counts.get(status);
    return n ? [`${n} ${status}`] : [];
  });
  return parts.length > 0 ? parts.join(', ') : 'nothing to do';
}

/** A job whose every item failed has failed; one with some failures is done, its errors listed per item. */
function outcomeOf(outcomes: readonly FileOutcome[], signal: AbortSignal, details?: Record<string, unknown>, extra = ''): JobOutcome {
  const summary = `${counted(outcomes)}${extra}`;
  if (signal.aborted) return { status: 'cancelled', summary: `cancelled: ${summary}`, ...(details ? { details } : {}) };
  const failed = outcomes.filter((o) => o.status === 'failed');
  if (outcomes.length > 0 && failed.length === outcomes.length) {
    return { status: 'failed', summary, error: failed.length === 1 ? failed[0]!.error ?? 'failed' : `all ${failed.length} items failed; the first: ${failed[0]!.error}`, ...(details ? { details } : {}) };
  }
  return { status: 'done', summary, ...(details ? { details } : {}) };
}

export async function runJobRequest(request: JobRequest, run: JobRun): Promise<JobOutcome> {
  const { library, progress, signal } = run;
  const replace = 'replace' in request && request.replace ? { replace: true } : {};
  switch (request.kind) {
    case 'add-paths':
      return outcomeOf(await library.addPaths(request.paths, request.labels, progress, { ...replace, signal, ...(request.followLinks ? { followLinks: true } : {}) }), signal);
    case 'add-upload': {
      const sources = request.files.flatMap(({ staged, name }) => {
        const file = resolveInside(library.dir.uploadsDir, path.relative(library.dir.uploadsDir, staged));
        // Labelled with the client's name ("C++ Guide"), not the staged copy's slug, so that two names
        // making one slug are told apart (unless the request names the document).
        const labels = request.labels.document === undefined && uploadLabel(name) !== undefined ? { ...request.labels, document: uploadLabel(name)! } : request.labels;
        return library.plan([file], labels).map((source) => ({ ...source, name, origin: { kind: 'upload' as const, name }, location: name }));
      });
      const results = await library.add(sources, progress, { ...replace, signal });
      // Kept whole (they are few): a client waiting on an upload gets each file's outcome with its error code.
      return outcomeOf(results, signal, { results });
    }
    case 'add-url': {
      const result = await library.addUrl({ url: request.url, labels: request.labels, ...replace, fetch: request.fetch }, progress, signal);
      return outcomeOf([result], signal, result.docId ? { documents: [result.docId] } : undefined);
    }
    case 'add-site': {
      const resume = savedCrawlState(run.checkpoint, request.url);
      const site = await library.addSite({ url: request.url, labels: request.labels, ...replace, crawl: request.crawl }, progress, {
        signal,
        ...(resume ? { resume } : {}),
        checkpoint: (state: CrawlState) => run.saveCheckpoint(state),
      });
      const { counts, pagesFetched } = site.summary;
      const extra = `; ${pagesFetched} page request(s), ${counts.skipped} skipped${site.stopped ? `; ${site.stopped}` : ''}`;
      return outcomeOf(site.outcomes, signal, { crawl: { status: site.summary.status, pages_fetched: pagesFetched, skipped: counts.skipped, ...(site.stopped ? { stopped: site.stopped } : {}) } }, extra);
    }
    case 'refresh': {
      const target = {
        ...(request.product ? { product: request.product } : {}),
        ...(request.version ? { version: request.version } : {}),
        ...(request.source ? { source: request.source } : {}),
      };
      const refreshed = await library.refresh(target, progress, { fetch: request.fetch, signal });
      const extra = refreshed.uploads > 0 ? `; ${refreshed.uploads} uploaded document(s) have no source to refresh` : '';
      return outcomeOf(refreshed.outcomes, signal, undefined, extra);
    }
    case 'reindex': {
      const result = await library.reindex(progress);
      const outcomes: FileOutcome[] = [
        ...Array.from({ length: result.reindexed }, () => ({ file: '', status: 'reindexed' as const, warnings: [] })),
        ...result.failed.map((f) => ({ file: f.file, status: 'failed' as const, warnings: [], error: f.error })),
      ];
      return outcomeOf(outcomes, signal, { ...result }, `; ${result.removed} index entr${result.removed === 1 ? 'y' : 'ies'} without a file removed`);
    }
    case 'relabel': {
      const target = { product: request.product, ...(request.version ? { version: request.version } : {}) };
      // Recorded before anything changes, so that a resumed run knows an earlier one may have
      // finished the change and died before the job was marked done.
      const resumed = isRelabelCheckpoint(run.checkpoint);
      run.saveCheckpoint(RELABEL_STARTED);
      try {
        return outcomeOf(await library.relabel(target, request.labels, progress, signal), signal);
      } catch (error) {
        if (resumed && error instanceof LibraryError && error.code === 'not_found' && relabelApplied(library, target, request.labels)) {
          return { status: 'done', summary: `already re-labelled: nothing is filed under ${describe(target)} any more, and ${describe(relabelledTarget(target, request.labels))} holds its documents` };
        }
        throw error;
      }
    }
  }
}

const RELABEL_STARTED = { relabel: 'started' } as const;

function isRelabelCheckpoint(checkpoint: unknown): boolean {
  return typeof checkpoint === 'object' && checkpoint !== null && (checkpoint as { relabel?: unknown }).relabel === 'started';
}

/** Where a re-labelling files the target's documents: the new labels' slugs where it changes them. */
function relabelledTarget(target: { product: string; version?: string }, labels: { product?: string; version?: string }): { product: string; version?: string } {
  const product = labels.product === undefined ? target.product : slugify(labels.product, 'product');
  const version = labels.version === undefined ? target.version : slugify(labels.version, 'version');
  return version === undefined ? { product } : { product, version };
}

/** True when the new labels' product (and version) holds documents: the change an interrupted run made. */
function relabelApplied(library: Library, target: { product: string; version?: string }, labels: { product?: string; version?: string }): boolean {
  try {
    return library.documents(relabelledTarget(target, labels)).length > 0;
  } catch (error) {
    if (error instanceof LibraryError && error.code === 'not_found') return false;
    throw error;
  }
}

function describe(target: { product: string; version?: string }): string {
  return target.version === undefined ? target.product : `${target.product} ${target.version}`;
}

/** The document label an upload's name gives (its stem), when that has something to make a slug from. */
function uploadLabel(name: string): string | undefined {
  const stem = name.replace(/\.[a-z0-9]+$/i, '');
  try {
    slugify(stem, 'file name');
    return stem;
  } catch {
    return undefined;
  }
}
