import { OPS, type PDFDocumentProxy, type PDFPageProxy } from 'pdfjs-dist/legacy/build/pdf.mjs';
import type { OutlineEntry, PdfContent, RawPage } from './model.js';
import { toTextRuns } from './text-runs.js';

/** Outlines beyond this many entries are not worth resolving (each entry is a lookup). */
const MAX_OUTLINE_ENTRIES = 2000;

function describe(error: unknown): string {
  return (error instanceof Error ? error.message : String(error)).replace(/\.$/, '') || 'unknown error';
}

const IMAGE_OPERATORS = new Set<number>([
  OPS.paintImageXObject,
  OPS.paintImageXObjectRepeat,
  OPS.paintInlineImageXObject,
  OPS.paintInlineImageXObjectGroup,
  OPS.paintImageMaskXObject,
  OPS.paintImageMaskXObjectGroup,
  OPS.paintImageMaskXObjectRepeat,
]);

/** Whether the page paints an image: asked only of pages without text, to know whether OCR can read them. */
async function drawsImages(page: PDFPageProxy): Promise<boolean> {
  const operators = await page.getOperatorList();
  return operators.fnArray.some((fn) => IMAGE_OPERATORS.has(fn));
}

/** A page's text runs; a page that fails to parse is reported, not fatal. */
async function readPage(doc: PDFDocumentProxy, pageNumber: number): Promise<RawPage> {
  const page = await doc.getPage(pageNumber).catch((error: unknown) => describe(error));
  if (typeof page === 'string') return { number: pageNumber, width: 0, height: 0, runs: [], error: page };
  try {
    const viewport = page.getViewport({ scale: 1 });
    const content = await page.getTextContent();
    const items = content.items.filter((item) => 'str' in item);
    const runs = toTextRuns(items, content.styles, viewport.transform);
    const read: RawPage = { number: pageNumber, width: viewport.width, height: viewport.height, runs };
    if (runs.length === 0) read.drawsImages = await drawsImages(page);
    return read;
  } catch (error) {
    return { number: pageNumber, width: 0, height: 0, runs: [], error: describe(error) };
  } finally {
    page.cleanup();
  }
}

/** The 1-based page an outline destination points to, if it can be resolved. */
async function destinationPage(doc: PDFDocumentProxy, dest: unknown): Promise<number | undefined> {
  try {
    const explicit = typeof dest === 'string' ? await doc.getDestination(dest) : dest;
    if (!Array.isArray(explicit)) return undefined;
    const target: unknown = explicit[0];
    // Some producers write a page index instead of a page reference.
    if (typeof target === 'number' && Number.isInteger(target)) return target + 1;
    if (target && typeof target === 'object' && 'num' in target && 'gen' in target) {
      return (await doc.getPageIndex(target as { num: number; gen: number })) + 1;
    }
  } catch {
    // An outline entry pointing nowhere is simply skipped.
  }
  return undefined;
}

interface OutlineNode {
  title: string;
  dest: unknown;
  items?: OutlineNode[];
}

async function readOutline(doc: PDFDocumentProxy): Promise<OutlineEntry[]> {
  const roots = ((await doc.getOutline().catch(() => null)) ?? []) as OutlineNode[];
  const entries: OutlineEntry[] = [];
  const walk = async (nodes: readonly OutlineNode[], depth: number): Promise<void> => {
    for (const node of nodes) {
      if (entries.length >= MAX_OUTLINE_ENTRIES) return;
      const pageNumber = await destinationPage(doc, node.dest);
      if (pageNumber !== undefined && typeof node.title === 'string') entries.push({ title: node.title, depth, pageNumber });
      await walk(node.items ?? [], depth + 1);
    }
  };
  await walk(roots, 0);
  return entries;
}

async function readMetadataTitle(doc: PDFDocumentProxy): Promise<unknown> {
  const meta = await doc.getMetadata().catch(() => undefined);
  if (!meta) return undefined;
  const infoTitle = (meta.info as Record<string, unknown> | undefined)?.['Title'];
  if (typeof infoTitle === 'string' && infoTitle.trim() !== '') return infoTitle;
  return meta.metadata?.get('dc:title') ?? infoTitle;
}

/** Reads everything the converter uses from an open PDF: page by page, releasing each page's resources. */
export async function readPdf(doc: PDFDocumentProxy): Promise<PdfContent> {
  const pages: RawPage[] = [];
  for (let pageNumber = 1; pageNumber <= doc.numPages; pageNumber++) pages.push(await readPage(doc, pageNumber));
  const labels = await doc.getPageLabels().catch(() => null);
  const outline = await readOutline(doc);
  const metadataTitle = await readMetadataTitle(doc);
  return { pages, labels, outline, metadataTitle };
}
