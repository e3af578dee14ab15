import type { Snippet } from '../service/library.js';
import { html, joinHtml, type SafeHtml } from './html.js';

/** Snippets are cut from chunk Markdown; heading markers read as noise in a one-line preview. */
const plainText = (text: string) => text.replace(/(^|\s)#{1,6}(?=\s)/g, '$1');

/**
 * A search snippet with its matched words in <mark>; all text is escaped. Only the text between
 * highlights is tidied, so the highlight offsets stay exact.
 */
export function snippetHtml(snippet: Snippet): SafeHtml {
  const parts: SafeHtml[] = [];
  let at = 0;
  const ranges = [...snippet.highlights].sort((a, b) => a[0] - b[0]);
  for (const [start, end] of ranges) {
    if (start < at || end <= start || end > snippet.text.length) continue; // overlapping or out of range
    parts.push(html`${plainText(snippet.text.slice(at, start))}<mark>${snippet.text.slice(start, end)}</mark>`);
    at = end;
  }
  parts.push(html`${plainText(snippet.text.slice(at))}`);
  return joinHtml(parts, '');
}
