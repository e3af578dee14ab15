import type { ConvertedDocument, ConvertedPage } from '../types.js';
import { scannedPdf, unreadablePdf, unrecognisedPdf } from './conversion-errors.js';
import { measureFonts, type FontStats } from './font-stats.js';
import { buildVocabulary, lineJoiner, type LineJoiner } from './hyphenation.js';
import { splitHeadingAddress } from './heading-urls.js';
import { blockText, classifyHeadings, matchKey, type TextBlock } from './headings.js';
import type { LaidOutPage, OutlineEntry, PdfContent, RawPage } from './model.js';
import { findMonospaceFonts } from './monospace-fonts.js';
import { codeText, paragraphText, renderMarkdown, type Block } from './render-markdown.js';
import { findRunningLines } from './running-lines.js';
import { segmentPage, stripBullet, type Segment } from './segments.js';
import { findTables, type OpenTable } from './tables.js';
import { groupIntoLines } from './text-layout.js';
import { tidyBlocks } from './tidy-blocks.js';
import { chooseTitle } from './title.js';

function markMonospace(pages: readonly RawPage[]): void {
  const monospace = findMonospaceFonts(pages.flatMap((page) => page.runs));
  for (const page of pages) for (const run of page.runs) run.monospace = monospace.has(run.fontName);
}

function layOut(pages: readonly RawPage[], labels: readonly string[] | null, outline: readonly OutlineEntry[]): LaidOutPage[] {
  const laidOut = pages.map((page) => ({ number: page.number, width: page.width, height: page.height, lines: groupIntoLines(page.runs) }));
  const outlineTitles = new Set(outline.map((entry) => matchKey(entry.title)));
  const isSectionTitle = (text: string) => outlineTitles.has(matchKey(text));
  const running = findRunningLines(
    laidOut.map((page, i) => ({ ...page, label: labels?.[i] })),
    isSectionTitle,
  );
  return laidOut.map((page, i) => ({ ...page, lines: page.lines.filter((_, j) => !running[i]![j]) }));
}

interface PageSegments {
  page: LaidOutPage;
  segments: Segment[];
}

function segmentPages(pages: readonly LaidOutPage[], fonts: FontStats, joinLines: LineJoiner): PageSegments[] {
  let open: OpenTable | undefined;
  return pages.map((page) => {
    const found = findTables(page.lines, { lineSpacing: fonts.lineSpacing, joinLines }, open);
    open = found.open;
    return { page, segments: segmentPage(page.lines, found.tables, fonts, found.columns) };
  });
}

function checkReadable(pages: readonly RawPage[], fileName: string): void {
  if (pages.length === 0) throw unreadablePdf(fileName, 'it has no pages');
  const failed = pages.filter((page) => page.error !== undefined);
  if (failed.length === pages.length) throw unreadablePdf(fileName, failed[0]!.error!);
  if (pages.some((page) => page.runs.length > 0)) return;
  const tried = pages.filter((page) => page.ocr !== undefined);
  if (tried.length === 0) throw scannedPdf(fileName, pages.length);
  // OCR could not run, or failed, on some page: that is the reason to give; otherwise it found nothing.
  const shortfall = tried.map((page) => page.ocr).find((ocr) => ocr?.recognised === false);
  throw unrecognisedPdf(fileName, pages.length, shortfall && { problem: shortfall.problem, ...(shortfall.debianPackage ? { debianPackage: shortfall.debianPackage } : {}) });
}

function pageWarnings(pages: readonly RawPage[]): string[] {
  return pages.flatMap((page) => {
    if (page.error !== undefined) return [`page ${page.number} could not be read (${page.error})`];
    if (page.runs.length > 0) return [];
    if (page.ocr?.recognised === false) {
      const install = page.ocr.debianPackage ? `; install the Debian package ${page.ocr.debianPackage} (apt install ${page.ocr.debianPackage}) and add the file again` : '';
      return [`page ${page.number} has no text layer and could not be read by OCR: ${page.ocr.problem}${install}`];
    }
    if (page.ocr?.recognised) return [`page ${page.number} has no text layer, and OCR found no text in its images`];
    return [`page ${page.number} has no text layer (scanned?)`];
  });
}

/** Turns the content read from a PDF into Markdown pages. Throws ConversionError when there is no text at all. */
export function buildDocument(content: PdfContent, fileName: string): ConvertedDocument {
  const { pages, labels } = content;
  checkReadable(pages, fileName);
  markMonospace(pages);
  const laidOut = layOut(pages, labels, content.outline);
  const fonts = measureFonts(laidOut);
  const join = lineJoiner(buildVocabulary(laidOut.flatMap((page) => page.lines.map((line) => line.text))));
  const segmented = segmentPages(laidOut, fonts, join);

  const textBlocks: TextBlock[] = [];
  for (const { page, segments } of segmented) {
    for (const segment of segments) if (segment.kind === 'text') textBlocks.push({ pageNumber: page.number, lines: segment.lines });
  }
  const levels = classifyHeadings(textBlocks, fonts, content.outline, pages.length, join);

  let blockIndex = 0;
  let firstHeading: { pageNumber: number; fontSize: number; text: string } | undefined;
  const convertedPages: ConvertedPage[] = segmented.map(({ page, segments }) => {
    const blocks: Block[] = segments.map((segment): Block => {
      switch (segment.kind) {
        case 'table':
          return { kind: 'table', rows: segment.rows };
        case 'code':
          return { kind: 'code', text: codeText(segment.lines) };
        case 'list-item': {
          const [first, ...rest] = segment.lines;
          const text = paragraphText([stripBullet(first!) ?? first!.text, ...rest.map((line) => line.text)], join);
          return { kind: 'list-item', depth: segment.depth, text };
        }
        case 'text': {
          const level = levels[blockIndex++];
          const text = paragraphText(segment.lines.map((line) => line.text), join);
          if (level === undefined) return { kind: 'paragraph', text };
          const fontSize = segment.lines[0]!.fontSize;
          // The title is the first top-level heading; on a cover page, the largest one.
          const headingText = splitHeadingAddress(blockText(segment.lines, join)).heading;
          if (headingText && level === 1 && (!firstHeading || (firstHeading.pageNumber === page.number && fontSize > firstHeading.fontSize))) {
            firstHeading = { pageNumber: page.number, fontSize, text: headingText };
          }
          return { kind: 'heading', level, text };
        }
      }
    });
    const label = labels?.[page.number - 1];
    const ocr = pages[page.number - 1]?.ocr?.recognised === true;
    return { number: page.number, ...(label ? { label } : {}), markdown: renderMarkdown(tidyBlocks(blocks)), ...(ocr ? { ocr } : {}) };
  });

  return {
    title: chooseTitle(content.metadataTitle, firstHeading?.text, fileName),
    pages: convertedPages,
    warnings: pageWarnings(pages),
  };
}
