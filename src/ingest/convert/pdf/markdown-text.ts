/**
 * Making extracted text safe to place in Markdown: body text must not turn into structure by
 * accident, and must never look like the page markers the library writes around pages.
 */

// Starts of a line that Markdown would read as a heading, quote, list, rule, fence or table.
const STRUCTURAL_START = /^(#{1,6}(?=\s|$)|>|[-+*](?=\s|$)|`{3}|~{3}|\||=+\s*$)/;
const THEMATIC_BREAK = /^([-*_])(\s*\1){2,}\s*$/;
const ORDERED_LIST_START = /^(\d{1,9})([.)])(?=\s|$)/;

/** Escapes the start of a line of body text so Markdown keeps it as text. */
export function escapeLineStart(text: string): string {
  if (text.startsWith('<!--')) return `&lt;${text.slice(1)}`;
  if (THEMATIC_BREAK.test(text) || STRUCTURAL_START.test(text)) return `\\${text}`;
  return text.replace(ORDERED_LIST_START, '$1\\$2');
}

/** Dot leaders ("Introduction ........ 5", ". . . . 5") shrink to a short ellipsis. */
export function collapseLeaders(text: string): string {
  return text.replace(/\s*(?:\.\s?){4,}\s*/g, ' ... ');
}

/** True when a line ends in a dot leader and a page reference, as table-of-contents lines do. */
export function endsWithLeader(text: string): boolean {
  return /(?:\.\s?){4,}\s*\S{1,8}$/.test(text);
}

/** A table cell's text: one line, leaders collapsed, pipes escaped. */
export function tableCell(text: string): string {
  return collapseLeaders(text).replace(/\s+/g, ' ').trim().replace(/\|/g, '\\|');
}

/** A code fence longer than any backtick run inside the code. */
export function codeFence(code: string): string {
  const longest = Math.max(0, ...(code.match(/`+/g) ?? []).map((run) => run.length));
  return '`'.repeat(Math.max(3, longest + 1));
}
