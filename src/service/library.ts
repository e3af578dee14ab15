import fs from 'node:fs';
import type { Config } from '../config/config.js';
import type { Embedder, EmbedderIdentity } from '../embed/embedder.js';
import { createEmbedder, parseEmbedderSpec } from '../embed/factory.js';
import type { Page } from '../library/model.js';
import { dataDirAt, type DataDir } from '../library/data-dir.js';
import { parseChunkId, parseDocumentId } from '../library/ids.js';
import { pageMarker, parseDocumentFile } from '../library/document-file.js';
import { documentFilePath, resolveInside } from '../library/paths.js';
import { listDocumentFiles, removeDocumentFile, sha256 } from '../library/library-files.js';
import { slugify } from '../library/slug.js';
import { SqliteStore } from '../store/sqlite/sqlite-store.js';
import type { LibraryStore, StoredChunk, StoredDocument } from '../store/store.js';
import { SearchService, type SearchRequest, type SearchResponse } from '../search/search-service.js';
import { addSources, type AddResult } from '../ingest/pipeline.js';
import { prepareChunks } from '../ingest/indexer.js';
import { discoverSources, type LabelFlags, type SourceFile } from '../ingest/sources/discover.js';
import { silentProgress, type IngestProgress } from '../ingest/progress.js';
import { LibraryError } from './errors.js';
import { buildTree, type LibraryTree } from './tree.js';

/**
 * The service layer: the only thing the CLI, the web UI, the REST API and MCP call. It owns the
 * data directory, the store and the embedder, and speaks in domain terms, never SQL or HTTP.
 */
export type OpenMode =
  /** Searching and browsing. */
  | 'read'
  /** Adding or removing documents. */
  | 'write'
  /** Rebuilding the index, possibly with another embedder. */
  | 'reindex';

export interface ChunkView {
  chunk: StoredChunk;
  document: StoredDocument;
  before: StoredChunk[];
  after: StoredChunk[];
  /** Ids of the chunks just outside the returned window, for paging through a document. */
  previousId?: string;
  nextId?: string;
}

export interface PageView {
  document: StoredDocument;
  page: Page;
  chunks: StoredChunk[];
  previous?: number;
  next?: number;
}

export interface OutlineEntry { level: number; text: string; page: number }

/** A window of a document's Markdown, for readers that page through long documents. */
export interface TextWindow {
  document: StoredDocument;
  /** Character offset of `text` in the whole document text. */
  start: number;
  text: string;
  /** Pages that the window touches. */
  firstPage: number;
  lastPage: number;
  totalChars: number;
  truncated: boolean;
  /** Where the next window starts, when truncated. */
  nextStart?: number;
}

export interface RemoveTarget { product: string; version?: string; collection?: string; document?: string }

export interface ReindexResult { reindexed: number; removed: number; failed: { file: string; error: string }[] }

export class Library {
  private search_: SearchService | undefined;
  private embedderReady: Promise<Embedder | null> | undefined;

  private constructor(
    readonly dir: DataDir,
    readonly store: LibraryStore,
    private readonly embedder_: Embedder | null,
    private readonly mode: OpenMode,
  ) {}

  static async open(config: Pick<Config, 'data' | 'embedder' | 'embedderApiKey'>, mode: OpenMode = 'read'): Promise<Library> {
    const dir = dataDirAt(config.data);
    const embedderConfig = parseEmbedderSpec(config.embedder, config.embedderApiKey === undefined ? {} : { apiKey: config.embedderApiKey });
    const embedder = createEmbedder(embedderConfig);
    const store = new SqliteStore(dir.indexFile);
    const library = new Library(dir, store, embedder, mode);
    try {
      library.checkEmbedderName();
    } catch (error) {
      store.close();
      await embedder?.close();
      throw error;
    }
    return library;
  }

  /** Human-readable name of the embedder searches use, or null for lexical only. */
  get embedderName(): string | null {
    return this.embedder_?.name ?? null;
  }

  /**
   * An index remembers the embedder that built it. Another one would compare vectors from two
   * different spaces, so it is refused with the command that fixes it. Searching a vector index
   * with no embedder is allowed: that is plain lexical search.
   */
  private checkEmbedderName(): void {
    if (this.mode === 'reindex') return;
    const recorded = this.store.embedderIdentity();
    if (recorded === undefined || this.store.counts().documents === 0) return;
    const wanted = this.embedder_?.name ?? null;
    const built = recorded?.name ?? null;
    if (wanted === built) return;
    if (wanted === null && this.mode === 'read') return;
    throw mismatch(recorded, wanted);
  }

  /** The embedder, initialised on first use (loading a model takes seconds). */
  private async readyEmbedder(): Promise<Embedder | null> {
    this.embedderReady ??= (async () => {
      const embedder = this.embedder_;
      if (!embedder) {
        if (this.mode !== 'read' || this.store.embedderIdentity() === undefined) this.recordIdentity(null);
        return null;
      }
      await embedder.init();
      const identity = { name: embedder.name, dimensions: embedder.dimensions };
      const recorded = this.store.embedderIdentity();
      if (recorded && recorded.name === identity.name && recorded.dimensions !== identity.dimensions && this.mode !== 'reindex') {
        throw mismatch(recorded, `${identity.name} (${identity.dimensions} dimensions)`);
      }
      if (this.mode !== 'read' || recorded === undefined) this.recordIdentity(identity);
      return embedder;
    })();
    return this.embedderReady;
  }

  private recordIdentity(identity: EmbedderIdentity | null): void {
    const recorded = this.store.embedderIdentity();
    if (recorded === undefined || recorded?.name !== identity?.name || recorded?.dimensions !== identity?.dimensions) {
      this.store.setEmbedderIdentity(identity);
    }
  }

  private async searchService(): Promise<SearchService> {
    if (!this.search_) {
      const recorded = this.store.embedderIdentity();
      // A library indexed without vectors can only be searched lexically, whatever is configured.
      const embedder = recorded === null ? null : await this.readyEmbedder();
      this.search_ ??= new SearchService(this.store, embedder);
    }
    return this.search_;
  }

  // ---- ingestion ----------------------------------------------------------------------------

  /** Files that `add` would ingest, with their labels, without touching the library. */
  plan(inputs: string[], flags: LabelFlags = {}): SourceFile[] {
    return inputs.flatMap((input) => discoverSources(input, flags));
  }

  async add(sources: SourceFile[], progress: IngestProgress = silentProgress): Promise<AddResult[]> {
    this.requireWritable();
    const embedder = await this.readyEmbedder();
    return addSources({ dir: this.dir, store: this.store, embedder }, sources, progress);
  }

  async remove(target: RemoveTarget): Promise<StoredDocument[]> {
    this.requireWritable();
    const filter = {
      product: slugOrThrow(target.product, 'product'),
      ...(target.version === undefined ? {} : { version: slugOrThrow(target.version, 'version') }),
      ...(target.collection === undefined ? {} : { collection: slugOrThrow(target.collection, 'collection') }),
      ...(target.document === undefined ? {} : { document: slugOrThrow(target.document, 'document') }),
    };
    const docs = this.store.documents(filter);
    if (docs.length === 0) {
      const what = [target.product, target.version, target.collection, target.document].filter(Boolean).join(' ');
      throw new LibraryError('not_found', `nothing in the library matches "${what}"`, 'See what is there with `mcdewey list`');
    }
    for (const doc of docs) {
      // Index first: a crash in between leaves an orphan file, which reindex picks up again.
      this.store.removeDocument(doc.docId);
      removeDocumentFile(this.dir, doc.key);
    }
    return docs;
  }

  /**
   * Rebuilds the index from the Markdown tree: every file is re-chunked and re-indexed (vectors of
   * unchanged text are reused unless the embedder changed) and index entries without a file go.
   */
  async reindex(progress: IngestProgress = silentProgress): Promise<ReindexResult> {
    const recorded = this.store.embedderIdentity();
    const wanted = this.embedder_?.name ?? null;
    if (recorded !== undefined && (recorded?.name ?? null) !== wanted) this.store.setEmbedderIdentity(null);
    const embedder = await this.readyEmbedder();
    this.recordIdentity(embedder ? { name: embedder.name, dimensions: embedder.dimensions } : null);
    const files = listDocumentFiles(this.dir);
    const result: ReindexResult = { reindexed: 0, removed: 0, failed: [] };
    const seen = new Set<string>();
    progress.start(files.length);
    for (const [index, relative] of files.entries()) {
      const file = resolveInside(this.dir.libraryDir, relative);
      progress.fileStarted(file, index);
      try {
        const text = fs.readFileSync(file, 'utf8');
        const { meta, pages } = parseDocumentFile(text, relative);
        if (documentFilePath(this.dir.libraryDir, meta.key) !== file) {
          throw new Error(`front matter names ${meta.sourcePath}, but the file is at ${relative}`);
        }
        const chunks = await prepareChunks(meta, pages, this.store, embedder, ({ done, total }) => progress.embedding(file, done, total));
        this.store.replaceDocument(meta, sha256(text), pages, chunks);
        seen.add(meta.sourcePath);
        result.reindexed++;
        progress.fileFinished({ file, status: 'updated', warnings: [], pages: pages.length, chunks: chunks.length });
      } catch (error) {
        result.failed.push({ file, error: (error as Error).message });
        progress.fileFinished({ file, status: 'failed', warnings: [], error: (error as Error).message });
      }
    }
    for (const doc of this.store.documents()) {
      if (!seen.has(doc.sourcePath) && !result.failed.some((f) => f.file.endsWith(doc.sourcePath))) {
        this.store.removeDocument(doc.docId);
        result.removed++;
      }
    }
    progress.finish();
    return result;
  }

  /** Differences between the Markdown tree and the index (empty when they agree). */
  verify(): string[] {
    const problems = this.store.integrityProblems();
    const files = new Set(listDocumentFiles(this.dir));
    for (const doc of this.store.documents()) {
      if (!files.delete(doc.sourcePath)) {
        problems.push(`${doc.sourcePath} is indexed but its file is missing`);
        continue;
      }
      const text = fs.readFileSync(resolveInside(this.dir.libraryDir, doc.sourcePath), 'utf8');
      if (sha256(text) !== doc.markdownHash) problems.push(`${doc.sourcePath} changed on disk since it was indexed`);
    }
    for (const file of files) problems.push(`${file} is on disk but not indexed`);
    return problems;
  }

  private requireWritable(): void {
    if (this.mode === 'read') throw new Error('library opened read-only');
  }

  // ---- reading -----------------------------------------------------------------------------

  async search(request: SearchRequest): Promise<SearchResponse> {
    return (await this.searchService()).search(request);
  }

  /** Ranked rowids only (for evaluation). */
  async rank(query: string, mode: 'hybrid' | 'lexical' | 'vector', depth: number) {
    return (await this.searchService()).rank(query, mode, depth);
  }

  tree(): LibraryTree {
    return buildTree(this.store.documents());
  }

  documents(): StoredDocument[] {
    return this.store.documents();
  }

  document(docId: string): StoredDocument {
    const key = parseDocumentId(docId);
    const doc = key && this.store.document(docId);
    if (!doc) {
      throw new LibraryError('not_found', `no document "${docId}"`, 'Document ids look like finesse::v12.5::developer-guide::developer-guide; see `mcdewey list`');
    }
    return doc;
  }

  chunk(chunkId: string, window: { before?: number; after?: number } = {}): ChunkView {
    if (!parseChunkId(chunkId)) {
      throw new LibraryError('invalid_input', `"${chunkId.slice(0, 200)}" is not a chunk id`, 'Chunk ids look like finesse::v12.5::developer-guide::developer-guide::43');
    }
    const chunk = this.store.chunk(chunkId);
    if (!chunk) throw new LibraryError('not_found', `no chunk "${chunkId}" in the library`, 'It may have been removed or re-indexed; search again');
    const document = this.store.documentByRowid(chunk.docRowid)!;
    const before = Math.min(Math.max(0, window.before ?? 1), 20);
    const after = Math.min(Math.max(0, window.after ?? 1), 20);
    const around = this.store.chunksByOrdinal(chunk.docRowid, chunk.ordinal - before - 1, chunk.ordinal + after + 1);
    const view: ChunkView = {
      chunk,
      document,
      before: around.filter((c) => c.ordinal < chunk.ordinal && c.ordinal >= chunk.ordinal - before),
      after: around.filter((c) => c.ordinal > chunk.ordinal && c.ordinal <= chunk.ordinal + after),
    };
    const previous = around.find((c) => c.ordinal === chunk.ordinal - before - 1);
    const next = around.find((c) => c.ordinal === chunk.ordinal + after + 1);
    if (previous) view.previousId = previous.id;
    if (next) view.nextId = next.id;
    return view;
  }

  page(docId: string, number: number): PageView {
    const document = this.document(docId);
    const page = Number.isInteger(number) ? this.store.page(document.rowid, number) : undefined;
    if (!page) {
      throw new LibraryError('not_found', `${docId} has no page ${number}`, `Pages run from 1 to ${document.pageCount}`);
    }
    const view: PageView = { document, page, chunks: this.store.chunksOnPage(document.rowid, number) };
    if (number > 1) view.previous = number - 1;
    if (number < document.pageCount) view.next = number + 1;
    return view;
  }

  /**
   * A window of the document as Markdown with its page markers, starting at `start` (or at
   * `page`), at most `maxChars` long, cut at a line end where possible.
   */
  textWindow(docId: string, options: { start?: number; page?: number; maxChars?: number } = {}): TextWindow {
    const document = this.document(docId);
    const pages = this.store.pages(document.rowid);
    const parts: { page: number; offset: number; text: string }[] = [];
    let offset = 0;
    for (const page of pages) {
      const text = `${pageMarker(page)}\n${page.markdown}\n\n`;
      parts.push({ page: page.number, offset, text });
      offset += text.length;
    }
    const full = parts.map((p) => p.text).join('');
    const maxChars = Math.min(Math.max(200, options.maxChars ?? 8000), 50_000);
    let start = Math.max(0, Math.min(options.start ?? 0, full.length));
    if (options.page !== undefined) {
      const at = parts.find((p) => p.page === options.page);
      if (!at) throw new LibraryError('not_found', `${docId} has no page ${options.page}`, `Pages run from 1 to ${document.pageCount}`);
      start = at.offset;
    }
    let end = Math.min(full.length, start + maxChars);
    if (end < full.length) {
      const lineEnd = full.lastIndexOf('\n', end);
      if (lineEnd > start + maxChars / 2) end = lineEnd + 1;
    }
    const pageAt = (position: number) => [...parts].reverse().find((p) => p.offset <= position)?.page ?? 1;
    const window: TextWindow = {
      document, start, text: full.slice(start, end), firstPage: pageAt(start), lastPage: pageAt(Math.max(start, end - 1)),
      totalChars: full.length, truncated: end < full.length,
    };
    if (window.truncated) window.nextStart = end;
    return window;
  }

  /** The document's heading outline, from its pages' Markdown headings. */
  outline(docId: string): OutlineEntry[] {
    const document = this.document(docId);
    const entries: OutlineEntry[] = [];
    let inCode = false;
    for (const page of this.store.pages(document.rowid)) {
      for (const line of page.markdown.split('\n')) {
        if (/^(```|~~~)/.test(line)) inCode = !inCode;
        const heading = !inCode && /^(#{1,6})\s+(.+?)\s*#*\s*$/.exec(line);
        if (heading) entries.push({ level: heading[1]!.length, text: heading[2]!, page: page.number });
      }
    }
    return entries;
  }

  async close(): Promise<void> {
    this.store.close();
    await this.embedder_?.close();
  }
}

function slugOrThrow(value: string, field: string): string {
  try {
    return slugify(value, field);
  } catch (error) {
    throw new LibraryError('invalid_input', (error as Error).message);
  }
}

function mismatch(recorded: EmbedderIdentity | null, wanted: string | null): LibraryError {
  const built = recorded ? `${recorded.name} (${recorded.dimensions} dimensions)` : 'no embedder (lexical only)';
  const fix = wanted ?? 'none';
  return new LibraryError(
    'embedder_mismatch',
    `this library's index was built with ${built}, but the configured embedder is ${wanted ?? 'none'}`,
    `Run \`mcdewey reindex --embedder ${fix}\` to rebuild the vectors with it, or use --embedder ${recorded?.name ?? 'none'}`,
  );
}
