import { LibraryError } from '../library/errors.js';

/** The document viewer's query string, checked once at the edge. */
export interface DocumentParams {
  page?: number;
  /** Chunk to highlight and scroll to. */
  chunk?: string;
  /** Where in a long page to start: a character offset of its Markdown, and a position among its chunks. */
  start?: number;
  from?: number;
}

export function parseDocumentParams(query: Record<string, string | undefined>): DocumentParams {
  const params: DocumentParams = {};
  const page = query['page']?.trim();
  if (page) {
    if (!/^\d{1,6}$/.test(page) || Number(page) < 1) {
      throw new LibraryError('invalid_input', `page "${page.slice(0, 20)}" is not a page number`, 'Pages are numbered from 1');
    }
    params.page = Number(page);
  }
  const chunk = query['chunk']?.trim();
  if (chunk) params.chunk = chunk.slice(0, 300);
  for (const name of ['start', 'from'] as const) {
    const value = query[name]?.trim();
    if (!value) continue;
    if (!/^\d{1,10}$/.test(value)) throw new LibraryError('invalid_input', `${name} "${value.slice(0, 20)}" is not a position in the page`, 'Follow the page\'s own "more of this page" links');
    params[name] = Number(value);
  }
  return params;
}
