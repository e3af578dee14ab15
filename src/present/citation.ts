import { readBySection } from '../service/reading.js';

/**
 * The citation format the server instructions ask agents to use:
 * "<title>, <product> <version>, page N". The product is part of it because titles repeat across
 * products ("Installation"); the printed page label is what a reader sees in the manual, and when it
 * differs from the PDF page the viewer opens, both are given. The chunk id travels beside the
 * citation (in the hit), not inside it.
 */
export function pageReference(page: number, pageLabel: string | undefined): string {
  return pageLabel === undefined || pageLabel === String(page) ? `page ${page}` : `page ${pageLabel} (PDF page ${page})`;
}

/**
 * A document without pages (HTML, Markdown, text: one long page) is cited by its section, because
 * "page 1" would point nowhere: "<title>, <product> <version>, section "A › B"".
 */
export function citation(hit: {
  title: string; productLabel: string; versionLabel: string; page: number; pageLabel?: string | undefined;
  format: 'pdf' | 'html' | 'markdown' | 'text'; headingPath: readonly string[];
}): string {
  const scope = `${hit.title}, ${hit.productLabel} ${hit.versionLabel}`;
  if (readBySection(hit)) {
    const section = hit.headingPath.length > 0 ? `, section "${hit.headingPath.join(' › ')}"` : '';
    return `${scope}${section}`;
  }
  return `${scope}, ${pageReference(hit.page, hit.pageLabel)}`;
}
