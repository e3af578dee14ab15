import { joinLines, type LineJoiner } from './hyphenation.js';
import { codeFence, collapseLeaders, escapeLineStart, tableCell } from './markdown-text.js';
import { defuseScriptLinks } from '../markdown-escape.js';
import type { TextLine } from './model.js';

/** A page's content, classified and ready to be written as Markdown. */
export type Block =
  | { kind: 'heading'; level: number; text: string }
  | { kind: 'paragraph'; text: string }
  | { kind: 'list-item'; depth: number; text: string }
  | { kind: 'code'; text: string }
  | { kind: 'table'; rows: string[][] };

/** A paragraph's lines as one line of text, broken words rejoined. */
export function paragraphText(lines: readonly string[], join: LineJoiner = joinLines): string {
  return collapseLeaders(lines.reduce((text, line) => join(text, line), '')).trim();
}

/** Code lines with their indentation recovered from their x positions. */
export function codeText(lines: readonly TextLine[]): string {
  const left = Math.min(...lines.map((line) => line.x));
  const charWidths = lines.flatMap((line) => line.runs.filter((run) => run.text.length > 0).map((run) => run.width / run.text.length));
  const charWidth = charWidths.sort((a, b) => a - b)[Math.floor(charWidths.length / 2)] || 1;
  const spacing = Math.min(...lines.slice(1).map((line, i) => line.y - lines[i]!.y).filter((gap) => gap > 0), Infinity);
  const out: string[] = [];
  lines.forEach((line, i) => {
    const gap = i > 0 ? line.y - lines[i - 1]!.y : 0;
    // A gap well over the listing's line spacing was a blank line.
    if (i > 0 && Number.isFinite(spacing) && gap > spacing * 1.7) out.push('');
    out.push(' '.repeat(Math.max(0, Math.round((line.x - left) / charWidth))) + line.text);
  });
  return out.join('\n');
}

function renderTable(rows: readonly string[][]): string {
  const width = Math.max(...rows.map((row) => row.length));
  const cells = (row: readonly string[]) => Array.from({ length: width }, (_, i) => defuseScriptLinks(tableCell(row[i] ?? '')));
  const line = (row: readonly string[]) => `| ${cells(row).join(' | ')} |`;
  const [header = [], ...body] = rows;
  return [line(header), `|${' --- |'.repeat(width)}`, ...body.map(line)].join('\n');
}

function renderBlock(block: Block): string {
  switch (block.kind) {
    case 'heading':
      return `${'#'.repeat(block.level)} ${defuseScriptLinks(block.text)}`;
    case 'paragraph':
      return escapeLineStart(defuseScriptLinks(block.text));
    case 'list-item':
      return `${'  '.repeat(block.depth)}- ${escapeLineStart(defuseScriptLinks(block.text))}`;
    case 'code': {
      const fence = codeFence(block.text);
      return `${fence}\n${block.text}\n${fence}`;
    }
    case 'table':
      return renderTable(block.rows);
  }
}

/** Blocks separated by blank lines; consecutive list items stay together as one list. */
export function renderMarkdown(blocks: readonly Block[]): string {
  let markdown = '';
  blocks.forEach((block, i) => {
    if (i > 0) markdown += block.kind === 'list-item' && blocks[i - 1]!.kind === 'list-item' ? '\n' : '\n\n';
    markdown += renderBlock(block);
  });
  return markdown;
}
