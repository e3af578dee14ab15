/**
 * The JSON shapes McDewey answers with, on the REST API and in the CLI's `--json`. They are the
 * public contract: the presenters in `library-json.ts` and `search-json.ts` build exactly these
 * objects from the service's types, and the OpenAPI document is generated from them (every schema
 * registered here becomes a named component).
 */

import { z } from 'zod';
import { SearchHitJson, SearchPageJson } from './search-json.js';

export const responseSchemas = z.registry<{ id: string }>();

const count = z.int().min(0);
const pageNumber = z.int().min(1);

/** Vendor, product and version of a document: slug and label as typed, shared by several shapes. */
const labelFields = {
  vendor: z.string(),
  vendor_label: z.string(),
  product: z.string(),
  product_label: z.string(),
  version: z.string(),
  version_label: z.string(),
};

export const ErrorResponse = z
  .object({
    error: z.object({
      code: z.string().describe('Stable machine-readable code, e.g. invalid_input, not_found, unauthorized'),
      message: z.string().describe('What failed, on which input'),
      hint: z.string().optional().describe('What to do next'),
    }),
  })
  .register(responseSchemas, { id: 'ErrorResponse' });

export const DocumentSummary = z
  .object({
    doc_id: z.string(),
    title: z.string(),
    ...labelFields,
    collection: z.string(),
    document: z.string(),
    source_path: z.string().describe('<product>/<version>/<collection>/<document>.md in the library'),
    format: z.enum(['pdf', 'html', 'markdown', 'text']),
    pages: count,
    chunks: count,
    converted_at: z.string(),
    indexed_at: z.string(),
    source_url: z.string().optional().describe('The web address the document was added from (as given, fragment kept), for documents from a URL or a site'),
    navigation: z.object({ order: count, trail: z.array(z.string()) }).optional()
      .describe('Place in the collection\'s reading order (docs sites, folder trees): position and the sections above it'),
    url: z.string().describe('The document in the web viewer'),
  })
  .register(responseSchemas, { id: 'DocumentSummary' });

export const Chunk = z
  .object({
    chunk_id: z.string(),
    ordinal: count,
    page: pageNumber.describe('Physical page the chunk starts on'),
    page_end: pageNumber,
    page_label: z.string().optional().describe('Printed page label, where the PDF has one'),
    heading_path: z.array(z.string()),
    text: z.string(),
    text_cut: z.literal(true).optional().describe('The text was cut to the longest chunk served (a chunk indexed before chunks were bounded; re-index to split it)'),
    token_count: count,
    url: z.string().describe('The chunk page in the web UI (what to cite)'),
    context_url: z.string().describe('The document viewer at the chunk\'s page, chunk highlighted'),
  })
  .register(responseSchemas, { id: 'Chunk' });

export const SearchHit = SearchHitJson.register(responseSchemas, { id: 'SearchHit' });

export const SearchResponse = SearchPageJson.extend({ hits: z.array(SearchHit) }).register(responseSchemas, { id: 'SearchResponse' });

export const ChunkResponse = z
  .object({
    chunk: Chunk,
    document: DocumentSummary,
    before: z.array(Chunk),
    after: z.array(Chunk),
    previous_id: z.string().optional().describe('The chunk just before the window'),
    next_id: z.string().optional().describe('The chunk just after the window'),
  })
  .register(responseSchemas, { id: 'ChunkResponse' });

export const DocumentList = z
  .object({
    documents: z.array(DocumentSummary),
    next_offset: count.optional().describe('Pass as offset for more documents; absent at the end of the list'),
  })
  .register(responseSchemas, { id: 'DocumentList' });

export const DocumentResponse = z
  .object({
    document: DocumentSummary,
    outline: z.array(z.object({ level: z.int().min(1).max(6), text: z.string(), page: pageNumber })).describe('A window of the heading outline'),
    outline_offset: count.describe('Position of the first outline entry in the whole outline'),
    outline_next_offset: count.optional().describe('Pass as outline_offset for more of the outline; absent at its end'),
  })
  .register(responseSchemas, { id: 'DocumentResponse' });

export const PageResponse = z
  .object({
    document: DocumentSummary,
    page: z.object({ number: pageNumber, label: z.string().optional(), markdown: z.string().describe('A window of the page\'s Markdown') }),
    start: count.describe('Character offset of markdown in the page'),
    total_chars: count.describe('Characters in the whole page'),
    next_start: count.optional().describe('Pass as start for more of this page; absent at its end'),
    previous_start: count.optional(),
    chunks: z.array(Chunk).describe('A window of the chunks on this page, in order'),
    chunks_offset: count.describe('Position of the first listed chunk among the page\'s chunks'),
    chunks_total: count.describe('Chunks on the whole page'),
    next_chunks_offset: count.optional().describe('Pass as chunks_offset for more of this page\'s chunks'),
    previous_chunks_offset: count.optional(),
    previous_page: pageNumber.optional(),
    next_page: pageNumber.optional(),
    url: z.string(),
  })
  .register(responseSchemas, { id: 'PageResponse' });

export const TextWindowResponse = z
  .object({
    document: DocumentSummary,
    start: count.describe('Character offset of text in the whole document'),
    text: z.string().describe('Markdown with <!-- page N --> markers'),
    first_page: pageNumber,
    last_page: pageNumber,
    total_chars: count,
    truncated: z.boolean(),
    next_start: count.optional().describe('Pass as start for the next window; absent at the end'),
  })
  .register(responseSchemas, { id: 'TextWindowResponse' });

const totals = { pages: count, chunks: count };
const TreeVersion = z.object({
  version: z.string(),
  label: z.string(),
  latest: z.boolean(),
  ...totals,
  document_count: count,
  documents: z.array(
    z.object({
      doc_id: z.string(),
      title: z.string(),
      collection: z.string(),
      document: z.string(),
      source_path: z.string(),
      format: z.string(),
      ...totals,
    }),
  ).optional().describe('Absent when the tree holds more documents than it lists (documents_omitted): list them with GET /api/documents?product=&version='),
});
const TreeProduct = z.object({ product: z.string(), label: z.string(), ...totals, versions: z.array(TreeVersion) });
const TreeVendor = z.object({ vendor: z.string(), label: z.string(), ...totals, products: z.array(TreeProduct) });

export const LibraryTree = z
  .object({
    vendors: z.array(TreeVendor),
    documents: count,
    documents_omitted: z.literal(true).optional().describe('The tree holds more documents than it lists at once: versions come without their documents'),
    ...totals,
  })
  .register(responseSchemas, { id: 'LibraryTree' });

export const StoreStatus = z
  .object({
    engine: z.literal('postgres'),
    store: z.string().describe('The store of record, its password removed'),
    position: count.describe("The change-log position this node's replica reflects"),
    store_position: count.nullable().describe("The store's change-log position; null when PostgreSQL cannot be reached"),
    caught_up: z.boolean().describe('Whether this node shows every committed change'),
    listening: z.boolean().describe('Whether change notifications arrive (false: the node polls)'),
    started_from: z.enum(['snapshot', 'rebuild', 'replica']).describe('How the node built its replica at start'),
    error: z.string().optional().describe('The last failure to reach the store, while it lasts'),
  })
  .register(responseSchemas, { id: 'StoreStatus' });

export const Health = z
  .object({
    status: z.enum(['ok', 'degraded']).describe('degraded: the server answers, but from a partial library (see notices)'),
    notices: z.array(z.string()).describe('What is wrong with the library as a whole, e.g. an index a re-index could not complete; empty when all is well'),
    version: z.string().describe('McDewey version'),
    documents: count,
    chunks: count,
    embedder: z.string().nullable().describe('Embedder used for vector search; null means lexical search only'),
    store: StoreStatus.optional().describe('Where this node stands against a shared PostgreSQL store (absent for an embedded library)'),
  })
  .register(responseSchemas, { id: 'Health' });

export const Readiness = z
  .object({
    ready: z.boolean().describe('Whether this node should receive traffic: it is caught up with the store of record'),
    store: StoreStatus.optional(),
  })
  .register(responseSchemas, { id: 'Readiness' });

export const UploadResult = z
  .object({
    status: z.enum(['added', 'updated', 'relabelled', 'unchanged', 'failed']),
    file: z.string().describe('The uploaded file name'),
    doc_id: z.string().optional(),
    source_path: z.string().optional(),
    pages: count.optional(),
    chunks: count.optional(),
    embedded: count.optional().describe('Chunks whose vectors were computed (others were reused)'),
    warnings: z.array(z.string()),
    error: ErrorResponse.shape.error.optional().describe('Why ingestion failed (status failed only)'),
    document: DocumentSummary.optional(),
  })
  .register(responseSchemas, { id: 'UploadResult' });

export const RemoveResult = z
  .object({
    removed: z.array(
      z.object({ doc_id: z.string(), title: z.string(), vendor: z.string(), product: z.string(), version: z.string(), source_path: z.string() }),
    ),
  })
  .register(responseSchemas, { id: 'RemoveResult' });

export const OpenApiDocument = z
  .looseObject({ openapi: z.string(), info: z.object({ title: z.string(), version: z.string() }).loose(), paths: z.record(z.string(), z.unknown()) })
  .register(responseSchemas, { id: 'OpenApiDocument' });
