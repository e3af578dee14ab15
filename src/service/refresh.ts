/**
 * Refreshing documents from where they came from. Crawled sites are crawled again against their
 * last crawl (ETag / Last-Modified: 304 means unchanged; changed pages are re-ingested, new ones
 * added, pages answering 404/410 removed); single URLs are fetched conditionally; files and
 * folders are read again and compared by content hash (a folder's new files are added, its deleted
 * files removed). Uploads have nothing to re-read and are left as they are.
 */
import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { fetchUrl, type FetchOptionsInput } from '../ingest/sources/web/index.js';
import { discoverSources, type LabelFlags } from '../ingest/sources/discover.js';
import { fileSource, type Source } from '../ingest/sources/source.js';
import { Ingestion, keyForLabels, removeStoredDocument } from '../ingest/pipeline.js';
import type { FileOutcome, IngestProgress } from '../ingest/progress.js';
import type { DocumentLabels } from '../library/model.js';
import { originOf } from '../library/origin.js';
import { LibraryError } from '../library/errors.js';
import { slugify } from '../library/slug.js';
import type { StoredDocument } from '../store/store.js';
import { resolveFilter } from './filters.js';
import { crawlIntoLibrary, fetchedSource, savedCrawlState, siteSettings, type SiteWriterContext } from './web-ingest.js';

export interface RefreshTarget {
  product?: string;
  version?: string;
  /** One source: a site's start URL, a folder, or a document's path or URL. */
  source?: string;
}

export interface RefreshOptions {
  /** Fetch options for single URLs (sites keep the options they were crawled with). */
  fetch?: FetchOptionsInput;
  signal?: AbortSignal;
}

export interface RefreshResult {
  outcomes: FileOutcome[];
  /** Uploaded documents, which have no source to read again. */
  uploads: number;
}

/** The labels a document was filed with, to file its new bytes in the same place. */
function labelsOf(doc: StoredDocument): DocumentLabels {
  return { vendor: doc.vendorLabel, product: doc.productLabel, version: doc.versionLabel, collection: doc.key.collection, document: doc.key.document };
}

function selected(ctx: SiteWriterContext, target: RefreshTarget): StoredDocument[] {
  const docs = resolveFilter(ctx.store, { ...(target.product ? { product: target.product } : {}), ...(target.version ? { version: target.version } : {}) });
  if (target.source === undefined) return docs;
  const wanted = /^https?:\/\//i.test(target.source) ? target.source : path.resolve(target.source);
  const matching = docs.filter((doc) => {
    const origin = originOf(doc);
    if (origin.kind === 'url') return origin.url === wanted || origin.site === wanted || doc.originalFile === wanted;
    if (origin.kind === 'file') return origin.path === wanted || origin.folder === wanted;
    return false;
  });
  if (matching.length === 0) {
    throw new LibraryError('not_found', `no document in the library came from ${target.source}`, 'Give a site\'s start URL, a folder or a file as it was added; `mcdewey list` shows what is there');
  }
  return matching;
}

export async function refreshLibrary(ctx: SiteWriterContext, target: RefreshTarget, progress: IngestProgress, options: RefreshOptions = {}): Promise<RefreshResult> {
  const docs = selected(ctx, target);
  const sites = new Map<string, StoredDocument[]>();
  const folders = new Map<string, StoredDocument[]>();
  const singles: StoredDocument[] = [];
  let uploads = 0;
  for (const doc of docs) {
    const origin = originOf(doc);
    if (origin.kind === 'url' && origin.site) sites.set(origin.site, [...(sites.get(origin.site) ?? []), doc]);
    else if (origin.kind === 'file' && origin.folder && (await ctx.sources.get('folder', origin.folder))) folders.set(origin.folder, [...(folders.get(origin.folder) ?? []), doc]);
    else if (origin.kind === 'upload') uploads += 1;
    else singles.push(doc);
  }
  const outcomes: FileOutcome[] = [];
  const collect = (list: FileOutcome[]) => outcomes.push(...list);

  for (const [site, siteDocs] of sites) {
    if (options.signal?.aborted) break;
    const registered = await ctx.sources.get('site', site);
    const settings = siteSettings(registered?.settings);
    const { document: _document, ...fromDocument } = labelsOf(siteDocs[0]!);
    // The documents' vendor, product and version win over those the site was added with: a
    // re-labelling since then moved its pages, and the refresh must find them where they are.
    const { vendor, product, version } = fromDocument;
    const labels: LabelFlags = settings ? { ...settings.labels, vendor, product, version } : fromDocument;
    const previous = savedCrawlState(registered?.state, site);
    const crawled = await crawlIntoLibrary(ctx, { url: site, labels, crawl: settings?.crawl ?? {} }, progress, {
      ...(options.signal ? { signal: options.signal } : {}),
      ...(previous ? { previous } : {}),
    });
    collect(crawled.outcomes);
  }

  const ingestion = new Ingestion(ctx);
  try {
    for (const [folder, folderDocs] of folders) {
      if (options.signal?.aborted) break;
      collect(await refreshFolder(ctx, ingestion, folder, folderDocs, target, progress, options.signal));
    }
    progress.start(singles.length);
    for (const [index, doc] of singles.entries()) {
      if (options.signal?.aborted) break;
      progress.fileStarted(doc.originalFile, index);
      const outcome = await refreshSingle(ctx, ingestion, doc, progress, options);
      progress.fileFinished(outcome);
      outcomes.push(outcome);
    }
  } finally {
    await ingestion.close();
    progress.finish();
  }
  return { outcomes, uploads };
}

/** A folder is scanned again: changed files are updated, new ones added, deleted ones removed. */
async function refreshFolder(
  ctx: SiteWriterContext, ingestion: Ingestion, folder: string, known: StoredDocument[], target: RefreshTarget, progress: IngestProgress, signal?: AbortSignal,
): Promise<FileOutcome[]> {
  if (!fs.existsSync(folder)) {
    // A folder that is not there (an unmounted disk) is no reason to empty the library.
    return [{ file: folder, status: 'failed', warnings: [], error: `${folder}: the folder is gone; its ${known.length} document(s) were left as they are. Remove them with \`mcdewey remove\` if it is gone for good` }];
  }
  const settings = (await ctx.sources.get('folder', folder))!.settings as { labels?: unknown };
  const parsed = z.record(z.string(), z.string()).safeParse(settings.labels ?? {});
  const flags: LabelFlags = parsed.success ? parsed.data : {};
  const inTarget = (source: Source) => {
    try {
      const { key } = keyForLabels(source.labels);
      return (!target.product || key.product === slugify(target.product, 'product')) && (!target.version || key.version === slugify(target.version, 'version'));
    } catch {
      return true; // labels that make no slug: adding it reports why
    }
  };
  const sources = discoverSources(folder, flags).sources.filter(inTarget);
  const outcomes: FileOutcome[] = [];
  progress.start(sources.length);
  for (const [index, source] of sources.entries()) {
    if (signal?.aborted) return outcomes;
    progress.fileStarted(source.location, index);
    const result = await ingestion.add(source, progress);
    progress.fileFinished(result);
    outcomes.push(result);
  }
  const present = new Set(sources.map((s) => s.location));
  for (const doc of known) {
    const origin = originOf(doc);
    if (origin.kind !== 'file' || present.has(origin.path) || fs.existsSync(origin.path)) continue;
    await removeStoredDocument(ctx, doc);
    const outcome: FileOutcome = { file: origin.path, status: 'removed', docId: doc.docId, sourcePath: doc.sourcePath, warnings: ['the file was deleted from its folder'] };
    progress.fileFinished(outcome);
    outcomes.push(outcome);
  }
  return outcomes;
}

async function refreshSingle(ctx: SiteWriterContext, ingestion: Ingestion, doc: StoredDocument, progress: IngestProgress, options: RefreshOptions): Promise<FileOutcome> {
  const origin = originOf(doc);
  const file = origin.kind === 'url' ? origin.url : doc.originalFile;
  try {
    if (origin.kind === 'file') {
      if (!fs.existsSync(origin.path)) {
        return { file, status: 'failed', warnings: [], error: `${origin.path}: the file is gone. Remove the document with \`mcdewey remove ${doc.key.product} ${doc.key.version} ${doc.key.document}\`, or put the file back` };
      }
      return await ingestion.add({ ...fileSource(origin.path, labelsOf(doc)), location: doc.originalFile }, progress);
    }
    if (origin.kind !== 'url') return { file, status: 'unchanged', warnings: [] };
    const previous = { ...(origin.etag ? { etag: origin.etag } : {}), ...(origin.lastModified ? { lastModified: origin.lastModified } : {}), contentHash: doc.contentHash };
    const fetched = await fetchUrl(origin.url, options.fetch, { previous, ...(options.signal ? { signal: options.signal } : {}) });
    if (fetched.type === 'unchanged') return { file, status: 'unchanged', docId: doc.docId, sourcePath: doc.sourcePath, warnings: [] };
    if (fetched.type === 'gone') {
      await removeStoredDocument(ctx, doc);
      return { file, status: 'removed', docId: doc.docId, sourcePath: doc.sourcePath, warnings: [`the URL answers ${fetched.status}`] };
    }
    const labels = labelsOf(doc);
    return await ingestion.add(fetchedSource(fetched.resource, doc.originalFile, { collection: labels.collection, document: labels.document }, labels), progress);
  } catch (error) {
    return { file, status: 'failed', warnings: [], error: (error as Error).message };
  }
}
