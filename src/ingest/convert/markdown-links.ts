/**
 * Links and images in Markdown prose become their text: the library shows documents outside
 * their site, where relative URLs are dead, and it never emits URLs a renderer could turn into
 * `javascript:` links. Also removes MkDocs decoration (icon shortcodes, attribute lists).
 */

import { codeSpanRanges, isInside, rewriteOutsideCodeSpans } from './markdown-code-spans.js';

/** Link text may hold one level of brackets: `[The first article [1]](url)`. */
const LINK_TEXT = String.raw`((?:[^\[\]]|\[[^\[\]]*\])*)`;
/** A destination with at most one level of balanced parentheses, and an optional title. */
// The leading spaces are matched atomically (a lookahead capture, then a backreference): with a
// plain `\(\s*` an empty destination left two `\s*` side by side, quadratic on a long run of spaces.
const DESTINATION = String.raw`\((?=(?<lead>\s*))\k<lead>(?:<[^<>]*>|(?:[^()\s]|\([^()\s]*\))*)(?:\s+(?:"[^"]*"|'[^']*'|\([^()]*\)))?\s*\)`;

const IMAGE = new RegExp(String.raw`!\[${LINK_TEXT}\]${DESTINATION}`, 'g');
const INLINE_LINK = new RegExp(String.raw`\[${LINK_TEXT}\]${DESTINATION}`, 'g');
const REFERENCE_LINK = new RegExp(String.raw`\[${LINK_TEXT}\]\[([^\[\]]*)\]`, 'g');
const AUTOLINK = /<([A-Za-z][A-Za-z0-9+.-]{1,31}:[^\s<>]*|[^\s<>@]+@[^\s<>@]+\.[A-Za-z]{2,})>/g;
/** `[id]: url` definitions (not `[^1]:` footnotes), which render as nothing. */
const REFERENCE_DEFINITION = /^ {0,3}\[(?!\^)([^\]]+)\]:\s*\S+.*$/;

const ICON_SHORTCODE = /:(?:material|octicons|fontawesome|simple)-[\w-]+:\s?/g;
/** `{ .lg .middle }`, `{: #anchor }`, `{style="height: 100px"}`. */
const ATTRIBUTE_LIST = /\s?\{:?\s*(?:[.#][\w-]+|[\w-]+=(?:"[^"]*"|'[^']*'|[^\s}]+))(?:\s+(?:[.#][\w-]+|[\w-]+=(?:"[^"]*"|'[^']*'|[^\s}]+)))*\s*\}/g;

export function isReferenceDefinition(line: string): boolean {
  return REFERENCE_DEFINITION.test(line);
}

/** Labels of the document's `[id]: url` definitions, normalised for matching `[text][id]`. */
export function referenceLabels(lines: readonly string[]): Set<string> {
  const labels = lines.map((line) => REFERENCE_DEFINITION.exec(line)?.[1]).filter((l) => l !== undefined);
  return new Set(labels.map(normalizeLabel));
}

function normalizeLabel(label: string): string {
  return label.trim().replace(/\s+/g, ' ').toLowerCase();
}

/**
 * Rewrites one line; a link's text may contain code spans, but nothing inside a code span is
 * touched. `[text][id]` counts as a link only when `id` is defined, so `array[0][1]` survives.
 */
export function linksToText(line: string, labels: ReadonlySet<string>): string {
  const undecorated = rewriteOutsideCodeSpans(line, (prose) => prose.replace(ICON_SHORTCODE, '').replace(ATTRIBUTE_LIST, ''));
  return [
    (text: string) => replaceOutsideCode(text, IMAGE, (alt) => (alt.trim() ? `[${alt.trim()}]` : '')),
    (text: string) => replaceOutsideCode(text, INLINE_LINK, (label) => label),
    (text: string) =>
      replaceOutsideCode(text, REFERENCE_LINK, (label, match) => {
        const id = /\[([^\[\]]*)\]$/.exec(match)?.[1] || label;
        return labels.has(normalizeLabel(id)) ? label : match;
      }),
    (text: string) => replaceOutsideCode(text, AUTOLINK, (target) => target),
  ].reduce((text, rewrite) => rewrite(text), undecorated);
}

/** Like `String.replace` with the first group, skipping matches that start inside a code span. */
function replaceOutsideCode(
  line: string,
  pattern: RegExp,
  replacement: (group: string, match: string) => string,
): string {
  const code = codeSpanRanges(line);
  return line.replace(pattern, (match: string, group: string, ...rest: unknown[]) => {
    const offset = rest.find((value): value is number => typeof value === 'number') ?? 0;
    return isInside(code, offset) ? match : replacement(group, match);
  });
}
