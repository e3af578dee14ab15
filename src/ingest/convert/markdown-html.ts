/**
 * Raw HTML inside Markdown prose becomes text: known HTML tags are removed and their text kept,
 * scripts and styles disappear with their content. Tags the list does not know (`<system.webServer>`,
 * `<customLogging>`) are literal text in docs and are left for the caller to escape.
 */
import { codeSpanRanges, isInside, rewriteOutsideCodeSpans } from './markdown-code-spans.js';

const BLOCK_TAGS = [
  'address', 'article', 'aside', 'blockquote', 'body', 'caption', 'center', 'col', 'colgroup', 'dd',
  'details', 'div', 'dl', 'dt', 'figcaption', 'figure', 'footer', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6',
  'header', 'hr', 'html', 'li', 'main', 'nav', 'ol', 'p', 'pre', 'section', 'summary', 'table', 'tbody',
  'td', 'tfoot', 'th', 'thead', 'tr', 'ul',
];
const INLINE_TAGS = [
  'a', 'abbr', 'audio', 'b', 'big', 'cite', 'code', 'del', 'dfn', 'em', 'font', 'i', 'iframe', 'ins',
  'kbd', 'mark', 'picture', 'q', 's', 'samp', 'small', 'source', 'span', 'strike', 'strong', 'sub',
  'sup', 'tt', 'u', 'var', 'video',
  // Form controls and inline SVG carry no prose.
  'button', 'fieldset', 'form', 'input', 'label', 'legend', 'option', 'path', 'select', 'svg',
];

const BLOCK_TAG = new RegExp(`</?(?:${BLOCK_TAGS.join('|')})\\b[^<>]*>`, 'gi');
const INLINE_TAG = new RegExp(`</?(?:${INLINE_TAGS.join('|')})\\b[^<>]*>`, 'gi');
const UNSAFE_BLOCK_START = /^\s*<(script|style|noscript|template)\b/i;
/** The same elements inline in a line of prose, with their content. */
const UNSAFE_INLINE = /<(script|style|noscript|template)\b[^<>]*>.*?(?:<\/\1\s*>|$)/gi;
const LONE_HEADING = /^\s*<h([1-6])\b[^<>]*>(.*?)<\/h\1\s*>\s*$/i;
const BREAK = /<br\s*\/?>/gi;
/** In a pipe-table cell, `<br>` followed by a list marker separates list items. */
const CELL_LIST_BREAK = /(?:<br\s*\/?>\s*)+[-*+]\s+/gi;
/** A cell opening with a list marker (`|-   item`), which a pipe table cannot hold. */
const CELL_LIST_START = /\|\s*[-*+]\s{2,}/g;

/**
 * Removes `<script>`/`<style>` HTML blocks: from a line starting with the tag through the line
 * closing it (or the end of the prose), as CommonMark delimits them.
 */
export function dropUnsafeBlocks(lines: readonly string[]): string[] {
  const output: string[] = [];
  let open: string | undefined;
  for (const line of lines) {
    if (!open) {
      const tag = UNSAFE_BLOCK_START.exec(line)?.[1]?.toLowerCase();
      if (!tag) {
        output.push(line);
        continue;
      }
      open = tag;
    }
    if (new RegExp(`</${open}\\s*>`, 'i').test(line)) open = undefined;
  }
  return output;
}

/** Strips known HTML tags from one prose line; may return several lines where `<br>` split it. */
export function htmlToText(line: string): string[] {
  const inTable = line.trimStart().startsWith('|');
  if (!/<[A-Za-z/]/.test(line)) return [inTable ? line.replace(CELL_LIST_START, '| ') : line];
  const heading = LONE_HEADING.exec(line);
  if (heading?.[1] && heading[2] !== undefined) {
    return [`${'#'.repeat(Number(heading[1]))} ${stripTags(heading[2], false).trim()}`];
  }
  const text = rewriteOutsideCodeSpans(line, (prose) => stripTags(prose, inTable));
  if (text === line) return [line];
  // HTML indentation means nothing in Markdown and would turn the text into an indented code block.
  const lines = text.split('\n').map((l) => l.replace(/^\s+/, '').replace(/ {2,}/g, ' '));
  return lines.every((l) => !l.trim()) ? [''] : lines;
}

function stripTags(prose: string, inTable: boolean): string {
  const text = inTable
    ? prose.replace(CELL_LIST_BREAK, '; ').replace(BREAK, ' ').replace(CELL_LIST_START, '| ')
    : prose.replace(BREAK, '\n');
  return text
    .replace(UNSAFE_INLINE, '')
    .replace(/<code\b[^<>]*>([^<`]*)<\/code\s*>/gi, (_m, code: string) => `\`${decodeBasicEntities(code)}\``)
    .replace(/<(strong|b)\b[^<>]*>([^<]*)<\/\1\s*>/gi, '**$2**')
    .replace(/<(em|i)\b[^<>]*>([^<]*)<\/\1\s*>/gi, '*$2*')
    .replace(/<img\b[^<>]*>/gi, (tag) => imageText(tag))
    .replace(BLOCK_TAG, ' ')
    .replace(INLINE_TAG, '');
}

function imageText(tag: string): string {
  const alt = /\balt\s*=\s*(?:"([^"]*)"|'([^']*)')/i.exec(tag);
  const text = (alt?.[1] ?? alt?.[2] ?? '').trim();
  return text ? `[${text}]` : '';
}

/** Inside a code span entities are literal, so the few HTML escapes used around code are decoded. */
function decodeBasicEntities(text: string): string {
  return text
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&amp;/g, '&');
}

/**
 * Removes HTML comments from prose: a rendered page does not show them (an editor's note,
 * "Generated from …; do not edit by hand"), so they are neither text to search nor to cite. A
 * comment may span lines. One that opens inside a code span is code and stays; an opener that
 * never closes is literal text and stays too (it is escaped later), so a stray `<!--` cannot take
 * the rest of a document with it.
 */
export function dropHtmlComments(lines: readonly string[]): string[] {
  const output: string[] = [];
  for (let i = 0; i < lines.length; i++) {
    let line = lines[i]!;
    let kept = '';
    let changed = false;
    for (let at = openerAt(line); at >= 0; at = openerAt(line)) {
      const close = closerAfter(lines, i, line, at);
      if (!close) break;
      kept += line.slice(0, at);
      i = close.line;
      line = close.rest;
      changed = true;
    }
    const text = kept + line;
    output.push(changed && !text.trim() ? '' : text);
  }
  return output;
}

/** Where a comment first opens in the line, outside code spans; -1 when none does. */
function openerAt(line: string): number {
  const spans = codeSpanRanges(line);
  for (let at = line.indexOf('<!--'); at >= 0; at = line.indexOf('<!--', at + 4)) {
    if (!isInside(spans, at)) return at;
  }
  return -1;
}

/** The line where the comment opened at `at` of line `i` (whose text is `line`) closes, and what follows the close there. */
function closerAfter(lines: readonly string[], i: number, line: string, at: number): { line: number; rest: string } | undefined {
  // `<!-->` and `<!--->` are comments too, hence the search from the opener's dashes.
  const same = line.indexOf('-->', at + 2);
  if (same >= 0) return { line: i, rest: line.slice(same + 3) };
  for (let j = i + 1; j < lines.length; j++) {
    const end = lines[j]!.indexOf('-->');
    if (end >= 0) return { line: j, rest: lines[j]!.slice(end + 3) };
  }
  return undefined;
}
