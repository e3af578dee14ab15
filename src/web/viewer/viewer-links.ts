/** Links inside the document viewer: sections, parts, and a PDF page's image and highlight. */
import { documentHref } from '../../http/links.js';
import type { SectionWindow } from '../../service/library.js';

const docPath = (docId: string) => documentHref(docId);

/** The window holding a heading, scrolled to it. */
export function sectionHref(docId: string, anchor: string): string {
  return `${docPath(docId)}?section=${anchor}#${anchor}`;
}

/** A reading window: by its opening heading where it has one (stable), else by its number. */
export function windowHref(docId: string, window: SectionWindow): string {
  return window.anchor !== undefined ? `${docPath(docId)}?section=${window.anchor}` : `${docPath(docId)}?part=${window.index + 1}`;
}

export function pageImageHref(docId: string, page: number, version: string, width?: number): string {
  return `${docPath(docId)}/page/${page}.png?${width === undefined ? '' : `w=${width}&`}v=${version}`;
}

export function highlightHref(docId: string, page: number, version: string, chunkId: string): string {
  return `${docPath(docId)}/page/${page}.svg?chunk=${encodeURIComponent(chunkId).replace(/%3A/gi, ':')}&v=${version}`;
}
