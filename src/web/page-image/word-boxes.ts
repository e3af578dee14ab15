/**
 * Where each word sits on a PDF page, from `pdftotext -bbox-layout` (PDF points, origin top left),
 * grouped by the line poppler read it in. Cached beside the page images as JSON.
 */
import { cachedFile } from './page-cache-file.js';
import { cacheFile, type PdfPage } from './pdf-page.js';
import { runTool } from './poppler.js';

export interface WordBox {
  text: string;
  x0: number;
  y0: number;
  x1: number;
  y1: number;
}

export interface PageWords {
  width: number;
  height: number;
  lines: WordBox[][];
}

export async function pageWords(page: PdfPage): Promise<PageWords> {
  const json = await cachedFile(cacheFile(page, `p${page.page}-words.json`), async () => {
    const xhtml = await runTool('pdftotext', ['-f', String(page.page), '-l', String(page.page), '-bbox-layout', page.file, '-'], `page ${page.page} of ${page.document.docId}`);
    return Buffer.from(JSON.stringify(parseBboxLayout(xhtml.toString('utf8'))));
  });
  return JSON.parse(json.toString('utf8')) as PageWords;
}

const PAGE = /<page width="([\d.]+)" height="([\d.]+)">/;
const LINE = /<line\b[^>]*>([\s\S]*?)<\/line>/g;
const WORD = /<word xMin="([\d.-]+)" yMin="([\d.-]+)" xMax="([\d.-]+)" yMax="([\d.-]+)">([\s\S]*?)<\/word>/g;
const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

/** The first page of pdftotext's bbox-layout XHTML; a page without text has no lines. */
export function parseBboxLayout(xhtml: string): PageWords {
  const size = PAGE.exec(xhtml);
  const words: PageWords = { width: Number(size?.[1] ?? 612), height: Number(size?.[2] ?? 792), lines: [] };
  for (const line of xhtml.matchAll(LINE)) {
    const boxes = [...line[1]!.matchAll(WORD)].map((w) => ({
      text: decodeEntities(w[5]!),
      x0: Number(w[1]), y0: Number(w[2]), x1: Number(w[3]), y1: Number(w[4]),
    }));
    if (boxes.length > 0) words.lines.push(boxes);
  }
  return words;
}

function decodeEntities(text: string): string {
  return text.replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (whole, name: string) => {
    if (name[0] !== '#') return ENTITIES[name.toLowerCase()] ?? whole;
    const code = name[1] === 'x' || name[1] === 'X' ? parseInt(name.slice(2), 16) : parseInt(name.slice(1), 10);
    return code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : whole;
  });
}
