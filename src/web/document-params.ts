import { LibraryError } from '../library/errors.js';

/** The document viewer's query string, checked once at the edge. */
export interface DocumentParams {
  page?: number;
  /** Chunk to highlight and scroll to. */
  chunk?: string;
  /** Heading anchor whose section to open (documents read by section). */
  section?: string;
  /** Reading window to open, from 1, for a part that does not start at a heading. */
  part?: number;
  /** Where in a long page to start: a character offset of its Markdown, and a position among its chunks. */
  start?: number;
  from?: number;
}

const NUMBER = /^\d{1,6}$/;
const ANCHOR = /^h-[a-z0-9-]{1,80}$/;

export function parseDocumentParams(query: Record<string, string | undefined>): DocumentParams {
  const params: DocumentParams = {};
  const page = query['page']?.trim();
  if (page) {
    if (!NUMBER.test(page) || Number(page) < 1) {
      throw new LibraryError('invalid_input', `page "${page.slice(0, 20)}" is not a page number`, 'Pages are numbered from 1');
    }
    params.page = Number(page);
  }
  const chunk = query['chunk']?.trim();
  if (chunk) params.chunk = chunk.slice(0, 300);
  const section = query['section']?.trim();
  if (section) {
    if (!ANCHOR.test(section)) {
      throw new LibraryError('invalid_input', `section "${section.slice(0, 40)}" is not a section anchor`, 'Section anchors look like h-route-selection; pick one from the outline');
    }
    params.section = section;
  }
  const part = query['part']?.trim();
  if (part) {
    if (!NUMBER.test(part) || Number(part) < 1) {
      throw new LibraryError('invalid_input', `part "${part.slice(0, 20)}" is not a part number`, 'Parts are numbered from 1');
    }
    params.part = Number(part);
  }
  for (const name of ['start', 'from'] as const) {
    const value = query[name]?.trim();
    if (!value) continue;
    if (!/^\d{1,10}$/.test(value)) throw new LibraryError('invalid_input', `${name} "${value.slice(0, 20)}" is not a position in the page`, 'Follow the page\'s own "more of this page" links');
    params[name] = Number(value);
  }
  return params;
}
