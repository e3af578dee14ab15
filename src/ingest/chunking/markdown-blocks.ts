/**
 * Splits a page of Markdown into the blocks a chunker may not cut through lightly: headings,
 * paragraphs, list items, fenced code and tables.
 */
export type Block =
  | { kind: 'heading'; level: number; text: string }
  | { kind: 'paragraph' | 'code' | 'table' | 'list' | 'quote'; text: string };

const HEADING = /^(#{1,6})\s+(.*?)\s*#*\s*$/;
const FENCE = /^(```+|~~~+)/;
const LIST_ITEM = /^\s*(?:[-*+]|\d{1,3}[.)])\s+/;

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
    const heading = HEADING.exec(line);
    if (heading) {
      flush();
      if (heading[2]) blocks.push({ kind: 'heading', level: heading[1]!.length, text: heading[2] });
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
