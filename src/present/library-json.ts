/**
 * Builds the JSON bodies of the REST API and the CLI's `--json` from the service's types:
 * snake_case names, absolute links into the web UI, and nothing internal (row ids, hashes, server
 * file paths).
 */

import type { z } from 'zod';
import type { PublicLinks } from '../http/links.js';
import { searchPageJson } from './search-json.js';
import type { FileOutcome } from '../ingest/progress.js';
import type { ChunkInfo, ChunkView, DocumentInfo, OutlineWindow, PageView, ReindexResult, SearchResponse, TextWindow } from '../service/library.js';
import type { LibraryTree, Shelves, TreeVersion } from '../service/tree.js';
import type * as R from './schemas.js';

type Body<T extends z.ZodType> = z.input<T>;

export function presentDocument(links: PublicLinks, doc: DocumentInfo): Body<typeof R.DocumentSummary> {
  return {
    doc_id: doc.docId,
    title: doc.title,
    vendor: doc.vendor,
    vendor_label: doc.vendorLabel,
    product: doc.key.product,
    product_label: doc.productLabel,
    version: doc.key.version,
    version_label: doc.versionLabel,
    collection: doc.key.collection,
    document: doc.key.document,
    source_path: doc.sourcePath,
    format: doc.format,
    pages: doc.pageCount,
    chunks: doc.chunkCount,
    converted_at: doc.convertedAt,
    indexed_at: doc.indexedAt,
    ...(doc.origin?.kind === 'url' ? { source_url: doc.originalFile } : {}),
    ...(doc.navigation ? { navigation: doc.navigation } : {}),
    url: links.pageUrl(doc.docId, 1),
  };
}

export function presentChunk(links: PublicLinks, chunk: ChunkInfo, docId: string): Body<typeof R.Chunk> {
  return {
    chunk_id: chunk.id,
    ordinal: chunk.ordinal,
    page: chunk.page,
    page_end: chunk.pageEnd,
    ...(chunk.pageLabel === undefined ? {} : { page_label: chunk.pageLabel }),
    heading_path: chunk.headingPath,
    text: chunk.text,
    ...(chunk.textCut ? { text_cut: true as const } : {}),
    token_count: chunk.tokenCount,
    url: links.chunkUrl(chunk.id),
    context_url: links.pageUrl(docId, chunk.page, chunk.id),
  };
}

export function presentSearch(links: PublicLinks, response: SearchResponse): Body<typeof R.SearchResponse> {
  return searchPageJson(response, links);
}

export function presentChunkView(links: PublicLinks, view: ChunkView): Body<typeof R.ChunkResponse> {
  const docId = view.document.docId;
  return {
    chunk: presentChunk(links, view.chunk, docId),
    document: presentDocument(links, view.document),
    before: view.before.map((chunk) => presentChunk(links, chunk, docId)),
    after: view.after.map((chunk) => presentChunk(links, chunk, docId)),
    ...(view.previousId === undefined ? {} : { previous_id: view.previousId }),
    ...(view.nextId === undefined ? {} : { next_id: view.nextId }),
  };
}

export function presentDocumentWithOutline(links: PublicLinks, doc: DocumentInfo, outline: OutlineWindow): Body<typeof R.DocumentResponse> {
  return {
    document: presentDocument(links, doc),
    outline: outline.entries,
    outline_offset: outline.offset,
    ...(outline.nextOffset === undefined ? {} : { outline_next_offset: outline.nextOffset }),
  };
}

export function presentPage(links: PublicLinks, view: PageView): Body<typeof R.PageResponse> {
  const docId = view.document.docId;
  const { text, chunkWindow } = view;
  return {
    document: presentDocument(links, view.document),
    page: {
      number: view.page.number,
      ...(view.page.label === undefined ? {} : { label: view.page.label }),
      markdown: view.page.markdown,
    },
    start: text.start,
    total_chars: text.total,
    ...(text.nextStart === undefined ? {} : { next_start: text.nextStart }),
    ...(text.previousStart === undefined ? {} : { previous_start: text.previousStart }),
    chunks: view.chunks.map((chunk) => presentChunk(links, chunk, docId)),
    chunks_offset: chunkWindow.start,
    chunks_total: chunkWindow.total,
    ...(chunkWindow.nextStart === undefined ? {} : { next_chunks_offset: chunkWindow.nextStart }),
    ...(chunkWindow.previousStart === undefined ? {} : { previous_chunks_offset: chunkWindow.previousStart }),
    ...(view.previous === undefined ? {} : { previous_page: view.previous }),
    ...(view.next === undefined ? {} : { next_page: view.next }),
    url: links.pageUrl(docId, view.page.number),
  };
}

export function presentTextWindow(links: PublicLinks, window: TextWindow): Body<typeof R.TextWindowResponse> {
  return {
    document: presentDocument(links, window.document),
    start: window.start,
    text: window.text,
    first_page: window.firstPage,
    last_page: window.lastPage,
    total_chars: window.totalChars,
    truncated: window.truncated,
    ...(window.nextStart === undefined ? {} : { next_start: window.nextStart }),
  };
}

/**
 * The tree as JSON. Beyond `documentsListed` documents the versions come without their documents
 * (`documents_omitted`): the API's answer must not grow with the library (110k documents made
 * 44 MB), and the documents of a version are then listed in pages by GET /api/documents. The CLI,
 * printing locally what its user asked for, lists them all.
 */
export function presentTree(tree: LibraryTree | Shelves, documentsListed = Number.POSITIVE_INFINITY): Body<typeof R.LibraryTree> {
  // Shelves (Library.listing past the bound) have no documents to list.
  const listed = tree.documents <= documentsListed && tree.vendors.every((v) => v.products.every((p) => p.versions.every((ver) => 'documents' in ver)));
  return {
    documents: tree.documents,
    ...(listed ? {} : { documents_omitted: true as const }),
    pages: tree.pages,
    chunks: tree.chunks,
    vendors: tree.vendors.map((vendor) => ({
      vendor: vendor.vendor,
      label: vendor.label,
      pages: vendor.pages,
      chunks: vendor.chunks,
      products: vendor.products.map((product) => ({
        product: product.product,
        label: product.label,
        pages: product.pages,
        chunks: product.chunks,
        versions: product.versions.map((version) => ({
          version: version.version,
          label: version.label,
          latest: version.latest,
          pages: version.pages,
          chunks: version.chunks,
          document_count: version.documentCount,
          ...(listed ? { documents: (version as TreeVersion).documents.map((doc) => ({
            doc_id: doc.docId,
            title: doc.title,
            collection: doc.collection,
            document: doc.document,
            source_path: doc.sourcePath,
            format: doc.format,
            pages: doc.pages,
            chunks: doc.chunks,
          })) } : {}),
        })),
      })),
    })),
  };
}

export function presentRemoved(docs: DocumentInfo[]): Body<typeof R.RemoveResult> {
  return {
    removed: docs.map((doc) => ({
      doc_id: doc.docId,
      title: doc.title,
      vendor: doc.vendor,
      product: doc.key.product,
      version: doc.key.version,
      source_path: doc.sourcePath,
    })),
  };
}

/** How one item (file, URL, page) of `mcdewey add` or `refresh` ended, as the CLI's `--json` prints it. */
export function addResultJson(result: FileOutcome): Record<string, unknown> {
  return {
    file: result.file,
    status: result.status,
    ...(result.docId === undefined ? {} : { doc_id: result.docId }),
    ...(result.sourcePath === undefined ? {} : { source_path: result.sourcePath }),
    ...(result.pages === undefined ? {} : { pages: result.pages }),
    ...(result.chunks === undefined ? {} : { chunks: result.chunks }),
    ...(result.embedded === undefined ? {} : { embedded: result.embedded }),
    warnings: result.warnings,
    ...(result.error === undefined ? {} : { error: result.error }),
  };
}

export function reindexResultJson(result: ReindexResult): Record<string, unknown> {
  return {
    reindexed: result.reindexed,
    removed: result.removed,
    failed: result.failed,
    ...(result.damagedIndexMovedTo === undefined ? {} : { damaged_index_moved_to: result.damagedIndexMovedTo }),
  };
}
