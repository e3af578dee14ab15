/**
 * tesseract's hOCR output, read for what layout needs: text blocks, their lines with tesseract's
 * baseline and size estimate (x_size: the line's height from descender to ascender), and each
 * line's words with their boxes and confidence. All in image pixels.
 */
export interface OcrWord {
  text: string;
  left: number;
  top: number;
  right: number;
  bottom: number;
  /** tesseract's confidence, 0-100. */
  confidence: number;
}

export interface OcrLine {
  /** The text block (tesseract's "carea") the line belongs to. */
  block: string;
  /** The baseline's height where the line starts. */
  baseline: number;
  /** Descender to ascender: about the font size. */
  size: number;
  words: OcrWord[];
}

const ELEMENT = /<(?:div|p|span) class='(ocr_carea|ocr_par|ocr_line|ocr_header|ocr_caption|ocr_textfloat|ocrx_word)' id='([^']*)' title=(?:"([^"]*)"|'([^']*)')[^>]*>/g;
const LINE_CLASSES = new Set(['ocr_line', 'ocr_header', 'ocr_caption', 'ocr_textfloat']);
const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

function decode(text: string): string {
  return text
    .replace(/<[^>]*>/g, '')
    .replace(/&(amp|lt|gt|quot|apos|#(\d+)|#x([0-9a-f]+));/gi, (_, name: string, dec?: string, hex?: string) =>
      dec ? String.fromCodePoint(Number(dec)) : hex ? String.fromCodePoint(parseInt(hex, 16)) : ENTITIES[name.toLowerCase()]!,
    );
}

/** A property of an hOCR title ("bbox 1 2 3 4; x_wconf 96") as numbers. */
function property(title: string, name: string): number[] | undefined {
  const match = new RegExp(`(?:^|;)\\s*${name}((?:\\s+-?[\\d.]+)+)`).exec(title);
  return match ? match[1]!.trim().split(/\s+/).map(Number) : undefined;
}

export function parseHocr(hocr: string): OcrLine[] {
  if (!hocr.includes("class='ocr_page'")) throw new Error('tesseract did not write hOCR (no ocr_page element)');
  const lines: OcrLine[] = [];
  let block = '';
  let line: OcrLine | undefined;
  for (const match of hocr.matchAll(ELEMENT)) {
    const [, kind, id, doubleQuoted, singleQuoted] = match;
    const title = doubleQuoted ?? singleQuoted ?? '';
    const box = property(title, 'bbox');
    if (!box || box.length !== 4) continue;
    const [left, top, right, bottom] = box as [number, number, number, number];
    if (kind === 'ocr_carea') {
      block = id!;
    } else if (LINE_CLASSES.has(kind!)) {
      const [, offset = 0] = property(title, 'baseline') ?? [];
      const size = property(title, 'x_size')?.[0] ?? bottom - top;
      line = { block, baseline: bottom + offset, size, words: [] };
      lines.push(line);
    } else if (kind === 'ocrx_word' && line) {
      const end = hocr.indexOf('</span>', match.index + match[0].length);
      const text = decode(hocr.slice(match.index + match[0].length, end < 0 ? undefined : end)).trim();
      if (text !== '') line.words.push({ text, left, top, right, bottom, confidence: property(title, 'x_wconf')?.[0] ?? 0 });
    }
  }
  return lines.filter((l) => l.words.length > 0);
}
