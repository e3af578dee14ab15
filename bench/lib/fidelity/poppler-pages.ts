import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

/**
 * Poppler's side of the fidelity comparison. The reference text of a page is what
 * `pdftotext -f N -l N file -` prints (its default reading-order mode); `pdftotext -bbox-layout`
 * gives the same lines with their boxes, which is how running headers and footers are found
 * (see running-lines.ts) and left out of the reference.
 */
const run = promisify(execFile);
const MAX_BUFFER = 256 * 1024 * 1024;

export interface PopplerLine {
  text: string;
  yMin: number;
  yMax: number;
}

export interface PopplerPage {
  number: number;
  height: number;
  /** Default-mode text, one entry per non-empty line. */
  lines: string[];
  /** The same page's lines with their vertical extent, from -bbox-layout. */
  boxes: PopplerLine[];
}

const ENTITIES: Record<string, string> = { '&lt;': '<', '&gt;': '>', '&quot;': '"', '&apos;': "'", '&amp;': '&' };
const decode = (text: string) => text.replace(/&(?:lt|gt|quot|apos|amp);/g, (entity) => ENTITIES[entity]!);

function parseBoxes(xml: string): { height: number; boxes: PopplerLine[] }[] {
  return xml.split('<page ').slice(1).map((page) => {
    const height = Number(/^width="[\d.]+" height="([\d.]+)"/.exec(page)?.[1] ?? Number.NaN);
    const boxes = [...page.matchAll(/<line xMin="[\d.]+" yMin="([\d.]+)" xMax="[\d.]+" yMax="([\d.]+)">([\s\S]*?)<\/line>/g)].map((line) => ({
      yMin: Number(line[1]),
      yMax: Number(line[2]),
      text: [...line[3]!.matchAll(/<word[^>]*>([^<]*)<\/word>/g)].map((word) => decode(word[1]!)).join(' '),
    }));
    return { height, boxes };
  });
}

/** Pages `from` to `to` (1-based, inclusive) of a PDF, as poppler reads them. */
export async function popplerPages(file: string, to: number, from = 1): Promise<PopplerPage[]> {
  const { stdout: xml } = await run('pdftotext', ['-bbox-layout', '-f', String(from), '-l', String(to), file, '-'], { maxBuffer: MAX_BUFFER });
  const layout = parseBoxes(xml);
  const pages: PopplerPage[] = [];
  for (let number = from; number <= to; number++) {
    const { stdout } = await run('pdftotext', ['-f', String(number), '-l', String(number), file, '-'], { maxBuffer: MAX_BUFFER });
    const lines = stdout.replace(/\f/g, '').split('\n').map((line) => line.trim()).filter((line) => line !== '');
    const { height, boxes } = layout[number - from] ?? { height: Number.NaN, boxes: [] };
    pages.push({ number, height, lines, boxes });
  }
  return pages;
}
