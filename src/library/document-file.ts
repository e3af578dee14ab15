/**
 * The converted document on disk: Markdown with a JSON-valued front matter block and one HTML
 * comment marker per page. It is the source of truth the index is rebuilt from, so it must
 * round-trip exactly: `parseDocumentFile(serializeDocumentFile(m, p))` gives back m and p (each
 * page's trailing whitespace aside). A line of page text that reads as a page marker (a code
 * sample about these very files) is written with one more leading backslash, and read back
 * with one less, so it can never split a page.
 *
 *   ---
 *   title: "Cisco Finesse Web Services Developer Guide"
 *   ...
 *   ---
 *
 *   <!-- page 59 label="43" -->
 *   ...Markdown of page 59...
 *   <!-- page 60 label="44" ocr -->
 *   ...Markdown recognised (OCR) from the image of page 60, which had no text layer...
 *
 * The `ocr` flag is optional, so files written before it existed read as they always did.
 */

import type { DocumentMeta, DocumentNavigation, Page } from './model.js';
import { LibraryError } from './errors.js';
import { parseOrigin } from './origin.js';
import { commentJson } from './html-comment.js';

const FORMAT_VERSION = 1;
const PAGE_MARKER = /^<!-- page (\d+)(?: label=("(?:[^"\\]|\\.)*"))?( ocr)? -->$/;
/** A page marker behind zero or more backslashes: escaped on write by adding one. */
const MARKER_LOOKALIKE = /^\\*<!-- page \d+(?: label="(?:[^"\\]|\\.)*")?(?: ocr)? -->$/;
/** An escaped marker look-alike, unescaped on read by removing one backslash. */
const ESCAPED_MARKER = /^\\+<!-- page \d+(?: label="(?:[^"\\]|\\.)*")?(?: ocr)? -->$/;

export class DocumentFileError extends LibraryError {
  constructor(readonly file: string, problem: string) {
    super('invalid_input', `${file}: ${problem}`, 'Remove the file or re-add the original document.');
    this.name = 'DocumentFileError';
  }
}

function parseNavigation(value: unknown, file: string): DocumentNavigation {
  const nav = value as { order?: unknown; trail?: unknown } | null;
  if (!nav || !Number.isSafeInteger(nav.order) || (nav.order as number) < 0 || !Array.isArray(nav.trail) || !nav.trail.every((t) => typeof t === 'string')) {
    throw new DocumentFileError(file, 'front matter "navigation" is not { order, trail }');
  }
  return { order: nav.order as number, trail: nav.trail as string[] };
}

/**
 * The label is a JSON string made safe inside the comment (a PDF's page labels are its author's
 * text); ` ocr` marks a page whose text was read from a scan.
 */
export function pageMarker(page: Pick<Page, 'number' | 'label' | 'ocr'>): string {
  const label = page.label === undefined ? '' : ` label=${commentJson(page.label)}`;
  return `<!-- page ${page.number}${label}${page.ocr ? ' ocr' : ''} -->`;
}

/** The page a line marks, when the line is a page marker (see `pageMarker`). */
export function parsePageMarker(line: string): { number: number; label?: string; ocr: boolean } | undefined {
  const marker = PAGE_MARKER.exec(line);
  if (!marker) return undefined;
  const page: { number: number; label?: string; ocr: boolean } = { number: Number(marker[1]), ocr: marker[3] !== undefined };
  if (marker[2] !== undefined) page.label = JSON.parse(marker[2]) as string;
  return page;
}

export function serializeDocumentFile(meta: DocumentMeta, pages: Page[]): string {
  const front: Record<string, unknown> = {
    mcdewey: FORMAT_VERSION,
    title: meta.title,
    vendor: meta.vendor,
    vendor_label: meta.vendorLabel,
    product: meta.key.product,
    product_label: meta.productLabel,
    version: meta.key.version,
    version_label: meta.versionLabel,
    collection: meta.key.collection,
    document: meta.key.document,
    source_path: meta.sourcePath,
    original_file: meta.originalFile,
    format: meta.format,
    content_hash: meta.contentHash,
    page_count: meta.pageCount,
    converted_at: meta.convertedAt,
  };
  if (meta.origin) front['origin'] = meta.origin;
  if (meta.collectionLabel !== undefined) front['collection_label'] = meta.collectionLabel;
  if (meta.documentLabel !== undefined) front['document_label'] = meta.documentLabel;
  if (meta.navigation) front['navigation'] = meta.navigation;
  const lines = ['---', ...Object.entries(front).map(([k, v]) => `${k}: ${frontMatterValue(v)}`), '---', ''];
  for (const page of pages) {
    // trimEnd, not replace(/\s+$/): the regex is quadratic on a page with a long run of spaces.
    lines.push(pageMarker(page));
    for (const line of page.markdown.trimEnd().split('\n')) lines.push(MARKER_LOOKALIKE.test(line) ? `\\${line}` : line);
    lines.push('');
  }
  return lines.join('\n');
}

/**
 * A front matter value: JSON, which escapes quotes and line breaks, with the characters YAML
 * readers also take as line breaks (NEL, LINE and PARAGRAPH SEPARATOR) escaped too, so that a
 * title can never end its line, nor the front matter, in any tool that reads these files.
 */
function frontMatterValue(value: unknown): string {
  return JSON.stringify(value).replace(/[\u0085\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

export function parseDocumentFile(text: string, file: string): { meta: DocumentMeta; pages: Page[] } {
  const lines = text.split('\n');
  if (lines[0] !== '---') throw new DocumentFileError(file, 'has no front matter');
  const end = lines.indexOf('---', 1);
  if (end < 0) throw new DocumentFileError(file, 'front matter is not closed');
  const front: Record<string, unknown> = {};
  for (const line of lines.slice(1, end)) {
    const colon = line.indexOf(': ');
    if (colon < 0) throw new DocumentFileError(file, `front matter line is not "key: value": ${line.slice(0, 80)}`);
    try {
      front[line.slice(0, colon)] = JSON.parse(line.slice(colon + 2));
    } catch {
      throw new DocumentFileError(file, `front matter value of "${line.slice(0, colon)}" is not valid`);
    }
  }
  const str = (key: string): string => {
    const value = front[key];
    if (typeof value !== 'string') throw new DocumentFileError(file, `front matter lacks "${key}"`);
    return value;
  };
  const format = str('format');
  if (format !== 'pdf' && format !== 'html' && format !== 'markdown' && format !== 'text') {
    throw new DocumentFileError(file, `unknown format "${format}"`);
  }
  const pages: Page[] = [];
  let current: { number: number; label?: string; ocr: boolean; lines: string[] } | undefined;
  const flush = () => {
    if (!current) return;
    // Only the end is trimmed: leading spaces are Markdown (an indented code block).
    const page: Page = { number: current.number, markdown: current.lines.join('\n').trimEnd() };
    if (current.label !== undefined) page.label = current.label;
    if (current.ocr) page.ocr = true;
    pages.push(page);
  };
  for (const line of lines.slice(end + 1)) {
    const marker = PAGE_MARKER.exec(line);
    if (marker) {
      flush();
      current = { number: Number(marker[1]), ocr: marker[3] !== undefined, lines: [] };
      if (marker[2] !== undefined) current.label = JSON.parse(marker[2]) as string;
    } else if (current) {
      current.lines.push(ESCAPED_MARKER.test(line) ? line.slice(1) : line);
    } else if (line.trim() !== '') {
      throw new DocumentFileError(file, 'has text before its first page marker');
    }
  }
  flush();
  const pageCount = front['page_count'];
  if (typeof pageCount !== 'number' || pageCount !== pages.length) {
    throw new DocumentFileError(file, `declares ${String(pageCount)} pages but holds ${pages.length} (the file is truncated?)`);
  }
  const meta: DocumentMeta = {
    key: { product: str('product'), version: str('version'), collection: str('collection'), document: str('document') },
    vendor: str('vendor'),
    vendorLabel: str('vendor_label'),
    productLabel: str('product_label'),
    versionLabel: str('version_label'),
    title: str('title'),
    sourcePath: str('source_path'),
    originalFile: str('original_file'),
    format,
    contentHash: str('content_hash'),
    pageCount,
    convertedAt: str('converted_at'),
  };
  if (front['origin'] !== undefined) {
    const origin = parseOrigin(front['origin']);
    if (!origin) throw new DocumentFileError(file, 'front matter "origin" is not a file, upload or URL origin');
    meta.origin = origin;
  }
  for (const [key, field] of [['collection_label', 'collectionLabel'], ['document_label', 'documentLabel']] as const) {
    if (front[key] !== undefined) meta[field] = str(key);
  }
  const navigation = front['navigation'];
  if (navigation !== undefined) meta.navigation = parseNavigation(navigation, file);
  return { meta, pages };
}
