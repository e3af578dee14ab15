/**
 * The citation format the server instructions ask agents to use:
 * "<title>, <version>, page N (chunk <id>)". The printed page label is what a reader sees in the
 * manual; when it differs from the PDF page the viewer opens, both are given.
 */
export function pageReference(page: number, pageLabel: string | undefined): string {
  return pageLabel === undefined || pageLabel === String(page) ? `page ${page}` : `page ${pageLabel} (PDF page ${page})`;
}

export function citation(hit: { title: string; versionLabel: string; page: number; pageLabel?: string | undefined; chunkId: string }): string {
  return `${hit.title}, ${hit.versionLabel}, ${pageReference(hit.page, hit.pageLabel)} (chunk ${hit.chunkId})`;
}
