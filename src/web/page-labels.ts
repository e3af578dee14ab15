import type { DocumentInfo } from '../service/library.js';
import { readBySection } from '../service/reading.js';

/** "Page 59", or "Page 59 · printed 43" where the PDF prints another page number. */
export function pageTitle(page: number, printedLabel?: string): string {
  return printedLabel !== undefined && printedLabel !== String(page) ? `Page ${page} · printed ${printedLabel}` : `Page ${page}`;
}

/** "Cisco / FTDv AWS / 6.7.0": where a document sits in the library. */
export function shelfLabel(labels: { vendorLabel: string; productLabel: string; versionLabel: string }): string {
  return `${labels.vendorLabel} / ${labels.productLabel} / ${labels.versionLabel}`;
}

/** "vendor" or "vendors" for n of them. */
export function plural(n: number, noun: string): string {
  return n === 1 ? noun : `${noun}s`;
}

/** "1,234 pages" */
export function countOf(n: number, noun: string): string {
  return `${n.toLocaleString('en')} ${plural(n, noun)}`;
}

/** The heading path without a leading document title (the page already shows it): "Basic Concepts › Route Selection". */
export function sectionPath(headingPath: readonly string[], title: string): string {
  return (headingPath[0] === title ? headingPath.slice(1) : headingPath).join(' › ');
}

/**
 * Where a passage is, as a reader would look for it: "Page 59 · printed 43" in a PDF, "Section:
 * Basic Concepts › Route Selection" in a document without pages, where "page 1" would say nothing.
 */
export function locationTitle(item: { format: DocumentInfo['format']; page: number; pageLabel?: string | undefined; headingPath: readonly string[]; title: string }): string {
  if (!readBySection(item)) return pageTitle(item.page, item.pageLabel);
  const path = sectionPath(item.headingPath, item.title);
  return path ? `Section: ${path}` : 'Section: introduction';
}
