/**
 * What the PDF converter reads from a PDF (pages of text runs, labels, outline, title) and the page
 * model it works on: text runs from the text layer, grouped into lines.
 * Coordinates are in PDF points with the origin at the page's top-left corner, y growing
 * downwards, so "top of the page" means small y whatever the PDF's own rotation or origin.
 */

/** One horizontal piece of text as the PDF draws it (a word, a phrase or a whole line). */
export interface TextRun {
  text: string;
  /** Left edge. */
  x: number;
  /** Baseline. */
  y: number;
  width: number;
  fontSize: number;
  /** Font identity within the document (pdfjs's loaded font name). */
  fontName: string;
  /** The font's generic family as pdfjs classifies it: "serif", "sans-serif" or "monospace". */
  fontFamily: string;
  monospace: boolean;
}

/** A column of a line: runs separated from their neighbours by a wide horizontal gap. */
export interface LineCell {
  text: string;
  x: number;
  xEnd: number;
}

/** Runs sharing a baseline, left to right. */
export interface TextLine {
  text: string;
  runs: TextRun[];
  x: number;
  xEnd: number;
  y: number;
  /** The size most of the line's characters are set in. */
  fontSize: number;
  /** The font most of the line's characters are set in, and its generic family. */
  fontName: string;
  fontFamily: string;
  monospace: boolean;
  cells: LineCell[];
}

/** One physical page after layout. */
export interface LaidOutPage {
  /** 1-based physical page number. */
  number: number;
  width: number;
  height: number;
  lines: TextLine[];
}

/** An outline (bookmark) entry resolved to its page. */
export interface OutlineEntry {
  title: string;
  /** 0 for top-level entries. */
  depth: number;
  /** 1-based page number the entry points to. */
  pageNumber: number;
}

/** One page as read from the PDF. */
export interface RawPage {
  /** 1-based physical page number. */
  number: number;
  width: number;
  height: number;
  runs: TextRun[];
  /** Why the page could not be read, when it could not. */
  error?: string;
  /** For a page without text: whether it draws images (a scan, a screenshot), the only pages OCR can read. */
  drawsImages?: boolean;
  /** For a page without a text layer: its runs were recognised by OCR, or why they could not be. */
  ocr?: { recognised: true } | { recognised: false; problem: string; /** The package to install, when OCR could not run at all. */ debianPackage?: string };
}

/** Everything the converter takes from a PDF. */
export interface PdfContent {
  pages: RawPage[];
  /** Printed page labels, one per page, when the PDF defines them. */
  labels: string[] | null;
  outline: OutlineEntry[];
  /** The document information dictionary's Title (or XMP dc:title), unvalidated. */
  metadataTitle: unknown;
}
