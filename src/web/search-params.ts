import { LibraryError } from '../library/errors.js';
import { LIMITS } from '../library/limits.js';

/** The search page's query string, checked once at the edge. */
export interface SearchParams {
  q: string;
  vendor?: string;
  product?: string;
  version?: string;
  /** Rank every version alike instead of preferring each product's newest relevant version. */
  all: boolean;
  /** Narrow to a product and version the query names (default on; `infer=0` turns it off). */
  infer: boolean;
  /** Show the closest passages even when none is relevant. */
  weak: boolean;
  offset: number;
}

export const RESULTS_PER_PAGE = 10;
const MAX_QUERY_LENGTH = LIMITS.queryChars;
const MAX_FILTER_LENGTH = LIMITS.filterChars;
const MAX_OFFSET = LIMITS.searchOffset;

function filter(value: string | undefined, name: string): string | undefined {
  const trimmed = value?.trim();
  if (!trimmed) return undefined;
  if (trimmed.length > MAX_FILTER_LENGTH) throw new LibraryError('invalid_input', `the ${name} filter is longer than ${MAX_FILTER_LENGTH} characters`, 'Pick one from the list');
  return trimmed;
}

export function parseSearchParams(query: Record<string, string | undefined>): SearchParams {
  const q = (query['q'] ?? '').trim();
  if (q.length > MAX_QUERY_LENGTH) {
    throw new LibraryError('invalid_input', `the query is ${q.length} characters long`, `Shorten it to at most ${MAX_QUERY_LENGTH}`);
  }
  const offsetText = query['offset']?.trim() || '0';
  if (!/^\d{1,6}$/.test(offsetText) || Number(offsetText) > MAX_OFFSET) {
    throw new LibraryError('invalid_input', `offset "${offsetText.slice(0, 20)}" is not a whole number from 0 to ${MAX_OFFSET}`, 'Use the result page links');
  }
  const yes = (name: string) => ['1', 'on', 'true'].includes(query[name] ?? '');
  const params: SearchParams = { q, all: yes('all'), infer: !['0', 'off', 'false'].includes(query['infer'] ?? ''), weak: yes('weak'), offset: Number(offsetText) };
  const vendor = filter(query['vendor'], 'vendor');
  const product = filter(query['product'], 'product');
  const version = filter(query['version'], 'version');
  if (vendor) params.vendor = vendor;
  if (product) params.product = product;
  if (version) params.version = version;
  return params;
}
