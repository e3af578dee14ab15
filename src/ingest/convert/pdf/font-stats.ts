import type { LaidOutPage, TextLine } from './model.js';

/** What the document's typography says about its body text. */
export interface FontStats {
  /** The size most of the (non-code) text is set in. */
  bodySize: number;
  /** The font most body-size text is set in, and its generic family. */
  bodyFont: string;
  bodyFontFamily: string;
  /** Characters per font size, over the whole document. */
  charsPerSize: Map<number, number>;
  /** Pages on which each font size occurs. */
  pagesPerSize: Map<number, Set<number>>;
  /** The usual baseline-to-baseline distance of consecutive lines in a paragraph of this size. */
  lineSpacing(size: number): number;
}

const DEFAULT_LEADING = 1.2;

function charCount(line: TextLine): number {
  return line.text.replace(/\s/g, '').length;
}

function heaviest<K>(weights: Map<K, number>, fallback: K): K {
  let best = fallback;
  let bestWeight = -Infinity;
  for (const [key, weight] of weights) {
    if (weight > bestWeight) {
      best = key;
      bestWeight = weight;
    }
  }
  return best;
}

function addTo<K>(map: Map<K, number>, key: K, amount: number): void {
  map.set(key, (map.get(key) ?? 0) + amount);
}

export function measureFonts(pages: readonly LaidOutPage[]): FontStats {
  const charsPerSize = new Map<number, number>();
  const proseCharsPerSize = new Map<number, number>();
  const pagesPerSize = new Map<number, Set<number>>();
  for (const page of pages) {
    for (const line of page.lines) {
      addTo(charsPerSize, line.fontSize, charCount(line));
      // Code listings can outweigh the prose; they do not define the body size.
      if (!line.monospace) addTo(proseCharsPerSize, line.fontSize, charCount(line));
      const seenOn = pagesPerSize.get(line.fontSize) ?? new Set<number>();
      seenOn.add(page.number);
      pagesPerSize.set(line.fontSize, seenOn);
    }
  }
  const bodySize = heaviest(proseCharsPerSize.size > 0 ? proseCharsPerSize : charsPerSize, 10);

  const charsPerBodyFont = new Map<string, number>();
  const familyOf = new Map<string, string>();
  for (const page of pages) {
    for (const line of page.lines) {
      if (line.fontSize !== bodySize || line.monospace) continue;
      addTo(charsPerBodyFont, line.fontName, charCount(line));
      familyOf.set(line.fontName, line.fontFamily);
    }
  }
  const bodyFont = heaviest(charsPerBodyFont, '');
  const bodyFontFamily = familyOf.get(bodyFont) ?? '';

  // Per size, how often each (half-point rounded) gap between consecutive lines occurs.
  const gapsPerSize = new Map<number, Map<number, number>>();
  for (const page of pages) {
    for (let i = 1; i < page.lines.length; i++) {
      const previous = page.lines[i - 1]!;
      const line = page.lines[i]!;
      if (line.fontSize !== previous.fontSize) continue;
      const gap = line.y - previous.y;
      if (gap < line.fontSize * 0.9 || gap > line.fontSize * 2.2) continue;
      const gaps = gapsPerSize.get(line.fontSize) ?? new Map<number, number>();
      addTo(gaps, Math.round(gap * 2) / 2, 1);
      gapsPerSize.set(line.fontSize, gaps);
    }
  }
  const lineSpacing = (size: number): number => {
    const gaps = gapsPerSize.get(size);
    return gaps ? heaviest(gaps, size * DEFAULT_LEADING) : size * DEFAULT_LEADING;
  };

  return { bodySize, bodyFont, bodyFontFamily, charsPerSize, pagesPerSize, lineSpacing };
}
