/**
 * Renders an already-cleaned HTML content element as Markdown. Links keep only their text (the
 * library never emits URLs), images become their alt text in brackets, and all text is escaped
 * so it cannot turn into Markdown structure or raw HTML.
 */
import { HTMLElement, TextNode, type Node } from 'node-html-parser';
import { escapeHtmlOpeners, escapeInlineText, escapeLineStart } from './markdown-escape.js';

interface RenderContext {
  /** Inside a pipe-table cell everything must collapse onto one line. */
  inTableCell: boolean;
}

const BLOCK_TAGS = new Set([
  'address', 'article', 'aside', 'blockquote', 'body', 'caption', 'center', 'dd', 'details', 'dialog',
  'div', 'dl', 'dt', 'fieldset', 'figcaption', 'figure', 'footer', 'form', 'h1', 'h2', 'h3', 'h4', 'h5',
  'h6', 'header', 'hgroup', 'hr', 'html', 'li', 'main', 'menu', 'nav', 'ol', 'p', 'pre', 'section',
  'summary', 'table', 'tbody', 'td', 'tfoot', 'th', 'thead', 'tr', 'ul',
]);

const CODE_TAGS = new Set(['code', 'kbd', 'samp', 'tt']);
const STRONG_TAGS = new Set(['strong', 'b']);
const EMPHASIS_TAGS = new Set(['em', 'i', 'cite', 'var', 'dfn']);
/** Languages that mean "no particular language" in Sphinx/Pygments/highlight.js class names. */
const NO_LANGUAGE = new Set(['default', 'none', 'text', 'plaintext', 'nohighlight', 'plain']);

/** Converts `root` to Markdown: blocks separated by one blank line, ending with a newline. */
export function htmlToMarkdown(root: HTMLElement): string {
  const markdown = blocksOf(root, { inTableCell: false }).join('\n\n').trim();
  return markdown ? `${markdown}\n` : '';
}

function tagOf(element: HTMLElement): string {
  return element.rawTagName?.toLowerCase() ?? '';
}

function isElement(node: Node): node is HTMLElement {
  return node instanceof HTMLElement;
}

/** Block tags, plus inline tags wrapping blocks (e.g. an `<a>` card holding a heading). */
function isBlockLevel(element: HTMLElement): boolean {
  return BLOCK_TAGS.has(tagOf(element)) || element.childNodes.some((c) => isElement(c) && isBlockLevel(c));
}

/** Renders the children of `parent`, gathering runs of inline content into paragraphs. */
function blocksOf(parent: HTMLElement, ctx: RenderContext): string[] {
  const blocks: string[] = [];
  let inline = '';
  const flush = (): void => {
    const text = paragraph(inline);
    if (text) blocks.push(text);
    inline = '';
  };
  for (const child of parent.childNodes) {
    if (isElement(child) && isBlockLevel(child)) {
      flush();
      blocks.push(...blockOf(child, ctx));
    } else {
      inline += inlineOf(child, ctx);
    }
  }
  flush();
  return blocks;
}

/** Lines of inline text, trimmed and escaped so none of them starts a Markdown structure. */
function paragraph(inline: string): string {
  return inline
    .split('\n')
    .map((line) => escapeLineStart(line.trim()))
    .filter((line) => line.length > 0)
    .join('\n');
}

function blockOf(element: HTMLElement, ctx: RenderContext): string[] {
  const tag = tagOf(element);
  const heading = /^h([1-6])$/.exec(tag);
  if (heading?.[1]) {
    const text = singleLine(inlineChildren(element, ctx));
    if (!text) return [];
    return [ctx.inTableCell ? text : `${'#'.repeat(Number(heading[1]))} ${text}`];
  }
  if (tag === 'pre') return ctx.inTableCell ? [codeSpan(element.text)] : [fencedCode(element)];
  if (tag === 'ul' || tag === 'ol') return listOf(element, tag === 'ol', ctx);
  if (tag === 'dl') return definitionList(element, ctx);
  if (tag === 'table') return ctx.inTableCell ? [flattenedTable(element, ctx)] : tableOf(element, ctx);
  if (tag === 'blockquote') return quote(blocksOf(element, ctx));
  if (tag === 'hr') return ctx.inTableCell ? [] : ['---'];
  if (tag === 'details') return detailsOf(element, ctx);
  if (element.classList.contains('admonition')) return admonitionOf(element, ctx);
  return blocksOf(element, ctx);
}

function inlineOf(node: Node, ctx: RenderContext): string {
  if (node instanceof TextNode) {
    return escapeText(node.text.replace(/[\s\u00a0]+/g, ' '));
  }
  if (!isElement(node)) return '';
  const tag = tagOf(node);
  if (tag === 'br') return ctx.inTableCell ? ' ' : '\n';
  if (tag === 'img') {
    const alt = singleLine(node.getAttribute('alt') ?? '');
    return alt ? `[${escapeText(alt)}]` : '';
  }
  if (CODE_TAGS.has(tag)) return codeSpan(node.text);
  if (STRONG_TAGS.has(tag)) return wrap('**', inlineChildren(node, ctx));
  if (EMPHASIS_TAGS.has(tag)) return wrap('*', inlineChildren(node, ctx));
  return inlineChildren(node, ctx);
}

function escapeText(text: string): string {
  return escapeHtmlOpeners(escapeInlineText(text));
}

function inlineChildren(element: HTMLElement, ctx: RenderContext): string {
  return element.childNodes.map((child) => inlineOf(child, ctx)).join('');
}

/** Wraps the text in an emphasis marker, keeping surrounding spaces outside the marker. */
function wrap(marker: string, text: string): string {
  const inner = text.trim();
  // Already wrapped (`<dt><strong>x</strong></dt>`): doubling the marker would break it.
  if (!inner || (inner.startsWith(marker) && inner.endsWith(marker))) return text;
  const leading = /^\s*/.exec(text)?.[0] ?? '';
  // Not /\s*$/: tried at every offset, it takes quadratic time on a long run of spaces.
  const trailing = text.slice(text.trimEnd().length);
  return `${leading}${marker}${inner.replace(/\n+/g, ' ')}${marker}${trailing}`;
}

function singleLine(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

function codeSpan(raw: string): string {
  const text = raw.replace(/[\s\u00a0]+/g, ' ').trim();
  if (!text) return '';
  const longestRun = longestMatch(text, /`+/g);
  const fence = '`'.repeat(longestRun + 1);
  const pad = text.startsWith('`') || text.endsWith('`') ? ' ' : '';
  return `${fence}${pad}${text}${pad}${fence}`;
}

/** Length of the longest match (a reduce: spreading many matches into Math.max overflows the stack). */
function longestMatch(text: string, pattern: RegExp): number {
  return (text.match(pattern) ?? []).reduce((longest, run) => Math.max(longest, run.length), 0);
}

function fencedCode(pre: HTMLElement): string {
  const code = pre.text.replace(/^\r?\n/, '').replace(/\r\n?/g, '\n').trimEnd();
  const longestRun = longestMatch(code, /`{3,}/g);
  const fence = '`'.repeat(Math.max(3, longestRun + 1));
  return `${fence}${languageOf(pre)}\n${code}\n${fence}`;
}

/** The highlight language from `language-x`, `lang-x` or Sphinx's `highlight-x` on the block or its wrappers. */
function languageOf(pre: HTMLElement): string {
  const code = pre.childNodes.find((c): c is HTMLElement => isElement(c) && tagOf(c) === 'code');
  const wrapper = pre.parentNode;
  const candidates = [pre, code, wrapper, wrapper?.parentNode];
  for (const element of candidates) {
    if (!element) continue;
    const dataLang = element.getAttribute('data-lang');
    const classLang = element.classList.value
      .map((name) => /^(?:language|lang|highlight)-([\w+#.-]+)$/.exec(name)?.[1])
      .find((lang) => lang !== undefined);
    const lang = (classLang ?? dataLang ?? '').toLowerCase();
    if (lang && /^[\w+#.-]+$/.test(lang)) return NO_LANGUAGE.has(lang) ? '' : lang;
  }
  return '';
}

function listOf(list: HTMLElement, ordered: boolean, ctx: RenderContext): string[] {
  if (ctx.inTableCell) {
    return list.children.map((item) => blocksOf(item, ctx).join(' ')).filter(Boolean);
  }
  let number = Number.parseInt(list.getAttribute('start') ?? '1', 10);
  if (!Number.isFinite(number)) number = 1;
  const items: string[][] = [];
  for (const child of list.children) {
    const blocks = blocksOf(child, ctx);
    const previous = items.at(-1);
    // A list nested directly in a list (invalid but common) belongs to the preceding item.
    if (tagOf(child) !== 'li' && previous) previous.push(...blocks);
    else if (blocks.length > 0) items.push(blocks);
  }
  if (items.length === 0) return [];
  const rendered = items.map((blocks) => listItem(ordered ? `${number++}. ` : '- ', blocks));
  const tight = items.every((blocks) => blocks.slice(1).every(isList));
  return [rendered.join(tight ? '\n' : '\n\n')];
}

function isList(block: string): boolean {
  return /^(?:[-*+]|\d+\.) /.test(block);
}

function listItem(marker: string, blocks: string[]): string {
  const body = blocks.map((block, i) => (i === 0 ? block : `${isList(block) ? '\n' : '\n\n'}${block}`)).join('');
  const indent = ' '.repeat(marker.length);
  return body
    .split('\n')
    .map((line, i) => (i === 0 ? `${marker}${line}` : line ? `${indent}${line}` : ''))
    .join('\n');
}

/** Terms become bold lines (Sphinx puts command signatures there), definitions plain blocks. */
function definitionList(list: HTMLElement, ctx: RenderContext): string[] {
  const blocks: string[] = [];
  for (const child of list.children) {
    if (tagOf(child) === 'dt') {
      // A Sphinx signature is a command or API line: a code span keeps its `<placeholders>` literal.
      const signature = child.classList.contains('sig');
      const term = signature ? codeSpan(child.text) : singleLine(inlineChildren(child, ctx));
      if (term) blocks.push(wrap('**', term));
    } else {
      blocks.push(...blocksOf(child, ctx));
    }
  }
  return blocks;
}

function quote(blocks: string[]): string[] {
  if (blocks.length === 0) return [];
  const text = blocks.join('\n\n');
  return [text.split('\n').map((line) => (line ? `> ${line}` : '>')).join('\n')];
}

/** Sphinx/MkDocs admonitions: `> **Note:** text`, like the Markdown converter produces. */
function admonitionOf(element: HTMLElement, ctx: RenderContext): string[] {
  const titleElement = element.childNodes.find(
    (c): c is HTMLElement => isElement(c) && c.classList.contains('admonition-title'),
  );
  const title = titleElement ? singleLine(titleElement.text).replace(/:$/, '') : '';
  titleElement?.remove();
  const blocks = blocksOf(element, ctx);
  if (!title) return quote(blocks);
  const label = `**${escapeText(title)}:**`;
  const first = blocks[0];
  if (first !== undefined && !/^(?:```|~~~|[-*+] |\d+\. |#|\||>|\*\*)/.test(first)) {
    return quote([`${label} ${first}`, ...blocks.slice(1)]);
  }
  return quote([label, ...blocks]);
}

function detailsOf(element: HTMLElement, ctx: RenderContext): string[] {
  const summary = element.childNodes.find((c): c is HTMLElement => isElement(c) && tagOf(c) === 'summary');
  const title = summary ? singleLine(inlineChildren(summary, ctx)) : '';
  summary?.remove();
  const blocks = blocksOf(element, ctx);
  return title ? [wrap('**', title), ...blocks] : blocks;
}

/** Rows of `table` itself, not of tables nested in its cells. */
function rowsOf(table: HTMLElement): HTMLElement[] {
  return table.querySelectorAll('tr').filter((row) => row.closest('table') === table);
}

function cellsOf(row: HTMLElement): HTMLElement[] {
  return row.children.filter((cell) => tagOf(cell) === 'td' || tagOf(cell) === 'th');
}

function cellText(cell: HTMLElement, ctx: RenderContext): string {
  const text = blocksOf(cell, { ...ctx, inTableCell: true }).join(' ');
  return singleLine(text).replace(/\\?\|/g, '\\|');
}

function tableOf(table: HTMLElement, ctx: RenderContext): string[] {
  const rows = rowsOf(table).map((row) =>
    cellsOf(row).flatMap((cell) => {
      const span = Math.max(1, Math.min(50, Number.parseInt(cell.getAttribute('colspan') ?? '1', 10) || 1));
      return [cellText(cell, ctx), ...Array<string>(span - 1).fill('')];
    }),
  );
  const columns = Math.max(0, ...rows.map((row) => row.length));
  const caption = table.childNodes.find((c): c is HTMLElement => isElement(c) && tagOf(c) === 'caption');
  const captionBlocks = caption ? blocksOf(caption, ctx) : [];
  // One column means layout, not data (e.g. Pygments line-number tables once the numbers are gone).
  if (columns <= 1) {
    return [...captionBlocks, ...rowsOf(table).flatMap((row) => cellsOf(row).flatMap((cell) => blocksOf(cell, ctx)))];
  }
  const line = (cells: string[]): string =>
    `| ${Array.from({ length: columns }, (_, i) => cells[i] ?? '').join(' | ')} |`;
  const [header = [], ...body] = rows;
  const separator = `| ${Array<string>(columns).fill('---').join(' | ')} |`;
  return [...captionBlocks, [line(header), separator, ...body.map(line)].join('\n')];
}

function flattenedTable(table: HTMLElement, ctx: RenderContext): string {
  return rowsOf(table)
    .map((row) => cellsOf(row).map((cell) => cellText(cell, ctx)).filter(Boolean).join(' '))
    .filter(Boolean)
    .join('; ');
}
