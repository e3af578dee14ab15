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

export function citation(source: { title: string; productLabel: string; versionLabel: string; page: number; pageLabel?: string | undefined }): string {
  return `${source.title}, ${source.productLabel} ${source.versionLabel}, ${pageReference(source.page, source.pageLabel)}`;
}
