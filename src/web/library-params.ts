import { LibraryError } from '../library/errors.js';
import { LIMITS } from '../library/limits.js';

/** The library page's query string, checked once at the edge: a filter, or one product (and version), and a page. */
export interface LibraryParams {
  filter?: string;
  product?: string;
  version?: string;
  /** 1-based page of the documents listed, when they are more than a page holds. */
  page?: number;
}

const MAX_FILTER_CHARS = LIMITS.filterChars;

export function parseLibraryParams(query: Record<string, string | undefined>): LibraryParams {
  const params: LibraryParams = {};
  const filter = query['filter']?.trim();
  if (filter) {
    if (filter.length > MAX_FILTER_CHARS) {
      throw new LibraryError('invalid_input', `the filter is ${filter.length} characters long`, `Shorten it to at most ${MAX_FILTER_CHARS}`);
    }
    params.filter = filter;
  }
  for (const field of ['product', 'version'] as const) {
    const value = query[field]?.trim();
    if (!value) continue;
    if (value.length > MAX_FILTER_CHARS) {
      throw new LibraryError('invalid_input', `the ${field} is ${value.length} characters long`, `Give a ${field} from the library page, at most ${MAX_FILTER_CHARS} characters`);
    }
    params[field] = value;
  }
  if (params.version !== undefined && params.product === undefined) {
    throw new LibraryError('invalid_input', 'a version was given without its product', 'Give product too, as the links on the library page do');
  }
  const page = query['page']?.trim();
  if (page) {
    if (!/^\d{1,6}$/.test(page) || Number(page) < 1) {
      throw new LibraryError('invalid_input', `page "${page.slice(0, 20)}" is not a page number`, 'Give a whole number from 1, as the pager links do');
    }
    params.page = Number(page);
  }
  return params;
}

/** Where a library page link goes: the same filter or product and version, on another page. */
export function libraryHref(params: LibraryParams): string {
  const query = new URLSearchParams();
  if (params.filter) query.set('filter', params.filter);
  if (params.product) query.set('product', params.product);
  if (params.version) query.set('version', params.version);
  if (params.page && params.page > 1) query.set('page', String(params.page));
  return query.size > 0 ? `/library?${query}` : '/library';
}
