import { readBySection } from '../service/reading.js';

/**
 * The citation format the server instructions ask agents to use:
 * "<title>, <version>, page N (chunk <id>)". The printed page label is what a reader sees in the
 * manual; when it differs from the PDF page the viewer opens, both are given.
 */
export function pageReference(page: number, pageLabel: string | undefined): string {
  return pageLabel === undefined || pageLabel === String(page) ? `page ${page}` : `page ${pageLabel} (PDF page ${page})`;
}

/**
 * A document without pages (HTML, Markdown, text: one long page) is cited by its section, because
 * "page 1" would point nowhere: "<title>, <version>, section "A › B" (chunk <id>)".
 */
export function citation(hit: {
  title: string; versionLabel: string; page: number; pageLabel?: string | undefined; chunkId: string;
  format: 'pdf' | 'html' | 'markdown' | 'text'; headingPath: readonly string[];
}): string {
  if (readBySection(hit)) {
    const section = hit.headingPath.length > 0 ? `, section "${hit.headingPath.join(' › ')}"` : '';
    return `${hit.title}, ${hit.versionLabel}${section} (chunk ${hit.chunkId})`;
  }
  return `${hit.title}, ${hit.versionLabel}, ${pageReference(hit.page, hit.pageLabel)} (chunk ${hit.chunkId})`;
}
