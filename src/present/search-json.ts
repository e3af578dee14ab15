/**
 * The one JSON shape of a search hit, the same in `mcdewey search --json`, the REST API and MCP's
 * search_docs. It is read by agents with a token budget, so each hit says each thing once: its id
 * (the document id is the chunk id without its last `::<n>`), identifiers (slugs) under
 * `vendor`/`product`/`version` with what people typed under `*_label` only where that differs, the
 * page of the best-matching text, a snippet with its matched words in **bold**, how well it matches,
 * and one citation string. The chunk page's URL is given once per response, as a template.
 */

import { z } from 'zod';
import type { SearchHit, SearchResponse, Snippet } from '../service/types.js';
import type { PublicLinks } from '../http/links.js';
import { citation } from './citation.js';

const pageNumber = z.int().min(1);
const MATCH_LEVELS = ['strong', 'partial', 'weak'] as const;

export const VersionMentionJson = z.object({
  version: z.string(),
  version_label: z.string().optional(),
  chunk_id: z.string(),
  page: pageNumber,
  page_label: z.string().optional(),
});

export const SearchHitJson = z.object({
  chunk_id: z.string().describe('Stable id: read the chunk with it, or its document (the id without its last ::<n>)'),
  title: z.string(),
  vendor: z.string(),
  vendor_label: z.string().optional().describe('The vendor as people wrote it, where it differs from the slug'),
  product: z.string(),
  product_label: z.string().optional(),
  version: z.string(),
  version_label: z.string().optional(),
  page: pageNumber.describe('Physical page (1-based) of the best-matching text'),
  page_label: z.string().optional().describe('Page number printed on that page, where it differs'),
  chunk_pages: z.tuple([pageNumber, pageNumber]).optional().describe('First and last page of the chunk, when it spans several'),
  section: z.string().describe('Headings above the chunk (below the title), joined by ›'),
  snippet: z.string().describe('Short excerpt; query terms are marked **like this**'),
  match: z.enum(MATCH_LEVELS).describe('strong: holds the query\'s wording or most of its rare words together; partial: a good part; weak: a few, scattered'),
  score: z.number(),
  citation: z.string().describe('"<title>, <product> <version>, page N"'),
  also_in: z.array(VersionMentionJson).describe('The same passage in other versions (one each, newest first) or revisions'),
  also_in_more: z.int().min(1).optional().describe('How many further copies of the passage (other revisions, older versions) also_in does not list'),
});

export const SearchResponseJson = z.object({
  query: z.string(),
  mode: z.enum(['hybrid', 'lexical', 'vector']).describe('The ranking actually used'),
  best_match: z.enum([...MATCH_LEVELS, 'none']).describe('weak or none: nothing relevant was found, and hits is empty unless weak hits were asked for'),
  scope: z.string().describe('What was searched'),
  chunk_url: z.string().describe('The web page of a hit: replace {chunk_id}; give it with the citation'),
  hits: z.array(SearchHitJson),
  notices: z.array(z.string()).describe('How the search ran: versions, scope, nothing relevant, lexical only, …'),
});

/** A page of results paged by offset, as the REST API and `mcdewey search --json` give it (MCP pages by cursor). */
export const SearchPageJson = SearchResponseJson.extend({
  next_offset: z.int().min(0).optional().describe('Pass as offset for the next page; absent on the last page'),
});

export type SearchHitJson = z.infer<typeof SearchHitJson>;
export type SearchResponseJson = z.infer<typeof SearchResponseJson>;

/** Snippets are short already; the cap only guards a host's output budget against an odd one. */
const SNIPPET_MAX_CHARS = 320;
const CHUNK_ID_PLACEHOLDER = '{chunk_id}';

export function searchHitJson(hit: SearchHit): SearchHitJson {
  return {
    chunk_id: hit.chunkId,
    title: hit.title,
    vendor: hit.vendor,
    ...labelUnlessSlug('vendor_label', hit.vendorLabel, hit.vendor),
    product: hit.product,
    ...labelUnlessSlug('product_label', hit.productLabel, hit.product),
    version: hit.version,
    ...labelUnlessSlug('version_label', hit.versionLabel, hit.version),
    page: hit.page,
    ...labelUnlessSlug('page_label', hit.pageLabel, String(hit.page)),
    ...(hit.chunkPageEnd > hit.chunkPage ? { chunk_pages: [hit.chunkPage, hit.chunkPageEnd] as [number, number] } : {}),
    // The first heading is usually the document's title, which the hit already gives.
    section: capText((hit.headingPath[0] === hit.title ? hit.headingPath.slice(1) : hit.headingPath).join(' › '), 160),
    snippet: capText(markHighlights(hit.snippet), SNIPPET_MAX_CHARS),
    match: hit.match,
    score: Math.round(hit.score * 1e4) / 1e4,
    citation: citation(hit),
    also_in: hit.alsoIn.map((other) => ({
      version: other.version,
      ...labelUnlessSlug('version_label', other.versionLabel, other.version),
      chunk_id: other.chunkId,
      page: other.page,
      ...labelUnlessSlug('page_label', other.pageLabel, String(other.page)),
    })),
    ...(hit.alsoInMore ? { also_in_more: hit.alsoInMore } : {}),
  };
}

/** `{ [name]: label }` when the label says something the slug does not. */
function labelUnlessSlug<K extends string>(name: K, label: string | undefined, slug: string): Partial<Record<K, string>> {
  return label === undefined || label === slug ? {} : ({ [name]: label } as Record<K, string>);
}

export function searchResponseJson(response: SearchResponse, links: PublicLinks): SearchResponseJson {
  return {
    query: response.query,
    mode: response.mode,
    best_match: response.bestMatch,
    scope: response.scope,
    chunk_url: links.chunkUrl(CHUNK_ID_PLACEHOLDER).replace(encodeURIComponent(CHUNK_ID_PLACEHOLDER), CHUNK_ID_PLACEHOLDER),
    hits: response.hits.map(searchHitJson),
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
