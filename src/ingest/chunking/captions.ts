/**
 * Table captions ("Table 2: Auto Scale Input Parameters") name the table below them: a chunk
 * holding the table without its caption loses what the table is about, so the chunker keeps the
 * two together.
 */
const TABLE_CAPTION = /^(table|tbl\.)\s+[\dA-Z]+(?:[.-]\d+)*\s*[:.\u2013\u2014-]?\s+\S/i;
/** Longer than this, a paragraph is prose that mentions a table, not a caption. */
const MAX_CAPTION_CHARS = 200;

export function isTableCaption(text: string): boolean {
  return text.length <= MAX_CAPTION_CHARS && !text.includes('\n') && TABLE_CAPTION.test(text);
}
