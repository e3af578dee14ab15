/**
 * Writing document-derived text (titles, page labels, headings) inside an HTML comment
 * (`<!-- … -->`), which McDewey's Markdown uses for page markers and citation headers. A comment
 * ends at the first `-->` (or `--!>`), so a hostile title like `--> <script>…` would close it and
 * turn the rest into live HTML wherever the Markdown is rendered. Both forms below leave no `--`
 * and no `<` or `>` inside the comment.
 */

/** Prose inside a comment, on one line: every `--` becomes `- -`, angle brackets become ‹ ›. */
export function commentText(text: string): string {
  return text
    .replace(/[\r\n\u0085\u2028\u2029]+/g, ' ')
    .replace(/-(?=-)/g, '- ')
    .replace(/</g, '‹')
    .replace(/>/g, '›');
}

/**
 * A JSON value inside a comment: `<`, `>` and the first `-` of every `--` are written as \u
 * escapes, which any JSON parser reads back as the same characters.
 */
export function commentJson(value: unknown): string {
  return JSON.stringify(value)
    .replace(/</g, '\\u003c')
    .replace(/>/g, '\\u003e')
    .replace(/-(?=-)/g, '\\u002d');
}
