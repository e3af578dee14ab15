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
