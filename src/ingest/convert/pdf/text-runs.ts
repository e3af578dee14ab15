import type { TextRun } from './model.js';

/** The parts of a pdfjs text item the converter reads. */
export interface RawTextItem {
  str: string;
  /** Text-space to PDF-space matrix [a, b, c, d, e, f]. */
  transform: number[];
  width: number;
  fontName: string;
}

export type FontFamilies = Record<string, { fontFamily: string } | undefined>;

type Matrix = [number, number, number, number, number, number];

function multiply(m1: Matrix, m2: readonly number[]): Matrix {
  const [a1, b1, c1, d1, e1, f1] = m1;
  const [a2 = 1, b2 = 0, c2 = 0, d2 = 1, e2 = 0, f2 = 0] = m2;
  return [
    a1 * a2 + c1 * b2,
    b1 * a2 + d1 * b2,
    a1 * c2 + c1 * d2,
    b1 * c2 + d1 * d2,
    a1 * e2 + c1 * f2 + e1,
    b1 * e2 + d1 * f2 + f1,
  ];
}

// Control characters and soft hyphens carry no text; no-break and other odd spaces become plain
// spaces; Unicode hyphens become the ASCII hyphen people type when they search ("PAN-OS").
const INVISIBLE = /[\u0000-\u0008\u000b-\u001f\u007f\u00ad\u200b\ufeff]/g;
const ODD_SPACE = /[\t\u00a0\u2000-\u200a\u202f\u205f\u3000]/g;
const ODD_HYPHEN = /[\u2010\u2011]/g;

export function cleanText(text: string): string {
  return text.replace(INVISIBLE, '').replace(ODD_SPACE, ' ').replace(ODD_HYPHEN, '-');
}

/**
 * Turns text items into runs in top-down page coordinates. `viewportTransform` is a scale-1
 * viewport's transform: it maps PDF space to the page as displayed (undoing /Rotate and the
 * upward y axis) without changing lengths, so item widths stay valid. Text that is not horizontal
 * on the displayed page (rotated margin notes, vertical stamps) is dropped: it would otherwise be
 * spliced into unrelated lines.
 */
export function toTextRuns(items: readonly RawTextItem[], fonts: FontFamilies, viewportTransform: readonly number[]): TextRun[] {
  const viewport = viewportTransform.slice(0, 6) as Matrix;
  const runs: TextRun[] = [];
  for (const item of items) {
    const text = cleanText(item.str);
    if (text.trim() === '') continue;
    const [a, b, , d, e, f] = multiply(viewport, item.transform);
    const horizontal = a > 0 && Math.abs(b) <= Math.abs(a) * 0.05;
    const fontSize = Math.abs(d);
    if (!horizontal || fontSize < 1) continue;
    runs.push({
      text,
      x: e,
      y: f,
      width: Math.max(0, item.width),
      fontSize,
      fontName: item.fontName,
      fontFamily: fonts[item.fontName]?.fontFamily ?? '',
      monospace: fonts[item.fontName]?.fontFamily === 'monospace',
    });
  }
  return runs;
}
