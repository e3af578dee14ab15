/**
 * Renders the library's own Markdown (what the converters write) as HTML: ATX headings with
 * ids, paragraphs, fenced code, pipe tables, lists, blockquotes and thematic breaks. It is not a
 * general CommonMark engine: raw HTML is shown as text, never passed through, and no link ever
 * comes out of document content.
 */

import { HeadingIds } from '../library/heading-anchors.js';
import { html, joinHtml, raw, type SafeHtml } from './html.js';
import { renderInline } from './markdown-inline.js';

export interface MarkdownOptions {
  /** Added to every heading level (then kept within 1–6), so document headings sit below the page's own. */
  headingShift?: number;
  /** Share one across several renders on the same page so heading ids stay unique. */
  headingIds?: HeadingIds;
}

/** Level of the shallowest ATX heading outside code, to map a text's headings under a page's own. */
export function shallowestHeading(markdown: string): number | undefined {
  let shallowest: number | undefined;
  let fence: string | undefined;
  for (const line of markdown.split('\n')) {
    const marker = FENCE.exec(line)?.[1];
    if (marker && (fence === undefined || marker.startsWith(fence))) fence = fence === undefined ? marker : undefined;
    const heading = fence === undefined ? HEADING.exec(line) : null;
    if (heading?.[2]?.trim()) shallowest = Math.min(shallowest ?? 6, heading[1]!.length);
  }
  return shallowest;
}

export function renderMarkdown(markdown: string, options: MarkdownOptions = {}): SafeHtml {
  const context: RenderContext = { shift: options.headingShift ?? 0, ids: options.headingIds ?? new HeadingIds() };
  return renderBlocks(markdown.replace(/\r\n?/g, '\n').split('\n'), context, 0);
}

interface RenderContext {
  shift: number;
  ids: HeadingIds;
}

const FENCE = /^ {0,3}(`{3,}|~{3,})\s*([^\s`]*)/;
const HEADING = /^ {0,3}(#{1,6})(?:[ \t]+(.*?))?(?:[ \t]+#+)?[ \t]*$/;
const RULE = /^ {0,3}([-*_])(?:[ \t]*\1){2,}[ \t]*$/;
const QUOTE = /^ {0,3}>/;
const TABLE_ROW = /^ {0,3}\|/;
const LIST_ITEM = /^([ \t]*)([-*+]|\d{1,9}[.)])[ \t]+(.*)$/;
/** Blockquotes nested deeper than this are shown as plain text rather than recursed into. */
const MAX_QUOTE_DEPTH = 8;

function startsBlock(line: string): boolean {
  return FENCE.test(line) || HEADING.test(line) || RULE.test(line) || QUOTE.test(line) || TABLE_ROW.test(line) || LIST_ITEM.test(line);
}

function renderBlocks(lines: string[], context: RenderContext, depth: number): SafeHtml {
  const out: SafeHtml[] = [];
  let i = 0;
  while (i < lines.length) {
    const line = lines[i]!;
    if (line.trim() === '') {
      i++;
      continue;
    }
    const fence = FENCE.exec(line);
    if (fence) {
      const marker = fence[1]!;
      const closing = new RegExp(`^ {0,3}${marker[0] === '`' ? '`' : '~'}{${marker.length},}\\s*$`);
      const code: string[] = [];
      for (i++; i < lines.length && !closing.test(lines[i]!); i++) code.push(lines[i]!);
      i++;
      out.push(codeBlock(code.join('\n'), fence[2] ?? ''));
      continue;
    }
    const heading = HEADING.exec(line);
    if (heading) {
      i++;
      const text = heading[2]?.trim() ?? '';
      if (text) out.push(headingElement(heading[1]!.length, text, context, depth));
      continue;
    }
    if (RULE.test(line)) {
      i++;
      out.push(html`<hr>`);
      continue;
    }
    if (QUOTE.test(line)) {
      const quoted: string[] = [];
      for (; i < lines.length && QUOTE.test(lines[i]!); i++) quoted.push(lines[i]!.replace(/^ {0,3}> ?/, ''));
      const inner = depth < MAX_QUOTE_DEPTH ? renderBlocks(quoted, context, depth + 1) : paragraph(quoted);
      out.push(html`<blockquote>${inner}</blockquote>`);
      continue;
    }
    if (TABLE_ROW.test(line)) {
      const rows: string[] = [];
      for (; i < lines.length && TABLE_ROW.test(lines[i]!); i++) rows.push(lines[i]!);
      out.push(table(rows));
      continue;
    }
    if (LIST_ITEM.test(line)) {
      const listLines: string[] = [];
      for (; i < lines.length; i++) {
        const current = lines[i]!;
        const continues = LIST_ITEM.test(current) || (/^[ \t]+\S/.test(current) && !FENCE.test(current));
        const blankBeforeMore = current.trim() === '' && i + 1 < lines.length && (LIST_ITEM.test(lines[i + 1]!) || /^[ \t]+\S/.test(lines[i + 1]!));
        if (continues) listLines.push(current);
        else if (!blankBeforeMore) break;
      }
      out.push(list(listLines));
      continue;
    }
    const text: string[] = [];
    for (; i < lines.length && lines[i]!.trim() !== '' && (text.length === 0 || !startsBlock(lines[i]!)); i++) text.push(lines[i]!);
    out.push(paragraph(text));
  }
  return joinHtml(out, '\n');
}

function paragraph(lines: string[]): SafeHtml {
  return html`<p>${renderInline(lines.map((l) => l.trim()).join('\n'))}</p>`;
}

function codeBlock(code: string, info: string): SafeHtml {
  const language = /^[\w+#.-]{1,30}$/.test(info) ? info : '';
  return language ? html`<pre><code class="${`language-${language}`}">${code}</code></pre>` : html`<pre><code>${code}</code></pre>`;
}

/**
 * Headings at the top level get the document's anchors; a heading quoted inside a blockquote is
 * not a section of the document, so it gets none and does not shift the anchors after it.
 */
function headingElement(level: number, text: string, context: RenderContext, depth: number): SafeHtml {
  const shown = Math.min(6, Math.max(1, level + context.shift));
  // The level comes from a regex match count clamped to 1–6, so it is safe to splice into the tag.
  const tag = raw(`h${shown}`);
  if (depth > 0) return html`<${tag}>${renderInline(text)}</${tag}>`;
  const id = context.ids.next(text);
  return html`<${tag} id="${id}">${renderInline(text)} <a class="anchor" href="#${id}" aria-hidden="true" tabindex="-1">#</a></${tag}>`;
}

// ---- tables ---------------------------------------------------------------------------------

const DELIMITER_CELL = /^\s*:?-+:?\s*$/;

function splitRow(row: string): string[] {
  const body = row.trim().replace(/^\|/, '').replace(/(?<!\\)\|$/, '');
  return body.split(/(?<!\\)\|/).map((cell) => cell.trim());
}

function alignment(cell: string): string | undefined {
  const left = cell.trim().startsWith(':');
  const right = cell.trim().endsWith(':');
  if (left && right) return 'align-center';
  if (right) return 'align-right';
  return undefined;
}

function table(rows: string[]): SafeHtml {
  const cells = rows.map(splitRow);
  const delimiter = cells[1];
  const hasHeader = delimiter !== undefined && delimiter.length > 0 && delimiter.every((c) => DELIMITER_CELL.test(c));
  const aligns = hasHeader ? delimiter.map(alignment) : [];
  const cellHtml = (tag: 'th' | 'td', text: string, column: number) => {
    const align = aligns[column];
    const content = renderInline(text);
    if (tag === 'th') return align ? html`<th scope="col" class="${align}">${content}</th>` : html`<th scope="col">${content}</th>`;
    return align ? html`<td class="${align}">${content}</td>` : html`<td>${content}</td>`;
  };
  const rowHtml = (row: string[], tag: 'th' | 'td') => html`<tr>${row.map((text, column) => cellHtml(tag, text, column))}</tr>`;
  const head = hasHeader ? html`<thead>${rowHtml(cells[0]!, 'th')}</thead>` : '';
  const body = (hasHeader ? cells.slice(2) : cells).map((row) => rowHtml(row, 'td'));
  return html`<div class="table-wrap"><table>${head}<tbody>${body}</tbody></table></div>`;
}

// ---- lists ----------------------------------------------------------------------------------

interface ListNode {
  ordered: boolean;
  start: number;
  indent: number;
  items: { text: string[]; children: ListNode[] }[];
}

function indentWidth(whitespace: string): number {
  return whitespace.replace(/\t/g, '    ').length;
}

/** Builds nested lists from item indentation; indented lines that are not items continue the item above. */
function list(lines: string[]): SafeHtml {
  const roots: ListNode[] = [];
  const stack: ListNode[] = [];
  for (const line of lines) {
    const item = LIST_ITEM.exec(line);
    if (!item) {
      stack.at(-1)?.items.at(-1)?.text.push(line.trim());
      continue;
    }
    const indent = indentWidth(item[1]!);
    const marker = item[2]!;
    const ordered = /\d/.test(marker);
    while (stack.length > 0 && stack.at(-1)!.indent > indent) stack.pop();
    let top = stack.at(-1);
    if (top && indent > top.indent && top.items.length > 0) {
      const child: ListNode = { ordered, start: ordered ? parseInt(marker, 10) : 1, indent, items: [] };
      top.items.at(-1)!.children.push(child);
      stack.push(child);
      top = child;
    } else if (!top || top.ordered !== ordered) {
      if (top) stack.pop();
      const sibling: ListNode = { ordered, start: ordered ? parseInt(marker, 10) : 1, indent, items: [] };
      const parent = stack.at(-1);
      if (parent) parent.items.at(-1)!.children.push(sibling);
      else roots.push(sibling);
      stack.push(sibling);
      top = sibling;
    }
    top.items.push({ text: [item[3]!], children: [] });
  }
  return joinHtml(roots.map(listHtml), '\n');
}

function listHtml(node: ListNode): SafeHtml {
  const items = node.items.map((item) => html`<li>${renderInline(item.text.join('\n'))}${item.children.map(listHtml)}</li>`);
  if (!node.ordered) return html`<ul>${items}</ul>`;
  return node.start === 1 ? html`<ol>${items}</ol>` : html`<ol start="${node.start}">${items}</ol>`;
}
