import { jobsOf, linksOf, type ServerContext } from '../http/context.js';
import { packageVersion } from '../version.js';
import { openApiDocument } from './openapi.js';
import {
  presentChunkView,
  presentDocument,
  presentDocumentWithOutline,
  presentPage,
  presentRemoved,
  presentSearch,
  presentTextWindow,
  presentTree,
} from '../present/library-json.js';
import { defineRoute, Reply, type ApiRoute } from './route.js';
import { presentStoreStatus } from '../present/store-status.js';
import * as In from './schemas.js';
import * as Out from '../present/schemas.js';
import { ingestUpload } from './upload.js';
import { answerJob, jobEvents, uploadLabels } from './jobs.js';
import { JobJson, JobListJson, jobJson } from '../present/job-json.js';

/**
 * Every route of the REST API, below /api. The router (routes.ts) and the OpenAPI document
 * (openapi.ts) are both built from this table, so they cannot disagree.
 */
export const API_ROUTES: readonly ApiRoute[] = [
  defineRoute({
    method: 'get',
    path: '/health',
    operationId: 'health',
    summary: 'Server status, version and library size',
    tag: 'server',
    response: { description: 'The server is up', schema: Out.Health },
    errors: [],
    handle: async ({ ctx }) => {
      const size = ctx.library.size();
      const store = await ctx.library.storeStatus();
      const notices = ctx.library.notices();
      return {
        status: notices.length === 0 ? ('ok' as const) : ('degraded' as const),
        notices,
        version: packageVersion(),
        documents: size.documents,
        chunks: size.chunks,
        embedder: ctx.library.embedderName,
        ...(store ? { store: presentStoreStatus(store) } : {}),
      };
    },
  }),
  defineRoute({
    method: 'get',
    path: '/ready',
    operationId: 'ready',
    summary: 'Whether this node should receive traffic',
    description:
      'For load balancers. An embedded library is ready once the server answers. A node over PostgreSQL is ready when its replica ' +
      'shows every committed change (its change-log position equals the store\'s); 503 while it catches up or cannot reach the store.',
    tag: 'server',
    response: { description: 'Ready', schema: Out.Readiness },
    otherResponses: { 503: { description: 'Not ready: catching up, or the store cannot be reached', schema: Out.Readiness } },
    errors: [],
    handle: async ({ ctx }) => {
      const store = await ctx.library.storeStatus();
      if (!store) return { ready: true };
      const body = { ready: store.caughtUp, store: presentStoreStatus(store) };
      return store.caughtUp ? body : new Reply(503, body);
    },
  }),
  defineRoute({
    method: 'get',
    path: '/openapi.json',
    operationId: 'openapi',
    summary: 'This API described as OpenAPI 3.1',
    tag: 'server',
    response: { description: 'The OpenAPI document', schema: Out.OpenApiDocument },
    errors: [],
    handle: ({ ctx }) => openApiDocument(API_ROUTES, ctx.baseUrl),
  }),
  defineRoute({
    method: 'get',
    path: '/search',
    operationId: 'search',
    summary: 'Search the library',
    description:
      'Hybrid search (vector similarity re-orders lexical candidates). Each product answers from its newest version that has a relevant passage; ' +
      'near-identical passages in other versions or revisions fold into also_in, and passages only older versions hold rank lower. ' +
      'A product and version named in the query are searched alone (a notice says so; infer_scope=false turns it off). ' +
      'When the best hit matches weakly, hits is empty, best_match says weak and a notice says nothing relevant was found. ' +
      'An unknown vendor, product or version is a 404 that lists what is available.',
    tag: 'search',
    query: In.SearchQuery,
    response: { description: 'Ranked hits', schema: Out.SearchResponse },
    errors: [400, 404, 409, 503],
    handle: async ({ ctx, query, signal }) =>
      presentSearch(linksOf(ctx),
        await ctx.library.search({
          query: query.q,
          vendor: query.vendor,
          product: query.product,
          version: query.version,
          document: query.document,
          limit: query.limit,
          offset: query.offset,
          mode: query.mode,
          versions: query.all_versions ? 'all' : 'latest',
          inferScope: query.infer_scope,
          includeWeak: query.include_weak,
        }, undefined, signal),
      ),
  }),
  defineRoute({
    method: 'get',
    path: '/chunks/{id}',
    operationId: 'getChunk',
    summary: 'A chunk with its neighbours and its document',
    tag: 'documents',
    params: In.ChunkParams,
    query: In.ChunkQuery,
    response: { description: 'The chunk', schema: Out.ChunkResponse },
    errors: [400, 404],
    handle: ({ ctx, params, query }) => presentChunkView(linksOf(ctx), ctx.library.chunk(params.id, query)),
  }),
  defineRoute({
    method: 'get',
    path: '/documents',
    operationId: 'listDocuments',
    summary: 'Documents in the library',
    tag: 'documents',
    query: In.DocumentListQuery,
    description: `At most ${In.DOCUMENT_LIST_MAX} at once, in the library's order: follow next_offset for more.`,
    response: { description: 'Matching documents (empty when nothing matches)', schema: Out.DocumentList },
    errors: [400],
    handle: ({ ctx, query }) => {
      const { vendor, product, version, limit, offset } = query;
      const { documents, total } = ctx.library.documentPage({ vendor, product, version }, offset, limit);
      const next = Math.min(total, offset + limit);
      return {
        documents: documents.map((doc) => presentDocument(linksOf(ctx), doc)),
        ...(next < total ? { next_offset: next } : {}),
      };
    },
  }),
  defineRoute({
    method: 'get',
    path: '/documents/{docId}',
    operationId: 'getDocument',
    summary: 'A document\'s metadata and (a window of) its heading outline',
    tag: 'documents',
    params: In.DocumentParams,
    query: In.DocumentQuery,
    response: { description: 'The document; follow outline_next_offset for more of the outline', schema: Out.DocumentResponse },
    errors: [400, 404],
    handle: async ({ ctx, params, query }) => {
      // A document file's layout and outline index are found off the request thread.
      await ctx.library.readyToRead(params.docId, { outline: true });
      return presentDocumentWithOutline(linksOf(ctx), ctx.library.document(params.docId), ctx.library.outline(params.docId, { offset: query.outline_offset ?? 0 }));
    },
  }),
  defineRoute({
    method: 'get',
    path: '/documents/{docId}/pages/{n}',
    operationId: 'getPage',
    summary: 'A window of one page of a document as Markdown, with a window of the chunks on it',
    description: 'Long pages come in windows: follow next_start for more of the Markdown and next_chunks_offset for more of the chunks.',
    tag: 'documents',
    params: In.PageParams,
    query: In.PageQuery,
    response: { description: 'The page window', schema: Out.PageResponse },
    errors: [400, 404],
    handle: async ({ ctx, params, query }) => {
      await ctx.library.readyToRead(params.docId);
      return presentPage(linksOf(ctx), ctx.library.page(params.docId, params.n, {
        ...(query.start === undefined ? {} : { start: query.start }),
        ...(query.chunks_offset === undefined ? {} : { chunkOffset: query.chunks_offset }),
      }));
    },
  }),
  defineRoute({
    method: 'get',
    path: '/documents/{docId}/text',
    operationId: 'getDocumentText',
    summary: 'A window of a document\'s Markdown, for reading long documents in parts',
    tag: 'documents',
    params: In.DocumentParams,
    query: In.TextQuery,
    response: { description: 'The window; follow next_start while truncated', schema: Out.TextWindowResponse },
    errors: [400, 404],
    handle: async ({ ctx, params, query }) => {
      await ctx.library.readyToRead(params.docId);
      return presentTextWindow(linksOf(ctx),
        ctx.library.textWindow(params.docId, {
          maxChars: query.max_chars,
          ...(query.start === undefined ? {} : { start: query.start }),
          ...(query.page === undefined ? {} : { page: query.page }),
        }),
      );
    },
  }),
  defineRoute({
    method: 'get',
    path: '/library',
    operationId: 'getLibrary',
    summary: 'The library tree: vendors, products, versions and documents with counts',
    tag: 'library',
    response: { description: 'The tree', schema: Out.LibraryTree },
    errors: [],
    handle: ({ ctx }) => presentTree(ctx.library.listing({}, In.DOCUMENT_LIST_MAX), In.DOCUMENT_LIST_MAX),
  }),
  defineRoute({
    method: 'post',
    path: '/documents',
    operationId: 'addDocument',
    summary: 'Upload a document and add it to the library (as a job)',
    description:
      'multipart/form-data with the file and its labels. Answers 202 with the queued job (follow it at /jobs/{id}); with wait=1 the answer comes ' +
      'once the job has ended: 201 added, 200 updated, relabelled or unchanged (identical bytes), 409 when a different document holds the id ' +
      '(send replace=true to replace it), 422 when the file cannot be ingested.',
    tag: 'ingestion',
    auth: true,
    query: In.WaitQuery,
    form: { schema: In.UploadForm, maxBytes: In.UPLOAD_MAX_BYTES },
    response: { status: 202, description: 'Queued as a job', schema: JobJson },
    otherResponses: {
      201: { description: 'wait=1: added to the library', schema: Out.UploadResult },
      200: { description: 'wait=1: already in the library: updated, relabelled or unchanged', schema: Out.UploadResult },
      409: { description: 'wait=1: another document is filed under the same id; nothing changed', schema: Out.UploadResult },
      422: { description: 'wait=1: the file could not be ingested (e.g. not a readable PDF); nothing changed', schema: Out.UploadResult },
    },
    errors: [400, 401, 403, 413, 415, 503, 507],
    handle: ({ ctx, form, query, request }) => ingestUpload(ctx, form, query.wait, request),
  }),
  defineRoute({
    method: 'post',
    path: '/jobs',
    operationId: 'createJob',
    summary: 'Start an ingestion job: uploaded files, a URL, a site crawl, a refresh, a re-index or a re-labelling',
    description:
      'multipart/form-data with one or more files (repeat the file field) and their labels adds uploads; a JSON body starts any other kind: ' +
      'add-url, add-site (crawl options as in `mcdewey add --site`), refresh, reindex or relabel. Answers 202 with the queued job; ' +
      'with wait=1, 200 once it has ended (with its items).',
    tag: 'ingestion',
    auth: true,
    query: In.WaitQuery,
    json: { schema: In.JobBody, maxBytes: 1024 * 1024 },
    form: { schema: In.JobUploadForm, maxBytes: In.UPLOAD_MAX_BYTES, repeatable: ['file'] },
    response: { status: 202, description: 'The job, queued (or still running when the client stopped waiting)', schema: JobJson },
    otherResponses: { 200: { description: 'wait=1: the job has ended', schema: JobJson } },
    errors: [400, 401, 403, 413, 415, 507],
    handle: async ({ ctx, json, form, query, request }) => {
      const jobs = jobsOf(ctx);
      const job = json ? await jobs.submit(json) : await jobs.submitUpload(form.file, uploadLabels(form, form.file.length), form.replace);
      return answerJob(ctx, job, query.wait, request);
    },
  }),
  defineRoute({
    method: 'get',
    path: '/jobs',
    operationId: 'listJobs',
    summary: 'Ingestion jobs, newest first',
    tag: 'ingestion',
    auth: true,
    query: In.JobListQuery,
    response: { description: 'The jobs', schema: JobListJson },
    errors: [400, 401, 403],
    handle: async ({ ctx, query }) => ({ jobs: (await jobsOf(ctx).list({ limit: query.limit, ...(query.status ? { statuses: [query.status] } : {}) })).map((job) => jobJson(job)) }),
  }),
  defineRoute({
    method: 'get',
    path: '/jobs/{id}',
    operationId: 'getJob',
    summary: 'One job: its progress and what became of each item',
    tag: 'ingestion',
    auth: true,
    params: In.JobParams,
    query: In.JobQuery,
    response: { description: 'The job', schema: JobJson },
    errors: [400, 401, 403, 404],
    handle: async ({ ctx, params, query }) => {
      const jobs = jobsOf(ctx);
      return jobJson(await jobs.get(params.id), await jobs.items(params.id, { offset: query.items_offset, limit: query.items_limit }));
    },
  }),
  defineRoute({
    method: 'get',
    path: '/jobs/{id}/events',
    operationId: 'jobEvents',
    summary: 'A job\'s progress as server-sent events',
    description:
      'text/event-stream: `progress` events (data: the job) while it runs, an `item` event for each finished item (data: a JobItem), and `end` ' +
      '(data: the job) when it has ended, after which the stream closes. Browsers can follow it with EventSource while logged in to the web UI.',
    tag: 'ingestion',
    auth: true,
    params: In.JobParams,
    events: true,
    response: { description: 'The event stream; each event\'s data is a Job (or a JobItem for item events)', schema: JobJson },
    errors: [400, 401, 403, 404],
    handle: ({ ctx, params, request }) => jobEvents(ctx, params.id, request),
  }),
  defineRoute({
    method: 'delete',
    path: '/jobs/{id}',
    operationId: 'cancelJob',
    summary: 'Cancel a job: a queued one at once, a running one after its current item (what it added stays)',
    tag: 'ingestion',
    auth: true,
    params: In.JobParams,
    response: { description: 'The job, cancelled or asked to stop', schema: JobJson },
    errors: [400, 401, 403, 404, 409],
    handle: async ({ ctx, params }) => jobJson(await jobsOf(ctx).cancel(params.id)),
  }),
  defineRoute({
    method: 'delete',
    path: '/documents/{docId}',
    operationId: 'removeDocument',
    summary: 'Remove one document',
    tag: 'ingestion',
    auth: true,
    params: In.DocumentParams,
    response: { description: 'What was removed', schema: Out.RemoveResult },
    errors: [400, 401, 403, 404, 409, 503],
    handle: async ({ ctx, params }) => presentRemoved(await removeDocument(ctx, params.docId)),
  }),
  defineRoute({
    method: 'delete',
    path: '/products/{product}',
    operationId: 'removeProduct',
    summary: 'Remove every version of a product',
    tag: 'ingestion',
    auth: true,
    params: In.ProductParams,
    response: { description: 'What was removed', schema: Out.RemoveResult },
    errors: [400, 401, 403, 404, 503],
    handle: async ({ ctx, params }) => presentRemoved(await ctx.library.remove({ product: params.product })),
  }),
  defineRoute({
    method: 'delete',
    path: '/products/{product}/versions/{version}',
    operationId: 'removeVersion',
    summary: 'Remove one version of a product',
    tag: 'ingestion',
    auth: true,
    params: In.VersionParams,
    response: { description: 'What was removed', schema: Out.RemoveResult },
    errors: [400, 401, 403, 404, 503],
    handle: async ({ ctx, params }) => presentRemoved(await ctx.library.remove({ product: params.product, version: params.version })),
  }),
];

/**
 * The service removes by product, version and document slug, which would also take a document
 * of the same name in another collection of that version; such a request is refused instead.
 */
async function removeDocument(ctx: ServerContext, docId: string) {
  const { product, version, collection, document } = ctx.library.document(docId).key;
  return ctx.library.remove({ product, version, collection, document });
}
