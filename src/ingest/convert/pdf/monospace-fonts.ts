import type { TextRun } from './model.js';

/** Runs of this many characters say something about a font's character widths; longer lines are often squeezed to fit. */
const MIN_SAMPLE_CHARS = 4;
const MAX_SAMPLE_CHARS = 40;
const MIN_SAMPLES = 5;
/** In a fixed-pitch font (nearly) every run has the same width per character, give or take rounding. */
const TOLERANCE = 0.02;
const MIN_SHARE_WITHIN_TOLERANCE = 0.9;

/** Text dominated by one character (dot leaders, rules of dashes) has the same width per character in any font. */
function isRepetitive(text: string): boolean {
  const counts = new Map<string, number>();
  for (const char of text) counts.set(char, (counts.get(char) ?? 0) + 1);
  return Math.max(...counts.values()) > text.length * 0.3;
}

/**
 * Names of fonts that behave as fixed-pitch. pdfjs only reports "monospace" when the font says so;
 * many PDFs embed Courier-like fonts without the flag, so the runs' widths are measured as well:
 * in a proportional font "iiii" and "MMMM" differ in width, in a fixed-pitch font they never do.
 */
export function findMonospaceFonts(runs: readonly TextRun[]): Set<string> {
  // Per font: width per character (in ems) of each distinct text; repeats of one text prove nothing.
  const perCharWidths = new Map<string, Map<string, number>>();
  const declared = new Set<string>();
  for (const run of runs) {
    if (run.monospace) declared.add(run.fontName);
    if (run.text.length < MIN_SAMPLE_CHARS || run.text.length > MAX_SAMPLE_CHARS || run.width <= 0 || isRepetitive(run.text)) continue;
    const widths = perCharWidths.get(run.fontName) ?? new Map<string, number>();
    widths.set(run.text, run.width / run.text.length / run.fontSize);
    perCharWidths.set(run.fontName, widths);
  }
  const fonts = new Set(declared);
  for (const [font, widthsByText] of perCharWidths) {
    if (widthsByText.size < MIN_SAMPLES) continue;
    const sorted = [...widthsByText.values()].sort((a, b) => a - b);
    const median = sorted[Math.floor(sorted.length / 2)]!;
    const within = sorted.filter((width) => Math.abs(width - median) <= median * TOLERANCE).length;
    if (within >= sorted.length * MIN_SHARE_WITHIN_TOLERANCE) fonts.add(font);
  }
  return fonts;
}
