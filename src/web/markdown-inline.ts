import { escapeHtml, raw, type SafeHtml } from './html.js';

/**
 * Inline Markdown (code spans, bold, emphasis, backslash escapes) to HTML. Text is escaped
 * first and markup is only ever wrapped around already-escaped text, so nothing from the
 * document can become a tag or an attribute. Links and images keep their text only: a
 * document can never make the UI emit a link (and so never a `javascript:` URL).
 */

// Private-use characters delimit placeholders for fragments that later steps must not touch.
const OPEN = '\uE000';
const CLOSE = '\uE001';
const PLACEHOLDER = /\uE000(\d+)\uE001/g;

const ESCAPABLE = /\\([!"#$%&'()*+,\-./:;<=>?@[\\\]^_`{|}~])/g;
/** `[text](url)` or `![alt](src)`, destinations with one level of balanced parentheses. */
const LINK = /!?\[([^\]]*)\]\((?:[^()]|\([^()]*\))*\)/g;
const CODE_SPAN = /(`+)(?!`)([\s\S]*?[^`])\1(?!`)/g;

export function renderInline(text: string): SafeHtml {
  const held: string[] = [];
  const hold = (fragment: string) => `${OPEN}${held.push(fragment) - 1}${CLOSE}`;

  let out = text.replace(/[\uE000\uE001]/g, '\uFFFD');
  out = out.replace(CODE_SPAN, (_, _ticks: string, code: string) => hold(`<code>${escapeHtml(trimCodeSpan(code))}</code>`));
  out = out.replace(ESCAPABLE, (_, char: string) => hold(escapeHtml(char)));
  out = escapeHtml(out);
  out = out
    .replace(LINK, '$1')
    .replace(/&lt;((?:https?|mailto|ftp):[^\s&]+)&gt;/g, '$1')
    .replace(/\*\*(?=\S)([\s\S]*?\S)\*\*/g, '<strong>$1</strong>')
    .replace(/(^|[^\w])__(?=\S)([\s\S]*?\S)__(?!\w)/g, '$1<strong>$2</strong>')
    .replace(/(^|[^*\w])\*(?=[^\s*])([^*]*?[^\s*])\*(?![*\w])/g, '$1<em>$2</em>');
  // Held fragments never contain placeholders (the input's private-use characters were replaced).
  return raw(out.replace(PLACEHOLDER, (_, index: string) => held[Number(index)]!));
}

/** CommonMark strips one space from each side of a code span that has content besides spaces. */
function trimCodeSpan(code: string): string {
  const oneLine = code.replace(/\n/g, ' ');
  return /^ .*[^ ].* $/.test(oneLine) ? oneLine.slice(1, -1) : oneLine;
}
