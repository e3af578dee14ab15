/**
 * The one JSON shape of a search hit, the same in `mcdewey search --json`, the REST API and MCP's
 * search_docs: snake_case, identifiers (slugs) under `vendor`/`product`/`version` and what people
 * typed under `*_label`, the snippet with its matched words in **bold**, and a link to the chunk
 * page that is also the citation's target.
 */

import { z } from 'zod';
import type { SearchHit, SearchResponse, Snippet } from '../service/types.js';
import type { PublicLinks } from '../http/links.js';
import { citation } from './citation.js';

const pageNumber = z.int().min(1);

export const VersionMentionJson = z.object({
  version: z.string(),
  version_label: z.string(),
  chunk_id: z.string(),
  page: pageNumber,
  page_label: z.string().optional(),
});

export const SearchHitJson = z.object({
  rank: z.int().min(1),
  chunk_id: z.string().describe('Stable id; read the chunk and its neighbours with it'),
  doc_id: z.string().describe('The document; read around the hit with it'),
  title: z.string(),
  vendor: z.string(),
  vendor_label: z.string(),
  product: z.string(),
  product_label: z.string(),
  version: z.string(),
  version_label: z.string(),
  page: pageNumber.describe('Physical page of the PDF (1-based)'),
  page_end: pageNumber,
  page_label: z.string().optional().describe('Page number printed on the page, where the document has one'),
  section: z.string().describe('Heading path of the chunk, joined by ›'),
  source_path: z.string(),
  snippet: z.string().describe('Short excerpt; query terms are marked **like this**'),
  score: z.number(),
  url: z.string().describe('The chunk page in the web UI: give it with the citation'),
  citation: z.string(),
  also_in: z.array(VersionMentionJson).describe('The same passage in other versions'),
});

export const SearchResponseJson = z.object({
  query: z.string(),
  mode: z.enum(['hybrid', 'lexical', 'vector']).describe('The ranking actually used'),
  hits: z.array(SearchHitJson),
  notices: z.array(z.string()).describe('How the search ran: lexical only, which versions were searched, …'),
});

/** A page of results paged by offset, as the REST API and `mcdewey search --json` give it (MCP pages by cursor). */
export const SearchPageJson = SearchResponseJson.extend({
  next_offset: z.int().min(0).optional().describe('Pass as offset for the next page; absent on the last page'),
});

export type SearchHitJson = z.infer<typeof SearchHitJson>;
export type SearchResponseJson = z.infer<typeof SearchResponseJson>;

/** Snippets are short already; the cap only guards a host's output budget against an odd one. */
const SNIPPET_MAX_CHARS = 320;

export function searchHitJson(hit: SearchHit, links: PublicLinks): SearchHitJson {
  const json: SearchHitJson = {
    rank: hit.rank,
    chunk_id: hit.chunkId,
    doc_id: hit.docId,
    title: hit.title,
    vendor: hit.vendor,
    vendor_label: hit.vendorLabel,
    product: hit.product,
    product_label: hit.productLabel,
    version: hit.version,
    version_label: hit.versionLabel,
    page: hit.page,
    page_end: hit.pageEnd,
    section: capText(hit.headingPath.join(' › '), 200),
    source_path: hit.sourcePath,
    snippet: capText(markHighlights(hit.snippet), SNIPPET_MAX_CHARS),
    score: Math.round(hit.score * 1e4) / 1e4,
    url: links.chunkUrl(hit.chunkId),
    citation: citation(hit),
    also_in: hit.alsoIn.map((other) => ({
      version: other.version,
      version_label: other.versionLabel,
      chunk_id: other.chunkId,
      page: other.page,
      ...(other.pageLabel === undefined ? {} : { page_label: other.pageLabel }),
    })),
  };
  if (hit.pageLabel !== undefined) json.page_label = hit.pageLabel;
  return json;
}

export function searchResponseJson(response: SearchResponse, links: PublicLinks): SearchResponseJson {
  return {
    query: response.query,
    mode: response.mode,
    hits: response.hits.map((hit) => searchHitJson(hit, links)),
    notices: response.notices,
  };
}

export function searchPageJson(response: SearchResponse, links: PublicLinks): z.infer<typeof SearchPageJson> {
  const json: z.infer<typeof SearchPageJson> = searchResponseJson(response, links);
  if (response.nextOffset !== undefined) json.next_offset = response.nextOffset;
  return json;
}

/** Markdown bold around the matched words: models read it, and it survives any host's rendering. */
export function markHighlights(snippet: Snippet): string {
  let text = '';
  let at = 0;
  for (const [start, end] of snippet.highlights) {
    text += `${snippet.text.slice(at, start)}**${snippet.text.slice(start, end)}**`;
    at = end;
  }
  return text + snippet.text.slice(at);
}

/** Cuts text to a character budget so that no result comes near a host's output limit. */
export function capText(text: string, maxChars: number): string {
  return text.length <= maxChars ? text : `${text.slice(0, maxChars - 1)}…`;
}
