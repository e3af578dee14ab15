/**
 * Splits a page of Markdown into the blocks a chunker may not cut through lightly: headings,
 * paragraphs, list items, fenced code and tables.
 */
export type Block =
  | { kind: 'heading'; level: number; text: string }
  | { kind: 'paragraph' | 'code' | 'table' | 'list' | 'quote'; text: string };

const FENCE = /^(```+|~~~+)/;
const LIST_ITEM = /^\s*(?:[-*+]|\d{1,3}[.)])\s+/;

const HEADING_OPENER = /^(#{1,6})\s+/;
const LINE_TERMINATOR = /[\n\r\u2028\u2029]/;

/**
 * An ATX heading line's level and text, without its closing `#`s: what
 * `/^(#{1,6})\s+(.*?)\s*#*\s*$/` captures, found in linear time. That regex (its lazy group before
 * `\s*#*\s*$`) backtracks cubically on a heading with a long run of spaces, and the chunker runs in
 * the main thread, outside the converter's time limit: one such line stalled ingestion for minutes.
 */
export function parseAtxHeading(line: string): { level: number; text: string } | undefined {
  const opener = HEADING_OPENER.exec(line);
  if (!opener) return undefined;
  const rest = line.slice(opener[0].length);
  // The closing sequence is the longest tail of spaces, then `#`s, then spaces.
  let end = rest.length;
  while (end > 0 && /\s/.test(rest[end - 1]!)) end--;
  while (end > 0 && rest[end - 1] === '#') end--;
  while (end > 0 && /\s/.test(rest[end - 1]!)) end--;
  const text = rest.slice(0, end);
  if (LINE_TERMINATOR.test(text)) return undefined; // `.` never matched these, so the regex failed
  return { level: opener[1]!.length, text };
}

export function parseBlocks(markdown: string): Block[] {
  const blocks: Block[] = [];
  const lines = markdown.split('\n');
  let buffer: string[] = [];
  let bufferKind: 'paragraph' | 'table' | 'list' | 'quote' = 'paragraph';
  const flush = () => {
    const text = buffer.join('\n').trim();
    if (text) blocks.push({ kind: bufferKind, text });
    buffer = [];
  };
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    const fence = FENCE.exec(line);
    if (fence) {
      flush();
      const code = [line];
      for (i++; i < lines.length; i++) {
        code.push(lines[i]!);
        if (lines[i]!.startsWith(fence[1]!)) break;
      }
      blocks.push({ kind: 'code', text: code.join('\n') });
      continue;
    }
    const heading = parseAtxHeading(line);
    if (heading) {
      flush();
      if (heading.text) blocks.push({ kind: 'heading', level: heading.level, text: heading.text });
      continue;
    }
    if (line.trim() === '') {
      flush();
      continue;
    }
    const kind = line.trimStart().startsWith('|')
      ? 'table'
      : line.startsWith('>')
        ? 'quote'
        : LIST_ITEM.test(line)
          ? 'list'
          : undefined;
    // A new list item, or a change between table/quote/prose, starts a new block.
    if (kind === 'list' || (kind !== undefined && kind !== bufferKind) || (kind === undefined && bufferKind !== 'paragraph' && bufferKind !== 'list')) {
      flush();
      bufferKind = kind ?? 'paragraph';
    } else if (buffer.length === 0) {
      bufferKind = kind ?? 'paragraph';
    }
    buffer.push(line);
  }
  flush();
  return blocks;
}
